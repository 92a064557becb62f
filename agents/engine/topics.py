"""What a unit is about, told from the words of its name and docstring (pure).

A small vocabulary of the topics big Python modules are made of (text, numbers, dates,
sorting, grouping, files, terminal output...), each with the words that give it away. A unit
takes the topic its words point to most (its name counts three times its docstring); words
that half the file shares say nothing (``filter`` in ``filters.py``, ``iter`` in
``iterutils.py``). Groups of one topic share a module, which is named for it (``text.py``)
and documented for it ("Filters for text: ...").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

import libcst as cst

from modularize.agents.engine.units import Unit, ancestors, base_names

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NAME_WEIGHT = 3
_ENOUGH = 2  # a name word, or two docstring words
_COMMON = 0.4  # a word in this share of the file's units is the file's, not a topic's
_FILE_TOPIC = 0.5  # a topic of this share of the file's definitions is the file's
_HELPER_LINES = 60  # longest function that can be a shared helper


@dataclass(frozen=True)
class Topic:
    """A topic: the names a module of it may take, and how its docstring says it."""

    names: tuple[str, ...]
    phrase: str
    words: frozenset[str]


def _topic(names: str, phrase: str, words: str) -> Topic:
    return Topic(tuple(names.split()), phrase, frozenset(words.split()))


# Module names avoid the standard library's (``numbers``, ``string``, ``time``): a module of
# the package must not read as, or shadow, the one a reader knows.
TOPICS: tuple[Topic, ...] = (
    _topic(
        "text strings",
        "for text",
        "string str text unicode upper lower uppercase lowercase capitalize capitalized title "
        "titlecase center trim whitespace wrap wordwrap indent dedent truncate word "
        "wordcount character char pad prefix suffix replace ascii slug slugify camel letter "
        "substring sentence",
    ),
    _topic(
        "numeric",
        "for numbers",
        "number numeric int integer float decimal round rounding sum min max minimum maximum "
        "abs absolute digit fraction percent ordinal intword scientific clamp",
    ),
    _topic(
        "markup html",
        "for HTML and markup",
        "html markup escape escaped unescape xml xmlattr safe unsafe tag striptags entity "
        "forceescape autoescape",
    ),
    _topic("urls", "for URLs", "url uri urlencode urlize querystring scheme http https"),
    _topic("links", "for links and images", "link image reference autolink automail anchor href"),
    _topic("emphasis", "for emphasis", "em strong emphasis asterisk underscore delimiter"),
    _topic(
        "sorting",
        "for sorting",
        "sort sorted sorting dictsort reverse reversed rank topk smallest "
        "largest nlargest nsmallest",
    ),
    _topic(
        "filtering",
        "for selecting and rejecting items",
        "select reject selectattr rejectattr remove predicate keep exclude",
    ),
    _topic(
        "grouping",
        "for grouping and partitioning",
        "group groupby grouped bucket bucketize partition chunk chunked batch window windowed "
        "pairwise sliding frequency frequencies reduceby countby",
    ),
    _topic(
        "duplicates",
        "for removing duplicates",
        "unique uniq dedupe deduplicate distinct isdistinct duplicate redundant",
    ),
    _topic("transforms", "for applying a function to each item", "map apply transform"),
    _topic(
        "splitting", "for splitting and stripping", "split splitter separator strip lstrip rstrip"
    ),
    _topic("ranges", "for ranges and counting", "frange xfrange arange iterate step"),
    _topic("comparison", "for comparing values", "diff difference compare comparison equal same"),
    _topic(
        "selection",
        "for picking items",
        "first second last nth take drop tail head pluck peek peekn sample random slice",
    ),
    _topic(
        "combining",
        "for combining sequences",
        "concat concatv concatenate concatenation mapcat cons interpose interleave merge chain zip "
        "flatten union join joined",
    ),
    _topic(
        "dates",
        "for dates and times",
        "date time datetime timedelta timestamp day month year hour minute timezone epoch "
        "duration naturaltime naturaldelta naturalday naturaldate clock calendar week ago "
        "precisedelta",
    ),
    _topic(
        "paths files",
        "for files and paths",
        "path file filename directory folder glob filesystem mkdir",
    ),
    _topic(
        "streams",
        "for streams",
        "stream stdout stdin stderr buffer flush pipe",
    ),
    _topic("parsing", "for parsing", "parse parser parsing token tokenize tokenizer lexer grammar"),
    _topic("validation", "for validation", "validate validator validation valid invalid ensure"),
    _topic(
        "concurrency",
        "for threads and processes",
        "thread threading lock queue pool worker concurrent semaphore",
    ),
    _topic("caching", "for caching", "cache cached caching memoize memo lru ttl lfu fifo expire"),
    _topic(
        "terminal",
        "for terminal input and output",
        "color colour style styled echo prompt terminal tty progress progressbar pager clear "
        "edit editor launch getchar ansi console confirm",
    ),
    _topic("logs", "for logging", "log logger logging"),
    _topic(
        "serialization",
        "for serialization",
        "json tojson yaml pickle serialize deserialize dump dumps load loads marshal",
    ),
    _topic("retries", "for retries and backoff", "backoff retry retries delay jitter attempt"),
    _topic("identifiers", "for unique identifiers", "guid uuid identifier"),
    _topic(
        "traversal",
        "for walking nested structures",
        "visit visitor remap enter exit walk traverse tree recursive nested descend research",
    ),
    _topic("mappings", "for mappings", "dictionary mapping"),
    _topic("lists", "for lists", "list olist ulist bullet"),
    _topic("headers", "for headers", "header heading setext"),
    _topic("attributes", "for attribute access", "attr attribute getattr setattr attrgetter"),
    _topic("conversion", "for type conversion", "convert conversion coerce cast converter"),
    _topic(
        "formatting", "for formatting", "format formatted formatter pprint pretty filesizeformat"
    ),
    _topic("decorators", "for decorators", "decorator decorate wraps wrapper"),
)


# functions telling what a value is (``is_iterable``, ``isdistinct``), by their names alone
PREDICATES = Topic(("predicates", "checks"), "for telling what a value is", frozenset())
_PREDICATE = re.compile(r"^_?is_?[a-z]")

# not topics of the vocabulary: what functions of several topics call, and the tables that
# list the module's definitions by name (jinja2's ``FILTERS``)
HELPERS = Topic(("utils", "helpers"), "shared by the other modules", frozenset())
REGISTRY = Topic(("registry", "registries"), "by name", frozenset())
_REGISTRY_REFS = 3  # definitions a dict must name to be the module's table of them
_ASSEMBLED = 5  # classes a function must put together to be the module's registry
_VOCABULARY = frozenset(w for t in TOPICS for w in t.words)


def stem(word: str) -> str:
    """``numbers`` -> ``number``, ``entries`` -> ``entry``: enough to match the vocabulary
    (whose own words stay: ``cons``, ``frequencies``)."""
    if word in _VOCABULARY:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _name_words(unit: Unit) -> set[str]:
    if unit.id.startswith("stmt@"):
        return set()
    words = _CAMEL.sub("_", unit.id).lower()
    return {stem(w) for w in re.split(r"[^a-z0-9]+", words) if len(w) >= 2}


def _doc_words(unit: Unit) -> set[str]:
    node = unit.stmts[-1].node
    if not isinstance(node, (cst.ClassDef, cst.FunctionDef)):
        return set()
    doc = (node.get_docstring() or "").strip().split("\n\n")[0]
    return {stem(w) for w in re.findall(r"[a-z]{2,}", doc.lower())}


def _definition(unit: Unit, records: Set[str] = frozenset()) -> bool:
    """A function or class that is not an exception or a typed record (``TypedDict``,
    ``NamedTuple``, ``Protocol``): constants, exceptions and records go with their users, or
    with the module's other base definitions."""
    node = unit.stmts[-1].node
    if isinstance(node, cst.FunctionDef):
        return True
    if not isinstance(node, cst.ClassDef):
        return False
    return unit.id not in records and not re.search(r"(Error|Exception|Warning)$", unit.id)


def _records(units: list[Unit], family: dict[str, set[str]]) -> set[str]:
    """Classes deriving, here or through the module's own classes (``family``: each class's
    ancestors), from ``TypedDict``, ``NamedTuple`` or ``Protocol`` (click's
    ``PathInfoDict(ParamTypeInfoDict)``)."""
    records = {
        u.id
        for u in units
        if any(b in ("TypedDict", "NamedTuple", "Protocol") for b in base_names(u))
    }
    return {c for c, above in family.items() if c in records or above & records}


def unit_topics(units: list[Unit]) -> dict[str, Topic]:
    """Unit id -> its topic, for the units whose words clearly point to one."""
    family = ancestors(units)
    records = _records(units, family)
    words = {u.id: (_name_words(u), _doc_words(u)) for u in units}
    spread: Counter[str] = Counter()
    for name, doc in words.values():
        spread.update(name | doc)
    common = {w for w, n in spread.items() if n > max(4, len(units) * _COMMON)}
    found: dict[str, Topic] = {}
    for unit in units:
        if not _definition(unit, records):
            continue
        name, doc = (w - common for w in words[unit.id])
        scores = sorted(
            (
                (_NAME_WEIGHT * len(t.words & name) + len(t.words & doc), -i, t)
                for i, t in enumerate(TOPICS)
            ),
            key=lambda s: (s[0], s[1]),
            reverse=True,
        )
        (best, _, topic), (second, _, _) = scores[0], scores[1]
        if isinstance(unit.stmts[-1].node, cst.FunctionDef) and _PREDICATE.match(unit.id):
            found[unit.id] = PREDICATES
        elif best >= _ENOUGH and best > second:
            found[unit.id] = topic
    # the topic of half the file is what the file is about (dates in ``time.py``), not a part
    held = Counter(found.values())
    definitions = sum(_definition(u, records) for u in units)
    found = {u: t for u, t in found.items() if held[t] <= max(4, definitions * _FILE_TOPIC)}
    defined = set(family) | {u.id for u in units if isinstance(u.stmts[-1].node, cst.FunctionDef)}
    tables = [u.id for u in units if is_registry(u, defined) or _assembles(u, family)]
    return {**found, **dict.fromkeys(_shared_helpers(units, found), HELPERS)} | dict.fromkeys(
        tables, REGISTRY
    )


def _assembles(unit: Unit, family: dict[str, set[str]]) -> bool:
    """A short function that puts together many subclasses of one of the module's classes
    (markdown's ``build_block_parser`` registering every processor): the registry in code."""
    node = unit.stmts[-1].node
    if not isinstance(node, cst.FunctionDef) or unit.lines > _HELPER_LINES:
        return False
    bases: Counter[str] = Counter()
    for name in set(family) & set(unit.refs):
        bases.update(family[name])
    return any(n >= _ASSEMBLED for n in bases.values())


def is_registry(unit: Unit, defined: set[str]) -> bool:
    """A constant dict whose values name several of the module's functions or classes
    (``defined``): a table of them by name (``FILTERS = {"upper": do_upper, ...}``)."""
    node = unit.stmts[-1].node
    if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
        return False
    assign = node.body[0]
    value = assign.value if isinstance(assign, (cst.Assign, cst.AnnAssign)) else None
    if not isinstance(value, cst.Dict):
        return False
    named = {
        e.value.value
        for e in value.elements
        if isinstance(e, cst.DictElement) and isinstance(e.value, cst.Name)
    }
    return len(named & defined & set(unit.refs)) >= _REGISTRY_REFS


def _shared_helpers(units: list[Unit], found: dict[str, Topic]) -> list[str]:
    """Small functions that definitions of several topics call (``ignore_case`` and
    ``make_attrgetter`` in jinja2's filters): the file's shared vocabulary, not a part of
    whichever topic calls them first."""
    users: dict[str, list[str]] = {}
    for unit in units:
        for target in unit.refs:
            users.setdefault(target, []).append(unit.id)
    small = [
        u
        for u in units
        if isinstance(u.stmts[-1].node, cst.FunctionDef) and u.lines <= _HELPER_LINES
    ]
    shared = [
        u
        for u in small
        if len(users.get(u.id, ())) >= 3 and len({found.get(r) for r in users[u.id]}) >= 2
    ]
    # and their variants (``make_multi_attrgetter`` of ``make_attrgetter``)
    stems = [_name_words(u) for u in shared if len(_name_words(u)) >= 2]
    variants = [
        u
        for u in small
        if u not in shared and u.id in users and any(words < _name_words(u) for words in stems)
    ]
    found_ids = {u.id for u in shared + variants}
    # and what only they use (``_prepare_attribute_parts``)
    only = [u.id for u in small if u.id in users and set(users[u.id]) <= found_ids]
    return [u.id for u in shared + variants] + [i for i in only if i not in found_ids]


def dominant(units: list[Unit], topics: dict[str, Topic]) -> Topic | None:
    """The topic of most of the units' lines (named units only), if one has most."""
    lines: Counter[Topic] = Counter()
    total = 0
    for unit in units:
        if unit.id.startswith("stmt@"):
            continue
        total += unit.lines
        if unit.id in topics:
            lines[topics[unit.id]] += unit.lines
    if not lines:
        return None
    topic, held = lines.most_common(1)[0]
    if topic is REGISTRY and held < total:  # a registry with other definitions is none
        return None
    return topic if held * 2 > total else None
