"""Facts about the interpreter, found while the module imports (boltons ecoutils)."""

import sys

VERSION = "1.1.0"
IS_64BIT = sys.maxsize > 2**32
HAVE_UCS4 = getattr(sys, "maxunicode", 0) > 65536

try:
    import zlib

    ZLIB_VERSION = zlib.ZLIB_VERSION
except ImportError:
    ZLIB_VERSION = ""

try:
    from json import dumps
except ImportError:
    dumps = repr

try:
    import _no_such_module_here  # noqa: F401

    HAVE_THREADS = True
except ImportError:
    HAVE_THREADS = False


def profile():
    """Everything at once."""
    return {
        "version": VERSION,
        "64bit": IS_64BIT,
        "ucs4": HAVE_UCS4,
        "zlib": bool(ZLIB_VERSION),
        "threads": HAVE_THREADS,
    }


def report():
    return dumps(profile(), sort_keys=True)
