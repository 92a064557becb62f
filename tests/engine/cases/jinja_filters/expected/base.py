"""The FILTERS and F constants."""

from __future__ import annotations

import typing as t

from .attributes import do_mapping_keys
from .grouping import do_batch, do_groupby
from .numeric import do_round
from .sorting import do_sort
from .text import do_title, do_upper, do_wordcount


F = t.TypeVar("F", bound=t.Callable[..., t.Any])


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
