"""Domain objects of the shop: money, customers, products, orders, payments, shipments.

Originally written for the 2016 relaunch; most of the validation rules came from support
tickets, so please keep the error messages stable (the web front end matches on them).
"""
import datetime as dt
import enum
import re
import uuid
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, List, Optional

DEFAULT_CURRENCY = "EUR"
SUPPORTED_CURRENCIES = ("EUR", "USD", "GBP", "CHF")
MAX_LINE_QUANTITY = 999
MAX_ITEMS_PER_ORDER = 50
CENT = Decimal("0.01")

SKU_PATTERN = re.compile(r"^[A-Z]{2,4}-\d{3,6}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
POSTCODE_PATTERNS = {
    "DE": re.compile(r"^\d{5}$"),
    "FR": re.compile(r"^\d{5}$"),
    "NL": re.compile(r"^\d{4} ?[A-Z]{2}$"),
    "GB": re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$"),
    "CH": re.compile(r"^\d{4}$"),
    "US": re.compile(r"^\d{5}(-\d{4})?$"),
}

# VAT per country and tax class; "reduced" is books and food.
TAX_RATES = {
    "DE": {"standard": Decimal("0.19"), "reduced": Decimal("0.07")},
    "FR": {"standard": Decimal("0.20"), "reduced": Decimal("0.055")},
    "NL": {"standard": Decimal("0.21"), "reduced": Decimal("0.09")},
    "GB": {"standard": Decimal("0.20"), "reduced": Decimal("0.0")},
    "CH": {"standard": Decimal("0.081"), "reduced": Decimal("0.026")},
    "US": {"standard": Decimal("0.0"), "reduced": Decimal("0.0")},
}


class ShopError(Exception):
    """Base class of every error the shop raises on purpose."""


class ValidationError(ShopError):
    def __init__(self, field_name, message):
        super().__init__(f"{field_name}: {message}")
        self.field_name = field_name
        self.message = message


class CurrencyMismatch(ShopError):
    pass


class OutOfStockError(ShopError):
    def __init__(self, sku, wanted, available):
        super().__init__(f"{sku}: wanted {wanted}, only {available} available")
        self.sku = sku
        self.wanted = wanted
        self.available = available


class InvalidTransition(ShopError):
    pass


class OrderStatus(enum.Enum):
    DRAFT = "draft"
    PLACED = "placed"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


# Which status may follow which; anything else is a bug in the caller.
ALLOWED_TRANSITIONS = {
    OrderStatus.DRAFT: {OrderStatus.PLACED, OrderStatus.CANCELLED},
    OrderStatus.PLACED: {OrderStatus.PAID, OrderStatus.CANCELLED},
    OrderStatus.PAID: {OrderStatus.SHIPPED, OrderStatus.REFUNDED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED, OrderStatus.REFUNDED},
    OrderStatus.DELIVERED: {OrderStatus.REFUNDED},
    OrderStatus.CANCELLED: set(),
    OrderStatus.REFUNDED: set(),
}


class PaymentMethod(enum.Enum):
    CARD = "card"
    PAYPAL = "paypal"
    INVOICE = "invoice"


class PaymentState(enum.Enum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    CAPTURED = "captured"
    DECLINED = "declined"
    REFUNDED = "refunded"


class Carrier(enum.Enum):
    DHL = "dhl"
    UPS = "ups"
    POST = "post"


class CustomerTier(enum.IntEnum):
    REGULAR = 0
    SILVER = 1
    GOLD = 2


TIER_DISCOUNT = {
    CustomerTier.REGULAR: Decimal("0"),
    CustomerTier.SILVER: Decimal("0.03"),
    CustomerTier.GOLD: Decimal("0.05"),
}


def quantize(amount):
    """Round to cents the way the accounting export does (half up)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def new_id(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self):
        if self.currency not in SUPPORTED_CURRENCIES:
            raise ValidationError("currency", f"unsupported currency {self.currency!r}")
        object.__setattr__(self, "amount", quantize(self.amount))

    @classmethod
    def zero(cls, currency=DEFAULT_CURRENCY):
        return cls(Decimal("0"), currency)

    @classmethod
    def from_cents(cls, cents, currency=DEFAULT_CURRENCY):
        return cls(Decimal(cents) / 100, currency)

    @property
    def cents(self):
        return int(self.amount * 100)

    def _check(self, other):
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} vs {other.currency}")
        return other

    def __add__(self, other):
        other = self._check(other)
        if other is NotImplemented:
            return other
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other):
        other = self._check(other)
        if other is NotImplemented:
            return other
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor):
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other):
        return self.amount < self._check(other).amount

    def __le__(self, other):
        return self.amount <= self._check(other).amount

    def is_zero(self):
        return self.amount == 0

    def allocate(self, parts):
        """Split into ``parts`` amounts that add up exactly (the first ones get the cents)."""
        if parts < 1:
            raise ValueError("parts must be at least 1")
        base, remainder = divmod(self.cents, parts)
        return [Money.from_cents(base + (1 if i < remainder else 0), self.currency)
                for i in range(parts)]

    def __str__(self):
        return f"{self.amount:.2f} {self.currency}"


@dataclass
class Address:
    name: str
    street: str
    city: str
    postcode: str
    country: str = "DE"

    def validate(self):
        if not self.name.strip():
            raise ValidationError("name", "must not be empty")
        if not self.street.strip():
            raise ValidationError("street", "must not be empty")
        pattern = POSTCODE_PATTERNS.get(self.country)
        if pattern is None:
            raise ValidationError("country", f"we do not ship to {self.country}")
        if not pattern.match(self.postcode.upper()):
            raise ValidationError("postcode", f"{self.postcode!r} is not valid for {self.country}")
        return self

    def one_line(self):
        return f"{self.name}, {self.street}, {self.postcode} {self.city}, {self.country}"


@dataclass
class Customer:
    email: str
    name: str
    tier: CustomerTier = CustomerTier.REGULAR
    addresses: List[Address] = field(default_factory=list)
    id: str = field(default_factory=lambda: new_id("cus"))
    created_at: dt.datetime = field(default_factory=utcnow)
    newsletter: bool = False

    def validate(self):
        if not EMAIL_PATTERN.match(self.email):
            raise ValidationError("email", f"{self.email!r} is not an e-mail address")
        for address in self.addresses:
            address.validate()
        return self

    @property
    def default_address(self):
        return self.addresses[0] if self.addresses else None

    @property
    def discount_rate(self):
        return TIER_DISCOUNT[self.tier]


@dataclass
class Product:
    sku: str
    name: str
    price: Money
    weight_grams: int = 0
    tax_class: str = "standard"
    active: bool = True

    def validate(self):
        if not SKU_PATTERN.match(self.sku):
            raise ValidationError("sku", f"{self.sku!r} does not look like AB-1234")
        if self.price.amount <= 0:
            raise ValidationError("price", "must be positive")
        if self.tax_class not in ("standard", "reduced"):
            raise ValidationError("tax_class", f"unknown tax class {self.tax_class!r}")
        return self


@dataclass
class LineItem:
    product: Product
    quantity: int = 1
    discount: Decimal = Decimal("0")

    def __post_init__(self):
        if not 1 <= self.quantity <= MAX_LINE_QUANTITY:
            raise ValidationError("quantity", f"must be between 1 and {MAX_LINE_QUANTITY}")

    @property
    def unit_price(self):
        return self.product.price

    @property
    def total(self):
        gross = self.unit_price * self.quantity
        return gross - gross * self.discount

    @property
    def weight_grams(self):
        return self.product.weight_grams * self.quantity


@dataclass
class Coupon:
    code: str
    percent_off: Decimal = Decimal("0")
    amount_off: Optional[Money] = None
    minimum: Optional[Money] = None
    expires_at: Optional[dt.datetime] = None
    single_use: bool = False
    used: bool = False

    def is_valid(self, now=None):
        now = now or utcnow()
        if self.used and self.single_use:
            return False
        return self.expires_at is None or now < self.expires_at

    def discount_for(self, subtotal):
        if self.minimum is not None and subtotal < self.minimum:
            return Money.zero(subtotal.currency)
        off = subtotal * self.percent_off
        if self.amount_off is not None:
            off = off + self.amount_off
        return off if off <= subtotal else subtotal


@dataclass
class StatusChange:
    status: OrderStatus
    at: dt.datetime = field(default_factory=utcnow)
    note: str = ""


@dataclass
class Order:
    customer: Customer
    items: List[LineItem] = field(default_factory=list)
    status: OrderStatus = OrderStatus.DRAFT
    coupon: Optional[Coupon] = None
    shipping_address: Optional[Address] = None
    currency: str = DEFAULT_CURRENCY
    id: str = field(default_factory=lambda: new_id("ord"))
    created_at: dt.datetime = field(default_factory=utcnow)
    history: List[StatusChange] = field(default_factory=list)
    metadata: Dict[str, Any] = field(default_factory=dict)

    def add_item(self, product, quantity=1):
        if not product.active:
            raise ValidationError("product", f"{product.sku} is no longer sold")
        if product.price.currency != self.currency:
            raise CurrencyMismatch(f"{product.sku} is priced in {product.price.currency}")
        for item in self.items:
            if item.product.sku == product.sku:
                item.quantity += quantity
                item.__post_init__()
                return item
        if len(self.items) >= MAX_ITEMS_PER_ORDER:
            raise ValidationError("items", f"at most {MAX_ITEMS_PER_ORDER} lines per order")
        item = LineItem(product, quantity)
        self.items.append(item)
        return item

    def remove_item(self, sku):
        before = len(self.items)
        self.items = [i for i in self.items if i.product.sku != sku]
        return before != len(self.items)

    @property
    def subtotal(self):
        total = Money.zero(self.currency)
        for item in self.items:
            total = total + item.total
        return total

    @property
    def discount_total(self):
        subtotal = self.subtotal
        off = subtotal * self.customer.discount_rate
        if self.coupon is not None and self.coupon.is_valid():
            off = off + self.coupon.discount_for(subtotal - off)
        return off

    @property
    def tax(self):
        address = self.shipping_address or self.customer.default_address
        country = address.country if address else "DE"
        share = Decimal(1) - (self.discount_total.amount / self.subtotal.amount
                              if self.subtotal.amount else Decimal(0))
        tax = Money.zero(self.currency)
        for item in self.items:
            tax = tax + item.total * tax_rate(country, item.product.tax_class) * share
        return tax

    @property
    def total(self):
        return self.subtotal - self.discount_total + self.tax

    @property
    def weight_grams(self):
        return sum(item.weight_grams for item in self.items)

    def transition(self, new_status, note=""):
        if new_status not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.id}: {self.status.value} -> {new_status.value}")
        self.status = new_status
        self.history.append(StatusChange(new_status, note=note))
        return self

    def is_open(self):
        return self.status in (OrderStatus.DRAFT, OrderStatus.PLACED)


@dataclass
class Payment:
    order_id: str
    method: PaymentMethod
    amount: Money
    state: PaymentState = PaymentState.PENDING
    attempts: int = 0
    provider_reference: Optional[str] = None
    id: str = field(default_factory=lambda: new_id("pay"))
    failure_reason: str = ""

    @property
    def settled(self):
        return self.state in (PaymentState.CAPTURED, PaymentState.REFUNDED)


@dataclass
class Shipment:
    order_id: str
    carrier: Carrier
    weight_grams: int
    tracking_number: str = ""
    shipped_at: Optional[dt.datetime] = None
    id: str = field(default_factory=lambda: new_id("shp"))

    def tracking_url(self):
        base = {
            Carrier.DHL: "https://www.dhl.de/track?id=",
            Carrier.UPS: "https://www.ups.com/track?tracknum=",
            Carrier.POST: "https://post.example/track/",
        }[self.carrier]
        return base + self.tracking_number if self.tracking_number else ""


@dataclass
class Refund:
    order_id: str
    amount: Money
    reason: str
    payment_id: Optional[str] = None
    created_at: dt.datetime = field(default_factory=utcnow)


@dataclass
class InventoryRecord:
    sku: str
    on_hand: int = 0
    reserved: int = 0

    @property
    def available(self):
        return self.on_hand - self.reserved

    def reserve(self, quantity):
        if quantity > self.available:
            raise OutOfStockError(self.sku, quantity, self.available)
        self.reserved += quantity

    def release(self, quantity):
        self.reserved = max(0, self.reserved - quantity)

    def commit(self, quantity):
        """Reserved stock left the warehouse."""
        self.release(quantity)
        self.on_hand -= quantity


def tax_rate(country, tax_class="standard"):
    try:
        return TAX_RATES[country][tax_class]
    except KeyError:
        raise ValidationError("country", f"no tax rate for {country}/{tax_class}") from None


def money_to_dict(money):
    return {"amount": str(money.amount), "currency": money.currency}


def money_from_dict(data):
    return Money(Decimal(data["amount"]), data["currency"])


def order_to_dict(order):
    """The JSON shape the accounting export and the web front end read."""
    return {
        "id": order.id,
        "customer": {"id": order.customer.id, "email": order.customer.email,
                     "name": order.customer.name, "tier": int(order.customer.tier)},
        "status": order.status.value,
        "currency": order.currency,
        "items": [
            {"sku": i.product.sku, "name": i.product.name, "quantity": i.quantity,
             "unit_price": money_to_dict(i.unit_price), "tax_class": i.product.tax_class,
             "weight_grams": i.product.weight_grams}
            for i in order.items
        ],
        "coupon": order.coupon.code if order.coupon else None,
        "shipping_address": asdict(order.shipping_address) if order.shipping_address else None,
        "totals": {"subtotal": money_to_dict(order.subtotal),
                   "discount": money_to_dict(order.discount_total),
                   "tax": money_to_dict(order.tax), "total": money_to_dict(order.total)},
        "created_at": order.created_at.isoformat(),
        "history": [{"status": h.status.value, "at": h.at.isoformat(), "note": h.note}
                    for h in order.history],
    }


def order_from_dict(data, coupons=None):
    """Rebuild an order written by ``order_to_dict`` (totals are recomputed, not trusted)."""
    raw = data["customer"]
    customer = Customer(email=raw["email"], name=raw["name"], tier=CustomerTier(raw["tier"]),
                        id=raw["id"])
    address = Address(**data["shipping_address"]) if data.get("shipping_address") else None
    order = Order(customer=customer, currency=data["currency"], id=data["id"],
                  status=OrderStatus(data["status"]), shipping_address=address,
                  created_at=dt.datetime.fromisoformat(data["created_at"]))
    for raw_item in data["items"]:
        product = Product(sku=raw_item["sku"], name=raw_item["name"],
                          price=money_from_dict(raw_item["unit_price"]),
                          weight_grams=raw_item.get("weight_grams", 0),
                          tax_class=raw_item.get("tax_class", "standard"))
        order.items.append(LineItem(product, raw_item["quantity"]))
    if data.get("coupon") and coupons:
        order.coupon = coupons.get(data["coupon"])
    order.history = [StatusChange(OrderStatus(h["status"]), dt.datetime.fromisoformat(h["at"]),
                                  h.get("note", "")) for h in data.get("history", [])]
    return order
