"""Built-in template filters."""

from ..utils import pass_context  # noqa: F401 - re-exported for extensions
from .attributes import make_attrgetter, do_mapping_keys
from .base import F, FILTERS
from .grouping import do_groupby, do_batch
from .numeric import do_round
from .sorting import do_sort, sync_do_first
from .text import (
    _word_re as _word_re, ignore_case, do_upper, do_title, do_wordcount,
)

__all__ = [
    "pass_context", "F", "ignore_case", "make_attrgetter", "do_upper",
    "do_title", "do_wordcount", "do_sort", "do_groupby", "do_round",
    "do_batch", "do_mapping_keys", "sync_do_first", "FILTERS",
]
