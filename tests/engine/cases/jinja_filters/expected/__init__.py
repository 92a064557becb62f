"""Built-in template filters."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from ..utils import pass_context  # noqa: F401 - re-exported for extensions
from .word import (
    _word_re as _word_re, do_upper, do_title, do_wordcount, do_mapping_keys,
)
from .utils import ignore_case, make_attrgetter, do_sort, do_groupby
from .do_round_and_do_batch import do_round, do_batch
from .base import F, FILTERS
from .strategies import sync_do_first

__all__ = [
    'pass_context', 'F', 'ignore_case', 'make_attrgetter', 'do_upper',
    'do_title', 'do_wordcount', 'do_sort', 'do_groupby', 'do_round',
    'do_batch', 'do_mapping_keys', 'sync_do_first', 'FILTERS',
]
