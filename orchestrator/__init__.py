"""modularize: split oversized Python modules into small, focused packages."""

__version__ = "0.1.0"
