"""legacy_shop: order handling for the old web shop."""

__version__ = "2.3.1"
