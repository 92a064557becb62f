"""Built-in template filters."""
from __future__ import annotations

import math
import re
import typing as t
from collections import abc
from itertools import groupby

from .utils import pass_context  # noqa: F401 - re-exported for extensions

if t.TYPE_CHECKING:
    from .environment import Environment

F = t.TypeVar("F", bound=t.Callable[..., t.Any])

_word_re = re.compile(r"\w+")


def ignore_case(value: t.Any) -> t.Any:
    """For use as a key: lower-case strings, leave the rest."""
    if isinstance(value, str):
        return value.lower()
    return value


def make_attrgetter(attribute: str | None, default: t.Any = None) -> t.Callable[[t.Any], t.Any]:
    parts = (attribute or "").split(".") if attribute else []

    def getter(item: t.Any) -> t.Any:
        for part in parts:
            item = getattr(item, part, default)
        return item

    return getter


def do_upper(s: str) -> str:
    """Convert a value to uppercase.

    >>> do_upper("abc")
    'ABC'
    """
    return s.upper()


def do_title(s: str) -> str:
    """Titlecase each word.

    >>> do_title("hello world")
    'Hello World'
    """
    return "".join(w[:1].upper() + w[1:].lower() if w.strip() else w for w in re.split(r"(\s+)", s))


def do_wordcount(s: str) -> int:
    """Count the words in that string."""
    return len(_word_re.findall(s))


# Sorting and grouping ---------------------------------------------------------


def do_sort(value: t.Iterable[t.Any], reverse: bool = False, attribute: str | None = None) -> list[t.Any]:
    key = make_attrgetter(attribute)
    return sorted(value, key=lambda x: ignore_case(key(x)), reverse=reverse)


def do_groupby(value: t.Iterable[t.Any], attribute: str) -> list[tuple[t.Any, list[t.Any]]]:
    expr = make_attrgetter(attribute)
    return [(key, list(values)) for key, values in groupby(sorted(value, key=expr), expr)]


def do_round(value: float, precision: int = 0, method: str = "common") -> float:
    """Round the number to a given precision.

    >>> do_round(2.5, method="floor")
    2.0
    """
    if method == "common":
        return round(value, precision)
    func = getattr(math, {"ceil": "ceil", "floor": "floor"}[method])
    return t.cast(float, func(value * (10**precision)) / (10**precision))


def do_batch(value: t.Iterable[t.Any], linecount: int) -> t.Iterator[list[t.Any]]:
    tmp: list[t.Any] = []
    for item in value:
        if len(tmp) == linecount:
            yield tmp
            tmp = []
        tmp.append(item)
    if tmp:
        yield tmp


def do_mapping_keys(value: abc.Mapping[str, t.Any]) -> list[str]:
    return sorted(value)


def sync_do_first(environment: Environment, seq: t.Iterable[t.Any]) -> t.Any:
    for item in seq:
        return item
    return None


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
