"""One-line module docstrings built from what a module holds: its units' names and their own
docstrings ("The Choice, Tuple and 2 more classes; the convert_type function.")."""

from __future__ import annotations

import re
from collections.abc import Collection

from modularize.agents.engine.naming import (
    NOT_A_KIND,
    bases,
    doc_text,
    is_type_var,
    kind,
    named_units,
    shared_base,
)
from modularize.agents.engine.topics import HELPERS, REGISTRY, Topic
from modularize.agents.engine.units import Unit

_SHORT = 72  # longest first line of a generated docstring: with quotes, under 79 columns


def _listing(names: list[str], noun: str, limit: int) -> str:
    limit = limit + 1 if len(names) == limit + 1 else limit  # never "and 1 more"
    shown = names[:limit]
    if len(names) > limit:
        return f"{', '.join(shown)} and {len(names) - limit} more {noun}"
    if len(shown) == 1:
        return f"{shown[0]} {noun[:-2] if noun.endswith('classes') else noun[:-1]}"
    return f"{', '.join(shown[:-1])} and {shown[-1]} {noun}"


_GENERIC_TAILS = NOT_A_KIND | {"types"}  # "Types for numbers" says nothing


def describe(
    units: list[Unit],
    first_line: int,
    topic: Topic | None = None,
    tail: str = "",
    on_topic: Collection[str] = (),
) -> str:
    """A one-line summary of what the units are: ``Choice, Path and 3 more ParamType
    subclasses; the convert_type function.`` Built from their names and docstrings; with a
    topic, what they are for: ``Filters for text: do_upper, do_lower and 9 more.``, its
    examples taken first from the units about it (``on_topic``)."""
    named = named_units(units)
    if not named:
        return f"Statements run at import time, from line {first_line} of the original."
    total = sum(u.lines for u in units)
    main = named[0]
    doc = _doc_line(main)
    if doc and main.lines * 5 >= total * 3:  # one documented definition makes the module
        text = f"{main.id}: {doc[0].lower() + doc[1:]}"
        if len(text) <= _SHORT:
            return text if text.endswith(".") else text.rstrip(".:;,") + "."
    if sum(map(is_type_var, named)) * 2 > len(named):
        return f"Type variables the modules of ``{tail}`` share." if tail else "Type variables."
    if topic is REGISTRY:  # tables of definitions by name, or functions assembling them
        what = tail if tail.endswith("s") and tail.isalpha() else "definitions"
        tables = all(kind(u) == "value" for u in named)
        listed = _listing([u.id for u in named], "tables" if tables else "functions", 3)
        text = f"The {listed}: " + (
            f"the package's {what} by name." if tables else f"all the package's {what}."
        )
        if len(text) <= _SHORT:
            return text
    if topic is not None:  # what the module is for, and what it holds (or the largest of it)
        noun = "Helpers" if topic is HELPERS else _noun(units, named, tail)
        head = f"{noun} {topic.phrase}"
        public = [u.id for u in named if not u.id.startswith("_")] or [u.id for u in named]
        public.sort(key=lambda n: n not in on_topic)
        text = f"{head}: {_listing(public, '', len(public)).rstrip()}."
        lines = {u.id: u.lines for u in named}
        largest = sorted(public, key=lambda n: (n not in on_topic, -lines[n]))
        # ``do_slice``, not its implementation ``sync_do_slice``
        largest = [n for n in largest if not (n.startswith("sync_") and n[5:] in public)]
        for count in (3, 2, 1):
            if len(text) <= _SHORT:
                break
            text = f"{head}, such as {_listing(largest[:count], '', count).rstrip()}."
        return text if len(text) <= _SHORT else f"{head}."
    for parts in (3, 2, 1):  # the largest kinds of definition first, as many as fit
        for limit in (len(named), 4, 3, 2, 1):  # every name when they fit
            text = _summary(units, named, limit, parts)
            if len(text) <= _SHORT:
                return text
    return text if len(text) <= _SHORT else f"{text[: _SHORT - 4].rstrip(' ,;')}..."


def _noun(units: list[Unit], named: list[Unit], tail: str) -> str:
    """What the units are, in a word: their shared base class, the kind the original
    holds (``Filters`` out of ``filters.py``), else classes or functions."""
    kinds = {kind(u) for u in named}
    base = shared_base(units)
    if kinds == {"class"} and base and all(base in bases(u) for u in named):
        return f"{base} classes"
    if tail.endswith("s") and tail.isalpha() and not tail.endswith(tuple(_GENERIC_TAILS)):
        return tail.capitalize()
    lines = {k: sum(u.lines for u in named if kind(u) == k) for k in kinds}
    return "Classes" if max(lines, key=lambda k: lines[k]) == "class" else "Functions"


def _summary(units: list[Unit], named: list[Unit], limit: int, kinds: int = 3) -> str:
    base = shared_base(units)
    parts = []
    by_kind: dict[str, list[Unit]] = {}
    for unit in sorted(named, key=lambda u: u.id.startswith("_")):  # public names first
        by_kind.setdefault(kind(unit), []).append(unit)
    order = sorted(by_kind, key=lambda k: -sum(u.lines for u in by_kind[k]))
    for k in order:
        names = [u.id for u in by_kind[k]]
        if k == "class":
            derived = base and all(base in bases(u) for u in by_kind[k])  # not base itself
            noun = f"{base} classes" if derived else "classes"
        elif k == "function":
            noun = "functions"
        else:
            noun = "constants" if all(n.isupper() for n in names) else "names"
        parts.append("the " + _listing(names, noun, limit))
    text = "; ".join(parts[:kinds])
    return text[0].upper() + text[1:] + "."


def _doc_line(unit: Unit) -> str | None:
    """The first sentence of the unit's docstring, when it is short and plain."""
    text = doc_text(unit)
    sentence = re.split(r"(?<=[.!?])\s", text)[0] if text else ""
    ok = 8 <= len(sentence) <= _SHORT and sentence.endswith(".") and safe_doc(sentence)
    return sentence if ok and "``" not in sentence and ":" not in sentence else None


def safe_doc(line: str) -> bool:
    """A line that can go inside a triple-quoted docstring unchanged."""
    return '"""' not in line and "\\" not in line and not line.endswith('"') and line.isprintable()
