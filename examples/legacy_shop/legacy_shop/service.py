"""The order service: checkout, payment providers, notifications, shipping, refunds.

Payment gateways are flaky, so every charge goes through ``retry`` and a per-provider
``CircuitBreaker``. Providers and event handlers register themselves with decorators at import
time; ``OrderManager`` is what the web views call.
"""
import functools
import logging
import random
import time
from collections import defaultdict
from decimal import Decimal

from . import storage
from .models import (
    Carrier,
    Coupon,
    InvalidTransition,
    Money,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentState,
    Refund,
    Shipment,
    ShopError,
    ValidationError,
    new_id,
    order_to_dict,
    utcnow,
)
from .pricing import carrier_for, shipping_cost

logger = logging.getLogger(__name__)

DEFAULT_RETRIES = 3
BACKOFF_SECONDS = 0.2
BACKOFF_FACTOR = 2.0
BREAKER_FAILURES = 5
BREAKER_COOLDOWN = 30.0
SHOP_EMAIL = "orders@legacy-shop.example"

PAYMENT_PROVIDERS = {}
EVENT_HANDLERS = defaultdict(list)
OUTBOX = []  # e-mails "sent" by send_email; the mail relay polls this in production

_default_manager = None


class PaymentDeclined(ShopError):
    def __init__(self, reason, reference=None):
        super().__init__(reason)
        self.reason = reason
        self.reference = reference


class TransientGatewayError(ShopError):
    """A timeout or a 5xx from a gateway: worth another try."""


class CircuitOpen(ShopError):
    pass


def _sleep(seconds):
    time.sleep(seconds)


def _now():
    return time.monotonic()


def retry(times=DEFAULT_RETRIES, backoff=BACKOFF_SECONDS, exceptions=(TransientGatewayError,)):
    """Call again on ``exceptions``, waiting ``backoff`` seconds, doubling each time."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            delay = backoff
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as exc:
                    if attempt == times:
                        logger.error("%s failed after %d attempts: %s", func.__name__, times, exc)
                        raise
                    logger.warning("%s attempt %d failed: %s", func.__name__, attempt, exc)
                    _sleep(delay)
                    delay *= BACKOFF_FACTOR
            raise AssertionError("unreachable")

        return wrapper

    return decorate


class CircuitBreaker:
    """Stops calling a gateway after ``failures`` errors in a row, for ``cooldown`` seconds."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"

    def __init__(self, name, failures=BREAKER_FAILURES, cooldown=BREAKER_COOLDOWN):
        self.name = name
        self.max_failures = failures
        self.cooldown = cooldown
        self.failures = 0
        self.opened_at = None

    @property
    def state(self):
        if self.opened_at is None:
            return self.CLOSED
        if _now() - self.opened_at >= self.cooldown:
            return self.HALF_OPEN
        return self.OPEN

    def call(self, func, *args, **kwargs):
        if self.state == self.OPEN:
            raise CircuitOpen(f"{self.name}: circuit open, not calling the gateway")
        try:
            result = func(*args, **kwargs)
        except PaymentDeclined:
            self._success()  # a decline is a healthy answer from the gateway
            raise
        except Exception:
            self._failure()
            raise
        self._success()
        return result

    def _success(self):
        self.failures = 0
        self.opened_at = None

    def _failure(self):
        self.failures += 1
        if self.failures >= self.max_failures or self.opened_at is not None:
            if self.opened_at is None:
                logger.warning("circuit %s opened after %d failures", self.name, self.failures)
            self.opened_at = _now()


def register_provider(method):
    """Class decorator: make a provider available for ``method``."""

    def decorate(cls):
        PAYMENT_PROVIDERS[method] = cls
        return cls

    return decorate


def on(event):
    """Function decorator: call the function whenever ``event`` is emitted."""

    def decorate(func):
        EVENT_HANDLERS[event].append(func)
        return func

    return decorate


def emit(event, **payload):
    for handler in EVENT_HANDLERS.get(event, []):
        try:
            handler(**payload)
        except Exception:
            # A broken notification must never undo a paid order.
            logger.exception("handler %s for %s failed", handler.__name__, event)


class PaymentProvider:
    method = None
    fee_rate = Decimal("0")

    def __init__(self, gateway=None):
        self.gateway = gateway or self.fake_gateway

    def fake_gateway(self, amount, reference):
        return {"ok": True, "reference": reference}

    def charge(self, payment):
        reference = new_id(self.method.value)
        answer = self.gateway(payment.amount, reference)
        if answer.get("timeout"):
            raise TransientGatewayError(f"{self.method.value}: gateway timed out")
        if not answer.get("ok"):
            raise PaymentDeclined(answer.get("reason", "declined"), reference)
        return answer.get("reference", reference)

    def refund(self, payment, amount):
        logger.info("refunding %s on %s", amount, payment.provider_reference)
        return True

    def fee(self, amount):
        return amount * self.fee_rate


@register_provider(PaymentMethod.CARD)
class CardProvider(PaymentProvider):
    method = PaymentMethod.CARD
    fee_rate = Decimal("0.014")


@register_provider(PaymentMethod.PAYPAL)
class PaypalProvider(PaymentProvider):
    method = PaymentMethod.PAYPAL
    fee_rate = Decimal("0.0249")


@register_provider(PaymentMethod.INVOICE)
class InvoiceProvider(PaymentProvider):
    """Pay on invoice: only for returning customers, no gateway involved."""

    method = PaymentMethod.INVOICE
    limit = Money(Decimal("500.00"))

    def charge(self, payment):
        if self.limit < payment.amount:
            raise PaymentDeclined("invoice limit exceeded")
        return new_id("inv")


def send_email(to, subject, body):
    OUTBOX.append({"to": to, "from": SHOP_EMAIL, "subject": subject, "body": body})
    logger.info("mail to %s: %s", to, subject)


def render_receipt(order, shipping):
    lines = [f"Order {order.id}", ""]
    for item in order.items:
        lines.append(f"{item.quantity} x {item.product.name:<30} {item.total}")
    lines += ["", f"Discount: -{order.discount_total}", f"Tax: {order.tax}",
              f"Shipping: {shipping}", f"Total: {order.total + shipping}"]
    return "\n".join(lines)


@on("order.paid")
def mail_receipt(order, shipping, **_):
    send_email(order.customer.email, f"Your order {order.id}", render_receipt(order, shipping))


@on("order.shipped")
def mail_tracking(order, shipment, **_):
    send_email(order.customer.email, f"Order {order.id} is on its way",
               f"Track it here: {shipment.tracking_url()}")


@on("order.refunded")
def mail_refund(order, refund, **_):
    send_email(order.customer.email, f"Refund for {order.id}",
               f"We refunded {refund.amount}: {refund.reason}")


class OrderManager:
    """Everything the web views do with orders, in one place."""

    def __init__(self, repository=None, inventory=None, providers=None, coupons=None):
        self.repository = repository or storage.OrderRepository()
        self.inventory = inventory or storage.InventoryStore()
        self.providers = providers or {m: cls() for m, cls in PAYMENT_PROVIDERS.items()}
        self.breakers = {m: CircuitBreaker(m.value) for m in self.providers}
        self.coupons = {c.code: c for c in (coupons or [])}
        self.payments = {}
        self.shipments = {}
        self.refunds = []

    def create_order(self, customer, address=None):
        customer.validate()
        from .models import Order  # noqa: legacy: avoided a cycle with an old storage module

        order = Order(customer=customer, shipping_address=address or customer.default_address)
        logger.debug("created order %s for %s", order.id, customer.email)
        return self.repository.save(order)

    def add_item(self, order_id, product, quantity=1):
        order = self._open_order(order_id)
        order.add_item(product.validate(), quantity)
        return self.repository.save(order)

    def apply_coupon(self, order_id, code):
        order = self._open_order(order_id)
        coupon = self.coupons.get(code.upper())
        if coupon is None or not coupon.is_valid():
            raise ValidationError("coupon", f"{code!r} is not valid")
        order.coupon = coupon
        return self.repository.save(order)

    def quote(self, order_id):
        order = self.repository.get(order_id)
        country = order.shipping_address.country if order.shipping_address else "DE"
        shipping = shipping_cost(order.weight_grams, country, order.subtotal)
        return {"subtotal": order.subtotal, "discount": order.discount_total, "tax": order.tax,
                "shipping": shipping, "total": order.total + shipping}

    def checkout(self, order_id, method=PaymentMethod.CARD):
        order = self._open_order(order_id)
        if not order.items:
            raise ValidationError("items", "the order is empty")
        if order.shipping_address is None:
            raise ValidationError("shipping_address", "missing")
        order.shipping_address.validate()
        wanted = [(i.product.sku, i.quantity) for i in order.items]
        self.inventory.reserve_all(wanted)
        if order.status is OrderStatus.DRAFT:
            order.transition(OrderStatus.PLACED)
        shipping = self.quote(order_id)["shipping"]
        payment = Payment(order.id, method, order.total + shipping)
        try:
            self._charge(payment)
        except (PaymentDeclined, CircuitOpen, TransientGatewayError):
            self.inventory.release_all(wanted)
            self.repository.save(order)
            raise
        finally:
            self.payments[payment.id] = payment
        order.transition(OrderStatus.PAID, note=payment.provider_reference)
        if order.coupon is not None and order.coupon.single_use:
            order.coupon.used = True
        self.repository.save(order)
        emit("order.paid", order=order, payment=payment, shipping=shipping)
        return payment

    def _charge(self, payment):
        provider = self.providers.get(payment.method)
        if provider is None:
            raise ValidationError("method", f"{payment.method.value} is not offered")
        breaker = self.breakers[payment.method]

        @retry()
        def attempt():
            payment.attempts += 1
            return breaker.call(provider.charge, payment)

        try:
            payment.provider_reference = attempt()
        except PaymentDeclined as exc:
            payment.state = PaymentState.DECLINED
            payment.failure_reason = exc.reason
            logger.info("payment %s declined: %s", payment.id, exc.reason)
            raise
        except (CircuitOpen, TransientGatewayError) as exc:
            payment.state = PaymentState.DECLINED
            payment.failure_reason = str(exc)
            raise
        payment.state = PaymentState.CAPTURED
        return payment

    def cancel(self, order_id, reason=""):
        order = self.repository.get(order_id)
        was_placed = order.status is OrderStatus.PLACED
        order.transition(OrderStatus.CANCELLED, note=reason)
        if was_placed:
            self.inventory.release_all([(i.product.sku, i.quantity) for i in order.items])
        emit("order.cancelled", order=order)
        return self.repository.save(order)

    def ship(self, order_id, tracking_number=None, carrier=None):
        order = self.repository.get(order_id)
        country = order.shipping_address.country
        shipment = Shipment(order.id, carrier or carrier_for(order.weight_grams, country),
                            order.weight_grams, tracking_number or new_id("trk"), utcnow())
        order.transition(OrderStatus.SHIPPED, note=shipment.tracking_number)
        self.inventory.commit_all([(i.product.sku, i.quantity) for i in order.items])
        self.shipments[order.id] = shipment
        self.repository.save(order)
        emit("order.shipped", order=order, shipment=shipment)
        return shipment

    def refund(self, order_id, reason, amount=None):
        order = self.repository.get(order_id)
        payment = self._payment_for(order.id)
        amount = amount or payment.amount
        if payment.amount < amount:
            raise ValidationError("amount", f"cannot refund more than {payment.amount}")
        self.providers[payment.method].refund(payment, amount)
        order.transition(OrderStatus.REFUNDED, note=reason)
        if order.id not in self.shipments:
            self.inventory.release_all([(i.product.sku, i.quantity) for i in order.items])
        payment.state = PaymentState.REFUNDED
        refund = Refund(order.id, amount, reason, payment.id)
        self.refunds.append(refund)
        self.repository.save(order)
        emit("order.refunded", order=order, refund=refund)
        return refund

    def stats(self):
        orders = self.repository.all()
        by_status = defaultdict(int)
        revenue = Money.zero()
        for order in orders:
            by_status[order.status.value] += 1
            if order.status in (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                revenue = revenue + order.total
        return {"orders": len(orders), "by_status": dict(by_status), "revenue": revenue}

    def export(self, order_id):
        return order_to_dict(self.repository.get(order_id))

    def _open_order(self, order_id):
        order = self.repository.get(order_id)
        if not order.is_open():
            raise InvalidTransition(f"{order.id} is {order.status.value}, not open")
        return order

    def _payment_for(self, order_id):
        for payment in self.payments.values():
            if payment.order_id == order_id and payment.state is PaymentState.CAPTURED:
                return payment
        raise ValidationError("order", f"{order_id} has no captured payment")


def get_manager():
    """The process-wide manager the web views share (created on first use)."""
    global _default_manager
    if _default_manager is None:
        _default_manager = OrderManager()
    return _default_manager


def reset_manager():
    global _default_manager
    _default_manager = None


def flaky_gateway(failure_rate=0.3, seed=None):
    """A gateway that times out now and then, for the demo and for load tests."""
    rng = random.Random(seed)

    def gateway(amount, reference):
        if rng.random() < failure_rate:
            return {"timeout": True}
        return {"ok": True, "reference": reference}

    return gateway


def main(argv=None):
    from .models import Address, Customer, Product

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    inventory = storage.InventoryStore({"BK-1001": 10, "TEA-204": 40})
    card = CardProvider(gateway=flaky_gateway(seed=7))
    manager = OrderManager(inventory=inventory, providers={PaymentMethod.CARD: card},
                           coupons=[Coupon("WELCOME10", percent_off=Decimal("0.10"))])
    customer = Customer("ada@example.org", "Ada", addresses=[
        Address("Ada Lovelace", "Hauptstr. 1", "Berlin", "10115")])
    order = manager.create_order(customer)
    manager.add_item(order.id, Product("BK-1001", "Analytical Engines", Money(Decimal("39.90")),
                                       weight_grams=800, tax_class="reduced"))
    manager.add_item(order.id, Product("TEA-204", "Earl Grey", Money(Decimal("6.50")), 250), 2)
    manager.apply_coupon(order.id, "welcome10")
    payment = manager.checkout(order.id)
    shipment = manager.ship(order.id, carrier=Carrier.DHL)
    print(f"paid {payment.amount} after {payment.attempts} attempt(s); {shipment.tracking_url()}")
    print(manager.stats())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
