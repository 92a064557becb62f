from decimal import Decimal

import pytest

from legacy_shop import service, storage
from legacy_shop.models import Address, Customer, CustomerTier, Money, Product


@pytest.fixture(autouse=True)
def _fresh_outbox():
    service.OUTBOX.clear()
    service.reset_manager()
    yield
    service.OUTBOX.clear()


@pytest.fixture
def address():
    return Address("Ada Lovelace", "Hauptstr. 1", "Berlin", "10115", "DE")


@pytest.fixture
def customer(address):
    return Customer("ada@example.org", "Ada", addresses=[address])


@pytest.fixture
def gold_customer(address):
    return Customer("grace@example.org", "Grace", tier=CustomerTier.GOLD, addresses=[address])


@pytest.fixture
def book():
    return Product("BK-1001", "Analytical Engines", Money(Decimal("39.90")), 800, "reduced")


@pytest.fixture
def tea():
    return Product("TEA-204", "Earl Grey", Money(Decimal("6.50")), 250)


@pytest.fixture
def inventory():
    return storage.InventoryStore({"BK-1001": 5, "TEA-204": 40})
