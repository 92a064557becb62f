"""Shipping prices; the carrier contracts are renegotiated every spring."""
from decimal import Decimal

from .models import Carrier, Money

# (max grams, price in cents) per zone, cheapest first.
SHIPPING_TABLE = {
    "domestic": [(1000, 495), (5000, 695), (31500, 1195)],
    "eu": [(1000, 1295), (5000, 1795), (31500, 3495)],
    "world": [(1000, 2495), (5000, 4495), (31500, 8995)],
}
EU_COUNTRIES = {"FR", "NL", "AT", "BE", "IT", "ES", "PL"}
FREE_SHIPPING_FROM = Money(Decimal("75.00"))


def zone_for(country):
    if country == "DE":
        return "domestic"
    return "eu" if country in EU_COUNTRIES else "world"


def shipping_cost(weight_grams, country, subtotal=None):
    if subtotal is not None and zone_for(country) == "domestic" and FREE_SHIPPING_FROM <= subtotal:
        return Money.zero()
    for max_grams, cents in SHIPPING_TABLE[zone_for(country)]:
        if weight_grams <= max_grams:
            return Money.from_cents(cents)
    raise ValueError(f"{weight_grams} g is too heavy for parcel shipping")


def carrier_for(weight_grams, country):
    if zone_for(country) == "domestic":
        return Carrier.DHL if weight_grams > 2000 else Carrier.POST
    return Carrier.UPS
