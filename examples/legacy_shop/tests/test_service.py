import logging
from decimal import Decimal
from unittest import mock

import pytest

from legacy_shop import service
from legacy_shop.models import (
    Coupon,
    InvalidTransition,
    Money,
    OrderStatus,
    OutOfStockError,
    PaymentMethod,
    PaymentState,
    ValidationError,
)
from legacy_shop.service import (
    PAYMENT_PROVIDERS,
    CardProvider,
    CircuitBreaker,
    CircuitOpen,
    OrderManager,
    PaymentDeclined,
    TransientGatewayError,
    retry,
)


def gateway_from(*answers):
    """A gateway that gives the answers in order, then succeeds."""
    queue = list(answers)

    def gateway(amount, reference):
        return queue.pop(0) if queue else {"ok": True, "reference": reference}

    return gateway


def make_manager(inventory, gateway=None, coupons=()):
    providers = {PaymentMethod.CARD: CardProvider(gateway=gateway)}
    return OrderManager(inventory=inventory, providers=providers, coupons=list(coupons))


def placed_order(manager, customer, book, tea):
    order = manager.create_order(customer)
    manager.add_item(order.id, book)
    manager.add_item(order.id, tea, 2)
    return order


def test_providers_register_themselves():
    assert set(PAYMENT_PROVIDERS) == set(PaymentMethod)
    assert PAYMENT_PROVIDERS[PaymentMethod.CARD] is CardProvider


def test_checkout_charges_total_plus_shipping_and_mails_a_receipt(inventory, customer, book, tea):
    manager = make_manager(inventory)
    order = placed_order(manager, customer, book, tea)
    payment = manager.checkout(order.id)
    assert payment.state is PaymentState.CAPTURED
    assert payment.amount == Money(Decimal("65.11"))  # 58.16 + 6.95 shipping
    assert manager.repository.get(order.id).status is OrderStatus.PAID
    assert inventory.record("BK-1001").reserved == 1
    assert [m["subject"] for m in service.OUTBOX] == [f"Your order {order.id}"]


def test_retry_sleeps_with_backoff_on_timeouts(inventory, customer, book, tea):
    manager = make_manager(inventory, gateway_from({"timeout": True}, {"timeout": True}))
    order = placed_order(manager, customer, book, tea)
    with mock.patch("legacy_shop.service._sleep") as sleep:
        payment = manager.checkout(order.id)
    assert payment.attempts == 3
    assert sleep.call_args_list == [mock.call(0.2), mock.call(0.4)]


def test_gives_up_after_retries_and_releases_stock(inventory, customer, book, tea):
    timeouts = [{"timeout": True}] * 3
    manager = make_manager(inventory, gateway_from(*timeouts))
    order = placed_order(manager, customer, book, tea)
    with mock.patch("legacy_shop.service._sleep"), pytest.raises(TransientGatewayError):
        manager.checkout(order.id)
    assert inventory.record("BK-1001").reserved == 0
    assert manager.repository.get(order.id).status is OrderStatus.PLACED


def test_decline_is_not_retried(inventory, customer, book, tea):
    manager = make_manager(inventory, gateway_from({"ok": False, "reason": "insufficient funds"}))
    order = placed_order(manager, customer, book, tea)
    with mock.patch("legacy_shop.service._sleep") as sleep, pytest.raises(PaymentDeclined):
        manager.checkout(order.id)
    sleep.assert_not_called()
    [payment] = manager.payments.values()
    assert payment.failure_reason == "insufficient funds"


def test_circuit_breaker_opens_and_half_opens():
    breaker = CircuitBreaker("card", failures=2, cooldown=10)

    def broken():
        raise TransientGatewayError("boom")

    with mock.patch("legacy_shop.service._now", return_value=100.0):
        for _ in range(2):
            with pytest.raises(TransientGatewayError):
                breaker.call(broken)
        assert breaker.state == CircuitBreaker.OPEN
        with pytest.raises(CircuitOpen):
            breaker.call(lambda: "never called")
    with mock.patch("legacy_shop.service._now", return_value=111.0):
        assert breaker.state == CircuitBreaker.HALF_OPEN
        assert breaker.call(lambda: "ok") == "ok"
        assert breaker.state == CircuitBreaker.CLOSED


def test_retry_decorator_passes_results_through():
    calls = []

    @retry(times=2, backoff=0)
    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise TransientGatewayError("once")
        return "done"

    with mock.patch("legacy_shop.service._sleep"):
        assert flaky() == "done"
    assert flaky.__name__ == "flaky"


def test_out_of_stock_reserves_nothing(inventory, customer, book, tea):
    manager = make_manager(inventory)
    order = manager.create_order(customer)
    manager.add_item(order.id, tea, 2)
    manager.add_item(order.id, book, 6)
    with pytest.raises(OutOfStockError):
        manager.checkout(order.id)
    assert inventory.record("TEA-204").reserved == 0


def test_coupon_is_case_insensitive_and_single_use(inventory, customer, book, tea):
    coupon = Coupon("WELCOME10", percent_off=Decimal("0.10"), single_use=True)
    manager = make_manager(inventory, coupons=[coupon])
    order = placed_order(manager, customer, book, tea)
    manager.apply_coupon(order.id, "welcome10")
    assert manager.quote(order.id)["discount"] == Money(Decimal("5.29"))
    with pytest.raises(ValidationError, match="coupon"):
        manager.apply_coupon(order.id, "NOPE")


def test_ship_then_refund_sends_mails(inventory, customer, book, tea):
    manager = make_manager(inventory)
    order = placed_order(manager, customer, book, tea)
    manager.checkout(order.id)
    shipment = manager.ship(order.id, tracking_number="123")
    assert shipment.tracking_url().endswith("123")
    refund = manager.refund(order.id, "damaged")
    assert refund.amount == Money(Decimal("65.11"))
    assert manager.repository.get(order.id).status is OrderStatus.REFUNDED
    assert len(service.OUTBOX) == 3


def test_cancel_releases_and_closes(inventory, customer, book, tea):
    manager = make_manager(inventory)
    order = placed_order(manager, customer, book, tea)
    manager.cancel(order.id, "changed my mind")
    with pytest.raises(InvalidTransition):
        manager.add_item(order.id, tea)


def test_broken_mail_does_not_undo_payment(inventory, customer, book, tea, caplog):
    manager = make_manager(inventory)
    order = placed_order(manager, customer, book, tea)
    with mock.patch("legacy_shop.service.send_email", side_effect=OSError("relay down")):
        with caplog.at_level(logging.ERROR, logger="legacy_shop.service"):
            payment = manager.checkout(order.id)
    assert payment.state is PaymentState.CAPTURED
    assert "handler mail_receipt for order.paid failed" in caplog.text


def test_stats_count_revenue(inventory, customer, book, tea):
    manager = make_manager(inventory)
    placed_order(manager, customer, book, tea)
    paid = placed_order(manager, customer, book, tea)
    manager.checkout(paid.id)
    stats = manager.stats()
    assert stats["orders"] == 2
    assert stats["by_status"] == {"draft": 1, "paid": 1}
    assert stats["revenue"] == Money(Decimal("58.16"))


def test_get_manager_is_shared_until_reset():
    first = service.get_manager()
    assert service.get_manager() is first
    service.reset_manager()
    assert service.get_manager() is not first


def test_demo_main_runs(capsys):
    with mock.patch("legacy_shop.service._sleep"):
        assert service.main([]) == 0
    assert "paid" in capsys.readouterr().out
