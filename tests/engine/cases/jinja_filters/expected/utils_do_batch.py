"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t
from collections import abc


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
