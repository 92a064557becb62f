"""Names and docstrings of generated modules: say what is inside, never collide with names
of the original, never numbered.

The largest module of a role takes the role's name (``base``, ``strategies``...); every other
module is named for what its units share: the class they all derive from (``param_types``), a
word in most of their names (``slice``), or the definition that makes most of the module.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from modularize.agents.engine import topics
from modularize.agents.engine.model import EngineConfig
from modularize.agents.engine.units import Unit, base_names

if TYPE_CHECKING:  # the context imports the cycle check, which names modules
    from modularize.agents.engine.context import SourceContext

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
RESERVED = frozenset({"__init__", "__main__"})
# words that say nothing about what a definition is about
_STOP = frozenset(
    "do get set is has make new sync async the to from for of and with in on by as at "
    "impl func function class obj object value values data default base".split()
)
_ENGLISH = frozenset(
    "the and but then else into onto are was were been being its this that these those there "
    "here which who whom what when where why how not nor than too very can could should would "
    "will shall may might must does did done has have had having return returns returned given "
    "give gives use used uses using also only each every any all some such other another same "
    "more most less least one two first last get set value values object objects item items "
    "instance instances none true false self cls argument arguments parameter parameters see "
    "example etc it's you your their them they like just way want need needs".split()
)
_GENERIC_BASES = frozenset({"object", "ABC", "Generic", "Protocol", "NamedTuple", "TypedDict"})


def taken_names(ctx: SourceContext, config: EngineConfig) -> set[str]:
    """Names a new module may not take: top-level names of the original, existing modules."""
    taken = set(RESERVED)
    taken.update(n for s in ctx.stmts for n in s.binds)
    taken.update(ctx.import_names)
    taken.update(ctx.typing_names)
    taken.update(config.existing_names)
    tail = config.module.rpartition(".")[2]  # ``loaders/loaders.py`` reads as a stutter,
    taken.update((tail, _STUTTER + tail.replace("_", "")))  # and so does ``block_processors``
    # ``from . import map`` in the package would hide the builtin there: ``map.py`` reads badly
    taken.update(n for n in dir(builtins) if n.islower())
    return taken


_STUTTER = "-"  # marks the package's own name, underscores left out, among taken names


def is_reserved_word(name: str) -> bool:
    """A keyword or soft keyword (``match``, ``case``, ``type``, ``_``): no module takes one."""
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def snake(name: str) -> str:
    """``PricingStrategy`` -> ``pricing_strategy``; leading underscores dropped."""
    words = _CAMEL.sub("_", name.strip("_")).lower()
    words = re.sub(r"[^a-z0-9_]+", "_", words).strip("_")
    return words or "part"


def free(name: str, taken: set[str]) -> bool:
    """Whether ``name`` can be a new module's name: an identifier, not numbered, not taken."""
    return _usable(name, taken)


def _usable(name: str, taken: set[str]) -> bool:
    return (
        name.isidentifier()
        and not re.search(r"_\d+$", name)  # reads as a numbered copy
        and not is_reserved_word(name)
        and not name[0].isdigit()
        and name not in taken
        and _STUTTER + name.replace("_", "") not in taken
    )


def unique(stem: str, taken: set[str]) -> str:
    """``stem``, else ``stem_more``, ``stem_extra``... whichever is free (then taken); the last
    resort of ``choose``, when every name that says what a module holds is taken."""
    stem = stem if stem.isidentifier() and not is_reserved_word(stem) else f"{stem}_"
    stem = re.sub(r"_\d+$", "", stem) or "part"
    tails = ["", "_more", "_extra", "_other", "_rest"]
    candidates = [stem + t for t in tails] + [
        f"{stem}_{t * n}" for n in range(2, 99) for t in "xyz"
    ]
    candidate = next(c for c in candidates if _usable(c, taken))
    taken.add(candidate)
    return candidate


def choose(candidates: list[str], taken: set[str]) -> str:
    """The first free candidate (it is then taken)."""
    for candidate in candidates:
        if _usable(candidate, taken):
            taken.add(candidate)
            return candidate
    return unique(candidates[0], taken)


def kind(unit: Unit) -> str:
    """class, function or value: what the unit mainly defines."""
    node = unit.stmts[-1].node
    if isinstance(node, cst.ClassDef):
        return "class"
    if isinstance(node, cst.FunctionDef):
        return "function"
    return "value"


def own_module_name(unit: Unit) -> str:
    """The module of a single definition over the limit: ``environment_class`` style."""
    label = "defs" if kind(unit) == "value" else kind(unit)
    return f"{snake(unit.id) if not unit.id.startswith('stmt@') else 'statements'}_{label}"


def named_units(units: list[Unit]) -> list[Unit]:
    """Named units, largest first; private ones only when they make most of the lines."""
    named = sorted(
        (u for u in units if not u.id.startswith("stmt@")), key=lambda u: (-u.lines, u.first)
    )
    public = [u for u in named if not u.id.startswith("_")]
    if sum(u.lines for u in public) * 2 >= sum(u.lines for u in named):
        return public
    return named


def class_bases(unit: Unit) -> list[str]:
    """The names of the classes a class unit derives from (``[]`` for anything else)."""
    return bases(unit, generic=True)


def bases(unit: Unit, generic: bool = False) -> list[str]:
    return [b for b in base_names(unit) if generic or b not in _GENERIC_BASES]


def shared_base(units: list[Unit], everything: Sequence[Unit] = ()) -> str | None:
    """The class most of the group's classes derive from (or are), directly or through
    classes of the file (``everything``), when there is one."""
    classes = [u for u in units if kind(u) == "class"]
    if len(classes) < 2:
        return None
    own = {u.id: bases(u) for u in units if kind(u) == "class"}
    known = everything if isinstance(everything, FileUnits) else None
    if known is not None and own.items() <= known.parents.items():
        parents = known.parents  # (the same dict ``everything`` and ``units`` would make)
    else:
        known, parents = None, {**_parents(everything), **own}
    lines: Counter[str] = Counter()
    lineage = {u.id: _ancestors(u.id, parents) for u in classes}
    for unit in classes:
        for base in lineage[unit.id]:
            lines[base] += unit.lines
    total = sum(u.lines for u in units)
    counted = Counter(b for u in classes for b in lineage[u.id])
    fit = [b for b in sorted(lines) if counted[b] >= 2 and lines[b] * 2 >= total]
    if not fit:
        return None
    # the most specific: ``_NumberParamTypeBase`` rather than ``ParamType`` for Int and Float
    if known is not None:
        family = known.family
    else:
        family = Counter(b for name in parents for b in _ancestors(name, parents))
    return min(fit, key=lambda b: (family[b], -lines[b], b))


def _parents(units: Sequence[Unit]) -> dict[str, list[str]]:
    return {u.id: bases(u) for u in units if kind(u) == "class"}


def _ancestors(name: str, parents: dict[str, list[str]]) -> set[str]:
    """The class and every class it derives from, as far as ``parents`` knows them."""
    found, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(parents.get(current, ()))
    return found


class FileUnits(list[Unit]):
    """The file's units, with what naming reads of all of them found once: a name is chosen
    for each module against the whole file (a list: it is read, never changed)."""

    @functools.cached_property
    def parents(self) -> dict[str, list[str]]:
        return _parents(self)

    @functools.cached_property
    def family(self) -> Counter[str]:
        return Counter(b for name in self.parents for b in _ancestors(name, self.parents))

    @functools.cached_property
    def name_words(self) -> Counter[str]:
        return Counter(w for u in self for w in set(snake(u.id).split("_")))

    @functools.cached_property
    def words(self) -> Counter[str]:
        seen: Counter[str] = Counter()
        for unit in self:
            name, doc = _words(unit)
            seen.update(name | doc)
        return seen


def _plural(word: str) -> str:
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _shared_word(units: list[Unit], everything: list[Unit]) -> str | None:
    """A word in the names of most of the group (by lines), e.g. ``slice`` in ``do_slice``,
    and not in the names of half the file (``iter`` in iterutils says nothing)."""
    total = sum(u.lines for u in units)
    if isinstance(everything, FileUnits):
        in_file = everything.name_words
    else:
        in_file = Counter(w for u in everything for w in set(snake(u.id).split("_")))
    lines: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for unit in units:
        if unit.id.startswith("stmt@"):
            continue
        words = {w for w in snake(unit.id).split("_") if len(w) > 2 and w not in _STOP}
        for word in words:
            lines[word] += unit.lines
            count[word] += 1
    ranked = sorted(lines, key=lambda w: (-lines[w], w))
    for word in ranked:
        if (
            count[word] >= 2
            and lines[word] * 5 >= total * 2
            and in_file[word] * 2 <= len(everything)
        ):
            return word
    return None


def name_words(unit: Unit) -> list[str]:
    """The words of a unit's name that say something (``sync_do_slice`` -> ``slice``)."""
    if unit.id.startswith("stmt@"):
        return []
    return [w for w in snake(unit.id).split("_") if len(w) > 2 and w not in _STOP | _ENGLISH]


def _words(unit: Unit) -> tuple[set[str], set[str]]:
    """(words of the unit's name, words of its docstring's first paragraph) that say
    something: no stop words, no short words."""
    named = set() if unit.id.startswith("stmt@") else set(snake(unit.id).split("_"))
    doc = set(re.findall(r"[a-z]{3,}", doc_text(unit).lower()))
    return _telling(named), _telling(doc)


def _telling(words: set[str]) -> set[str]:
    return {w for w in words if len(w) > 2 and w not in _STOP | _ENGLISH}


def _theme_words(units: list[Unit], everything: list[Unit]) -> list[str]:
    """Words most of the group's units share, in their names or docstrings, and few other
    units of the file do (the more distinctive, the better), best first."""
    seen = everything.words if isinstance(everything, FileUnits) else FileUnits(everything).words
    score: dict[str, float] = {}
    count: Counter[str] = Counter()
    in_names = {w for u in units for w in _words(u)[0]}  # a docstring word alone may mislead
    for unit in units:
        name, doc = _words(unit)
        for word in (name | doc) & in_names:
            count[word] += 1
            score[word] = score.get(word, 0.0) + (2.0 if word in name else 1.0) * math.log(
                1 + len(everything) / seen[word]
            )
    need = max(2, math.ceil(len(units) * 0.3))
    common = len(everything) / 2  # in half the file: says nothing about this group
    ranked = sorted(
        (w for w in score if count[w] >= need and seen[w] <= common),
        key=lambda w: (-score[w], w),
    )
    return ranked[:3]


def is_type_var(unit: Unit) -> bool:
    """Whether the unit is a ``TypeVar``/``ParamSpec`` assignment."""
    return any(re.search(r"=\s*(\w+\.)?(TypeVar|ParamSpec)\(", s.code) for s in unit.stmts)


def _type_vars(units: list[Unit]) -> bool:
    """Whether most of the units are ``TypeVar``/``ParamSpec`` assignments."""
    return sum(map(is_type_var, units)) * 2 > len(units)


def content_names(
    units: list[Unit],
    everything: list[Unit],
    role: str,
    unit_topics: dict[str, topics.Topic] | None = None,
) -> list[str]:
    """Names saying what a module's units share, best first ([] when nothing can be told):
    TypeVars, their base class, a word of most of their names or docstrings, or the one
    class making most of the module."""
    found = topics.unit_topics(everything) if unit_topics is None else unit_topics
    topic = None if _type_vars(units) else topics.dominant(units, found)
    candidates = list(topic.names) if topic is not None else []
    if topic is topics.REGISTRY:  # ``build_block_parser`` makes ``block_parser.py``
        functions = [u.id for u in named_units(units) if kind(u) == "function"]
        candidates[:0] = [re.sub(r"^_?(build|make|create)_", "", f) for f in functions]
    candidates += [n for n in strong_names(units, everything) if n not in candidates]
    candidates += [w for w in _theme_words(units, everything) if w not in candidates]
    # a word that names a definition of the original is taken: "backoff" -> "backoff_utils"
    return candidates + [f"{c}_{role}" for c in candidates if c != "type_vars"]


def strong_names(units: list[Unit], everything: list[Unit]) -> list[str]:
    """The names ``content_names`` is surest of: TypeVars, a shared base class, a word of
    most of the units' names, the class making most of the module (no docstring words)."""
    candidates = []
    if _type_vars(units):
        candidates.append("type_vars")
    base = shared_base(units, everything)
    if base is not None:
        candidates.append(_plural(re.sub(r"_base$|^base_", "", snake(base)) or snake(base)))
    word = _shared_word(units, everything)
    if word is not None:
        candidates.append(word)
    named = named_units(units)
    total = sum(u.lines for u in units)
    if named and kind(named[0]) == "class" and named[0].lines * 2 >= total:
        candidates.append(snake(named[0].id))
    return candidates


NOT_A_KIND = frozenset({"utils", "tools", "helpers", "misc", "extras", "internals", "compat"})
_PAIR_NAME = 24  # longest ``a_and_b`` name: past it, it reads as a sentence


def fallback_names(units: list[Unit], role: str, original: str = "") -> list[str]:
    """Names for a module whose units share nothing: the definition making most of it, its
    largest definition's word with the kind the original holds (``sort_filters`` out of
    ``filters.py``), else its two largest definitions."""
    named = named_units(units)
    total = sum(u.lines for u in units)
    found = [snake(named[0].id)] if named and named[0].lines * 2 >= total else []
    kinds = snake(original)
    if kinds.endswith("s") and not kinds.endswith(tuple(NOT_A_KIND)):
        found += [f"{w}_{kinds}" for u in named[:2] for w in name_words(u)[:1]]
    if len(named) >= 2:
        pair = f"{snake(named[0].id)}_and_{snake(named[1].id)}"
        found += [pair] if len(pair) <= _PAIR_NAME else []
    found.append(snake(named[0].id) if named else "statements")
    return found + [f"{role}_{f}" for f in found]


def doc_text(unit: Unit) -> str:
    """The first paragraph of the unit's docstring, on one line ("" when it has none)."""
    node = unit.stmts[-1].node
    if not isinstance(node, (cst.ClassDef, cst.FunctionDef)):
        return ""
    doc = node.get_docstring() or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


def overhead(units: list[Unit]) -> int:
    """Lines a module needs besides its units: docstring, imports (an upper estimate)."""
    names = {n for u in units for n in u.name_refs}
    return 6 + min(len(names), 12 + len(names) // 3)
