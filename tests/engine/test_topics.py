"""Topics: what a definition is about, told from its name and docstring, and the modules
named and documented for it (``text.py``: "Filters for text: ...")."""

from __future__ import annotations

import dataclasses

import pytest

from modularize.agents.engine import EngineConfig, plan_split
from modularize.agents.engine.analysis import analyse
from modularize.agents.engine.context import prepare
from modularize.agents.engine.docstrings import describe
from modularize.agents.engine.topics import REGISTRY, Topic, dominant, stem, unit_topics
from modularize.agents.engine.units import build_units

CONFIG = EngineConfig(
    module="pkg.filters",
    threshold=120,
    budgets={"base": 60, "manager": 100, "strategies": 80, "handlers": 80, "utils": 60},
)


def _function(name: str, doc: str, lines: int = 12) -> str:
    body = "".join(f"    v{i} = value + {i}\n" for i in range(lines))
    return f'def {name}(value):\n    """{doc}"""\n{body}    return value\n\n\n'


# text and number filters interleaved, as a file grown over the years has them
SOURCE = (
    '"""Filters for templates."""\n\n\n'
    + _function("do_upper", "Convert a value to uppercase.")
    + _function("do_round", "Round the number to a given precision.")
    + _function("do_lower", "Convert a value to lowercase.")
    + _function("do_int", "Convert the value into an integer.")
    + _function("do_center", "Centers the value in a field of a given width.")
    + _function("do_float", "Convert the value into a floating point number.")
    + _function("do_trim", "Strip leading and trailing whitespace.")
    + _function("do_abs", "Return the absolute value of the number.")
    + 'LIMIT = 10\n\n\nclass FilterError(Exception):\n    """A filter failed."""\n'
)


def _units(source: str):
    return build_units(analyse(source))


def _prepared(source: str) -> dict[str, Topic]:
    return unit_topics(prepare(source, CONFIG).units)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("numbers", "number"), ("entries", "entry"), ("class", "class"), ("cons", "cons")],
)
def test_stem_matches_the_vocabulary(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_units_take_the_topic_their_words_point_to() -> None:
    found = {uid: t.names[0] for uid, t in unit_topics(_units(SOURCE)).items()}
    assert found["do_upper"] == found["do_lower"] == found["do_trim"] == "text"
    assert found["do_round"] == found["do_int"] == found["do_abs"] == "numeric"
    # constants and exceptions go with their users, not with a topic
    assert "LIMIT" not in found and "FilterError" not in found


def test_words_half_the_file_shares_say_nothing() -> None:
    # every docstring says "number": it is what the file is about, not one part of it
    source = "".join(
        _function(f"do_{n}", f"Return the number {n} as a number.") for n in "abcdefghij"
    )
    assert unit_topics(_units(source)) == {}


def test_a_topic_must_hold_most_of_the_lines() -> None:
    units = _units(SOURCE)
    about = unit_topics(units)
    text = [u for u in units if u.id in ("do_upper", "do_lower")]
    mixed = [u for u in units if u.id in ("do_upper", "do_round")]
    assert dominant(text, about) is not None and dominant(text, about).names[0] == "text"
    assert dominant(mixed, about) is None


def test_interleaved_topics_make_one_module_each_named_and_documented_for_it() -> None:
    plan = plan_split(SOURCE, CONFIG)
    modules = {m.name: m for m in plan.modules}
    assert set(modules["text"].units) == {"do_upper", "do_lower", "do_center", "do_trim"}
    assert set(modules["numeric"].units) == {"do_round", "do_int", "do_float", "do_abs"}
    assert modules["text"].doc.startswith("Filters for text: ")
    assert modules["numeric"].doc.startswith("Filters for numbers: ")


def test_helpers_several_topics_call_make_a_module_of_their_own() -> None:
    helper = (
        'def fold_case(value):\n    """Lower-case a value for comparisons."""\n'
        "    return str(value).lower()\n\n\n"
        'def unwrap(value):\n    """The value inside a wrapper."""\n'
        '    return getattr(value, "wrapped", value)\n\n\n'
    )
    calls = "".join(
        _function(name, doc, 20).replace(
            "    return value\n", "    return fold_case(unwrap(value))\n"
        )
        for name, doc in [
            ("do_upper", "Convert a value to uppercase."),
            ("do_lower", "Convert a value to lowercase."),
            ("do_round", "Round the number to a given precision."),
            ("do_int", "Convert the value into an integer."),
            ("do_sort", "Sort an iterable."),
            ("do_dictsort", "Sort a dict and yield (key, value) pairs."),
        ]
    )
    plan = plan_split('"""Filters."""\n\n\n' + helper + calls, CONFIG)
    home = next(m for m in plan.modules if "fold_case" in m.units)
    assert set(home.units) == {"fold_case", "unwrap"}
    assert home.doc.startswith("Helpers shared by the other modules")


def test_no_module_is_named_like_its_package() -> None:
    # BaseLoader and its subclasses would make ``loaders``: not inside ``loaders/``
    body = "".join(f"        self.v{i} = {i}\n" for i in range(25))
    source = (
        "class BaseLoader:\n    def __init__(self):\n"
        + body
        + "\n\n"
        + "".join(
            f"class {kind}Loader(BaseLoader):\n    def load(self):\n" + body + "\n\n"
            for kind in ("Dict", "File", "Package", "Prefix")
        )
    )
    plan = plan_split(source, dataclasses.replace(CONFIG, module="pkg.loaders"))
    names = {m.name for m in plan.modules}
    assert len(names) > 1 and "loaders" not in names
    # nor with the underscores left out: ``blockloaders/block_loaders.py``
    stutter = plan_split(source, dataclasses.replace(CONFIG, module="pkg.blockloaders"))
    assert not any(m.name.replace("_", "") == "blockloaders" for m in stutter.modules)
    free = plan_split(source, dataclasses.replace(CONFIG, module="pkg.big"))
    assert "loaders" in {m.name for m in free.modules}  # the name it would take elsewhere


def test_import_time_reads_run_after_what_acts_on_the_object_before_them() -> None:
    # markdown's htmlparser: a module copy is executed and patched, then a class read off it
    from modularize.agents.engine.units import order_reads_after_effects

    source = (
        "import importlib.util\n\n"
        'spec = importlib.util.find_spec("html.parser")\n'
        "copy = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(copy)\n"
        'copy.piclose = "?>"\n\n'
        "Parser = copy.HTMLParser\n"
    )
    analysis = analyse(source)
    units = build_units(analysis)
    order_reads_after_effects(units, analysis)
    reader = next(u for u in units if u.id == "Parser")
    acting = {u.id for u in units if not u.names or u.id.startswith("stmt@")}
    assert acting and acting <= reader.after


def test_a_table_of_the_filters_by_name_is_the_registry_module() -> None:
    table = "FILTERS = {\n" + "".join(
        f'    "{n}": do_{n},\n' for n in ("upper", "round", "lower", "int", "center", "float")
    )
    table += "".join(f'    "x{i}": do_trim,\n' for i in range(14)) + "}\n"
    source = SOURCE + "\n\n" + table
    assert _prepared(source)["FILTERS"] is REGISTRY
    plan = plan_split(source, CONFIG)
    registry = next(m for m in plan.modules if "FILTERS" in m.units)
    assert registry.name == "registry" and registry.units == ("FILTERS",)
    assert registry.doc == "The FILTERS table: the package's filters by name."
    # a dict of plain values names no definition: no registry
    values = SOURCE + "\n\nSIZES = {" + "".join(f'"x{i}": LIMIT, ' for i in range(9)) + "}\n"
    assert "SIZES" not in _prepared(values)


def test_a_function_putting_many_subclasses_together_is_the_registry() -> None:
    body = "".join(f"        self.v{i} = {i}\n" for i in range(20))
    kinds = ("Hash", "Setext", "Code", "Quote", "List", "Rule")
    source = "class Processor:\n    def __init__(self):\n" + body + "\n\n"
    source += "".join(f"class {k}Processor(Processor):\n    pass\n\n\n" for k in kinds)
    source += "def build_parser():\n    parser = []\n"
    source += "".join(f"    parser.append({k}Processor())\n" for k in kinds)
    source += "    return parser\n"
    assert _prepared(source)["build_parser"] is REGISTRY
    # the same function putting together unrelated classes is only a function
    plain = source.replace("(Processor):", ":")
    assert _prepared(plain).get("build_parser") is not REGISTRY


def test_a_topic_module_gives_examples_about_its_topic_first() -> None:
    source = SOURCE + _function("do_ceil", "Round the number up to an integer.", 60)
    units = prepare(source, CONFIG).units
    about = unit_topics(units)
    keep = ("do_upper", "do_lower", "do_trim", "do_center", "do_ceil")
    mixed = [u for u in units if u.id in keep]
    text = about["do_upper"]
    on_topic = {u.id for u in mixed if about.get(u.id) is text}
    doc = describe(mixed, 1, text, "filters", on_topic)
    # do_ceil is the largest, but not about text: it comes after the text filters
    assert doc.startswith("Filters for text: do_upper") and doc.endswith("and do_ceil.")
    assert describe(mixed, 1, text, "filters").startswith("Filters for text: do_ceil")


def test_the_base_class_of_a_family_keeps_a_module_and_an_assembler_names_its_own() -> None:
    body = "".join(f"        self.v{i} = {i}\n" for i in range(45))
    kinds = ("Hash", "Setext", "Code", "Quote", "List", "Rule")
    source = "class Processor:\n    def __init__(self):\n" + body + "\n\n"
    source += "".join(
        f"class {k}Processor(Processor):\n    def run(self):\n" + body[:300] + "\n\n" for k in kinds
    )
    source += "def build_block_parser():\n    parser = []\n"
    source += "".join(f"    parser.append({k}Processor())\n    parser.sort()\n" for k in kinds)
    source += "    return parser\n"
    plan = plan_split(source, dataclasses.replace(CONFIG, module="pkg.processors"))
    home = next(m for m in plan.modules if "Processor" in m.units)
    assert home.units == ("Processor",)  # no subclass joins the family's base class
    builder = next(m for m in plan.modules if "build_block_parser" in m.units)
    assert builder.name == "block_parser" and builder.units == ("build_block_parser",)
