"""Run as ``python -m pkg.big``.

The ``if __name__ == "__main__":`` block of ``big.py``.
"""

from .strategies import _main


if __name__ == "__main__":
    _main()
