"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

from .utils_do_batch import do_batch, do_mapping_keys
from .utils_do_round import do_groupby, do_round, do_sort, do_wordcount
from .utils_make_attrgetter import do_title, do_upper


FILTERS = {
    "upper": do_upper,
    "title": do_title,
    "wordcount": do_wordcount,
    "sort": do_sort,
    "groupby": do_groupby,
    "round": do_round,
    "batch": do_batch,
    "keys": do_mapping_keys,
}
