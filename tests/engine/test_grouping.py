"""What shares a module, and what the modules are called: the cohesion a reviewer expects."""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import libcst as cst

from modularize.agents.engine import EngineConfig, Refusal, naming, plan_split, split
from modularize.agents.engine.kinds import Kind
from modularize.agents.engine.statements import Stmt
from modularize.agents.engine.units import Unit
from tests.engine.support import before_after, dedent

CONFIG = EngineConfig(
    module="pkg.big",
    threshold=120,
    budgets={"base": 60, "manager": 100, "strategies": 80, "handlers": 80, "utils": 60},
)


def _body(name: str, lines: int) -> str:
    return "".join(f"    {name}_{i} = {i}\n" for i in range(lines)) + f"    return {name}_0\n"


SOURCE = (
    dedent('''
    """Filters, as jinja2's filters.py has them."""

    import typing as t

    V = t.TypeVar("V")


    class _GroupTuple(t.NamedTuple):
        grouper: str
        list: list


    def sync_do_groupby(value: "list[V]", attribute: str) -> "list[_GroupTuple]":
    ''')
    + _body("g", 12)
    + dedent("""


    async def do_groupby(value: "list[V]", attribute: str) -> "list[_GroupTuple]":
    """)
    + _body("a", 12)
    + dedent("""


    def _slice_step(n):
        return n + 1


    def sync_do_slice(value, slices):
    """)
    + _body("s", 12).replace("return s_0", "return _slice_step(s_0)")
    + dedent("""


    async def do_slice(value, slices):
    """)
    + _body("t", 12)
    + "".join(f"\n\ndef do_text_{i}(value):\n{_body('x', 10)}" for i in range(4))
)


def _module_of(plan, unit: str) -> str:
    return next(m.name for m in plan.modules if unit in m.units)


def test_pairs_helpers_and_types_share_a_module_with_their_users() -> None:
    plan = plan_split(SOURCE, CONFIG)
    assert _module_of(plan, "sync_do_slice") == _module_of(plan, "do_slice")
    assert _module_of(plan, "_slice_step") == _module_of(plan, "sync_do_slice")  # only caller
    assert _module_of(plan, "sync_do_groupby") == _module_of(plan, "do_groupby")
    assert _module_of(plan, "_GroupTuple") == _module_of(plan, "do_groupby")
    assert len({_module_of(plan, f"do_text_{i}") for i in range(4)}) == 1  # a shared word


def test_names_are_never_numbered_and_docstrings_say_what_is_inside() -> None:
    plan = plan_split(SOURCE, CONFIG)
    names = [m.name for m in plan.modules]
    assert not any(re.search(r"_\d+$", n) for n in names), names
    files = split(SOURCE, plan, CONFIG)
    firsts = [text.split("\n")[0] for path, text in files.items() if path.name != "__init__.py"]
    assert len(set(firsts)) == len(firsts), firsts  # no stock line
    slicing = files[next(p for p in files if "def do_slice" in files[p])]
    assert "do_slice" in slicing.split("\n")[0]


def test_no_module_imports_a_sibling_below_its_code() -> None:
    files = split(SOURCE, plan_split(SOURCE, CONFIG), CONFIG)
    for text in files.values():
        assert "E402" not in text and "once every module" not in text


def test_plan_json_shows_each_modules_units_lines_doc_and_sibling_imports() -> None:
    plan = plan_split(SOURCE, CONFIG)
    data = json.loads(plan.to_json())
    groupby = next(m for m in data["modules"] if "do_groupby" in m["units"])
    assert groupby["lines"] > 0 and groupby["doc"].endswith(".")
    holder = _module_of(plan, "V")
    if holder != groupby["name"]:
        assert "V" in groupby["imports"][holder]
    again = type(plan).from_json(plan.to_json())
    assert [m.doc for m in again.modules] == [m.doc for m in plan.modules]


def test_a_shared_word_that_is_a_soft_keyword_is_no_module_name() -> None:
    # boltons strutils: helpers named for `case` (snake_case, camel_case...) share the word
    # "case", a soft keyword: `import pkg.big.case` parses, but no checker accepts it
    helpers = "".join(
        f"def {style}_case(text):\n    '''Text in {style} case.'''\n"
        + "".join(f"    text = text.replace({i!r}, {style!r})\n" for i in range(8))
        + "    return text\n\n\n"
        for style in ("snake", "camel", "kebab", "title", "upper", "lower")
    )
    other = "".join(f"def render_{i}(x):\n    return str(x) * {i}\n\n\n" for i in range(12))
    config = EngineConfig(module="pkg.big", threshold=60)
    plan = plan_split(helpers + other, config)
    names = {m.name for m in plan.modules}
    assert len(names) > 1 and not names & {"case", "match", "type", "_"}


def test_a_constant_keeps_the_string_that_documents_it() -> None:
    # Python-Markdown's inlinepatterns: `NOIMG = r'...'` then `""" Match not an image. """`
    consts = "".join(f'PATTERN_{i} = r\'x{i}\'\n""" Match pattern {i}. """\n\n' for i in range(12))
    funcs = "".join(
        f"def use_{i}(text):\n    '''Apply pattern {i}.'''\n    return text + PATTERN_{i}\n\n\n"
        for i in range(12)
    )
    config = EngineConfig(module="pkg.big", threshold=60)
    source = consts + "\n" + funcs
    files = split(source, plan_split(source, config), config)
    for i in range(12):
        [home] = [t for t in files.values() if f"PATTERN_{i} = r'x{i}'" in t]
        assert f'PATTERN_{i} = r\'x{i}\'\n""" Match pattern {i}. """' in home


def test_init_imports_in_isort_order_when_the_bodies_run_in_the_same_order() -> None:
    # jinja2's filters.py: its modules load in another order, yet each imports what it needs
    from tests.engine.test_cases import CASES, _config

    folder = CASES / "jinja_filters"
    source, config = (folder / "input.py").read_text(), _config(folder)
    plan = plan_split(source, config)
    init = split(source, plan, config)[PurePosixPath("__init__.py")]
    imported = re.findall(r"^from \.(\w+) import", init, re.MULTILINE)
    assert len(imported) > 2 and imported == sorted(imported)
    assert "isort: skip_file" not in init


def test_fallback_names_read_as_names() -> None:
    units = [_unit("make_new_npgettext_factory", 30), _unit("make_new_ngettext_factory", 20)]
    names = naming.fallback_names(units, "strategies", "_signatures")
    assert all("__" not in n and "_and_" not in n for n in names)
    assert "npgettext_signatures" in names  # the original's kind, without its underscore
    assert not any(
        n.endswith("_strutils") for n in naming.fallback_names(units, "utils", "strutils")
    )
    short = naming.fallback_names([_unit("get", 30), _unit("pluck", 20)], "utils", "itertoolz")
    assert "get_and_pluck" in short


def _unit(name: str, lines: int) -> Unit:
    code = f"def {name}():\n" + "    x = 1\n" * (lines - 2) + "    return x\n"
    stmt = Stmt(0, cst.parse_statement(code), code, 1, lines, Kind.CODE, (name,))
    return Unit(name, [stmt], (name,))


def _calls(name: str, other: str, lines: int) -> str:
    body = "".join(f"    {name}_{i} = {i}\n" for i in range(lines))
    return f"def {name}(n):\n{body}    return {other}(n - 1) if n else {name}_0\n\n\n"


def test_modules_that_import_each_other_late_keep_their_load_order(tmp_path) -> None:
    # zeta runs first in the original; alpha sorts first but can only finish after zeta
    source = _calls("zeta", "alpha", 70) + _calls("alpha", "zeta", 70)
    config = EngineConfig(module="pkg.big", threshold=120, budgets=dict(CONFIG.budgets))
    try:
        plan = plan_split(source, config)
    except Refusal:
        return  # refusing the cycle is as good as keeping it importable
    before, after, files = before_after(
        tmp_path, source, "import pkg.big as b\nprint(b.zeta(3))", config
    )
    assert before.endswith("rc=0") and after == before, files["__init__.py"]
    assert len(plan.modules) >= 2


def test_constants_and_exceptions_without_a_clear_theme_make_base() -> None:
    # the bundled example's models: a word of three exception names is no theme for Address
    source = (Path(__file__).parents[2] / "examples/legacy_shop/legacy_shop/models.py").read_text()
    plan = plan_split(source, EngineConfig(module="legacy_shop.models"))
    base = next(m for m in plan.modules if m.name == "base")
    assert {"ShopError", "ValidationError", "Address"} <= set(base.units)


def test_modules_that_only_bind_names_are_imported_in_isort_order() -> None:
    # boltons' iterutils: functions only, each module imports what it needs; click's types:
    # ParamType subclasses in several modules, but ParamType does not watch them being made
    from tests.engine.test_cases import CASES, _config

    def init(case: str, hook: str = "") -> str:
        folder = CASES / case
        source, config = (folder / "input.py").read_text(), _config(folder)
        if hook:  # a base class that sees its subclasses made: their order is the original's
            source = source.replace("class ParamType:\n", f"class ParamType:\n{hook}", 1)
        return split(source, plan_split(source, config), config)[PurePosixPath("__init__.py")]

    functions, classes = init("boltons_iterutils"), init("click_types")
    for text in (functions, classes):
        imported = re.findall(r"^from \.(\w+) import", text, re.MULTILINE)
        assert len(imported) > 2 and imported == sorted(imported)
        assert "isort: skip_file" not in text
    hooks = "    def __init_subclass__(cls, **kwargs):\n        REGISTERED.append(cls)\n\n"
    watched = init("click_types", hooks.replace("REGISTERED.append(cls)", "pass"))
    assert "isort: skip_file" in watched and "Import order matters" in watched
