"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

import os

# The file this code was written in: __file__-relative paths stay the same.
_modularized_from = __file__[: -len('/base.py')] + '.py'


DATA_DIR = os.path.join(os.path.dirname(_modularized_from), "data")
_cache = {}
