"""Run as ``python -m pkg.big``.

The ``if __name__ == "__main__":`` block of ``big.py``.
"""

import sys
from .utils import main


if __name__ == "__main__":
    sys.exit(main())
