"""The plan: refusals, JSON round trip, validation of edited plans, names, idempotence."""

from __future__ import annotations

import dataclasses
import json

import pytest

from modularize.agents.core.source import count_lines
from modularize.agents.engine import (
    EngineConfig,
    Refusal,
    SplitPlan,
    plan_split,
    split,
)
from tests.engine.support import SMALL, dedent

FILLER = "".join(f"def filler_{i}(x):\n    return x + {i}\n\n\n" for i in range(10))

BASIC = (
    dedent("""
    \"\"\"The docstring stays in __init__.\"\"\"
    import os

    MAX = 3


    class Color:
        RED = 1


    def utils():
        return MAX


    class Manager:
        def run(self):
            return helper(Color.RED)


    def helper(x):
        return os.sep * x
    """)
    + FILLER
)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param("exec('x = 1')\n", "`exec()` without a namespace", id="exec"),
        pytest.param("def f():\n    globals()['x'] = 1\n", "`globals()`", id="globals-write"),
        pytest.param("from os.path import *\n", "import *", id="star-import"),
        pytest.param(
            "__all__ = ['a']\n__all__ += [n for n in 'b']\n", "`__all__` is computed", id="all-plus"
        ),
        pytest.param(
            "import sys\nME = sys.modules[__name__]\n", "sys.modules[__name__]", id="sys-modules"
        ),
        pytest.param("__path__ = []\n", "__path__", id="path"),
    ],
)
def test_refusals_name_the_line(source, reason):
    with pytest.raises(Refusal) as info:
        plan_split(source + FILLER, SMALL)
    assert reason in info.value.reason
    assert info.value.reason.startswith("line ")


def test_plan_json_round_trip_and_locations():
    plan = plan_split(BASIC, SMALL)
    again = SplitPlan.from_json(plan.to_json())
    assert again == plan
    data = json.loads(plan.to_json())
    assert data["version"] == 1 and data["module"] == "pkg.big"
    units = [u for m in data["modules"] for u in m["units"]]
    assert sorted(units) == sorted(
        {"MAX", "Color", "utils", "Manager", "helper", *(f"filler_{i}" for i in range(10))}
    )
    where = plan.locations()
    assert where["Manager"].startswith("pkg.big.") and "os" not in where
    files = split(BASIC, plan, SMALL)
    home = where["helper"].rpartition(".")[2]
    assert "def helper(x):" in files[_path(home)]


def _path(name):
    from pathlib import PurePosixPath

    return PurePosixPath(f"{name}.py")


def test_module_names_never_hide_original_names():
    plan = plan_split(BASIC, SMALL)
    names = {m.name for m in plan.modules}
    assert "utils" not in names  # a function called `utils` stays reachable as big.utils
    assert all(n.isidentifier() for n in names)


def _edited(plan: SplitPlan, **changes) -> SplitPlan:
    return dataclasses.replace(plan, **changes)


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        pytest.param(
            lambda mods: mods + (dataclasses.replace(mods[0], name="extra"),),
            "modules",
            id="unit-twice",
        ),
        pytest.param(lambda mods: mods[1:], "is in no module", id="unit-missing"),
        pytest.param(
            lambda mods: (dataclasses.replace(mods[0], name="class"),) + mods[1:],
            "is a Python keyword",
            id="keyword-name",
        ),
        pytest.param(
            lambda mods: (dataclasses.replace(mods[0], name="helper"),) + mods[1:],
            "would hide the name",
            id="colliding-name",
        ),
        pytest.param(
            lambda mods: (
                (dataclasses.replace(mods[0], units=mods[0].units + ("nope",)),) + mods[1:]
            ),
            "does not have",
            id="unknown-unit",
        ),
    ],
)
def test_edited_plans_are_validated(edit, reason):
    plan = plan_split(BASIC, SMALL)
    with pytest.raises(Refusal) as info:
        split(BASIC, _edited(plan, modules=edit(plan.modules)), SMALL)
    assert reason in info.value.reason


def test_import_cycle_in_edited_plan_is_refused():
    source = (
        dedent("""
        class Base:
            pass


        class Child(Base):
            pass


        class GrandChild(Child):
            pass
        """)
        + FILLER
    )
    plan = plan_split(source, SMALL)
    mods = plan.modules
    all_units = [u for m in mods for u in m.units]
    odd = tuple(u for u in all_units if u in ("Base", "GrandChild"))
    rest = tuple(u for u in all_units if u not in odd)
    bad = (
        dataclasses.replace(mods[0], name="first", units=odd),
        dataclasses.replace(mods[0], name="second", units=rest),
    )
    with pytest.raises(Refusal, match="need each other"):
        split(source, _edited(plan, modules=bad), SMALL)


def test_output_is_deterministic_and_idempotent():
    plan = plan_split(BASIC, SMALL)
    first = split(BASIC, plan, SMALL)
    assert split(BASIC, plan_split(BASIC, SMALL), SMALL) == first
    for path, text in first.items():
        sub = dataclasses.replace(SMALL, module=f"pkg.big.{path.stem}")
        if count_lines(text) <= SMALL.threshold:
            assert plan_split(text, sub).modules == ()  # a second run changes nothing
            assert split(text, plan_split(text, sub), sub) == {}


def test_big_class_is_split_into_mixins_and_the_plan_says_so():
    body = "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(20))
    source = "class Giant:\n" + body + "\n\n" + FILLER
    plan = plan_split(source, SMALL)
    assert any(w.startswith("class split: `Giant` 60 -> ") for w in plan.warnings)
    mixins = [u for m in plan.modules for u in m.units if u.startswith("_Giant")]
    assert len(mixins) >= 2 and all(m.lines <= SMALL.threshold for m in plan.modules)


def test_single_big_function_is_refused_with_the_largest_unit():
    body = "".join(f"    x{i} = {i}\n" for i in range(40))
    source = "def giant():\n" + body + "    return x0\n\n\n" + FILLER
    with pytest.raises(Refusal, match=r"largest unit is function `giant` \(42 lines\)"):
        plan_split(source, SMALL)


def test_package_init_split_keeps_depth_and_avoids_existing_modules():
    source = "from .keys import hashkey\n\n\ndef cached():\n    return hashkey\n\n\n" + FILLER
    config = EngineConfig(
        module="cachetools",
        is_package_init=True,
        threshold=30,
        budgets=SMALL.budgets,
        existing_names=frozenset({"utils", "keys"}),
    )
    files = split(source, plan_split(source, config), config)
    names = {p.stem for p in files}
    assert "utils" not in names and "keys" not in names
    text = "".join(files.values())
    assert "from .keys import hashkey" in text and "from ..keys" not in text


def test_docstring_header_and_future_imports():
    source = (
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# Licence: MIT\n"
        '"""Doc."""\nfrom __future__ import annotations\n\n' + FILLER
    )
    files = split(source, plan_split(source, SMALL), SMALL)
    init = files[_path("__init__")]
    assert init.startswith(
        '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n# Licence: MIT\n"""Doc."""\n\n'
    )
    assert "__future__" not in init, "the package's __init__ only re-exports: no future import"
    modules = [t for p, t in files.items() if p != _path("__init__")]
    assert all(t.startswith("# -*- coding: utf-8 -*-\n# Licence: MIT\n") for t in modules)
    assert all("from __future__ import annotations" in t for t in modules)
    assert not any("#!" in t for t in modules), "the shebang stays with __init__.py"
