"""The default compatibility layer: what __init__.py keeps of the old module, and why."""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePosixPath

import pytest

from modularize.agents.core.config import Compat
from modularize.agents.engine import Refusal, plan_split, split_package
from modularize.agents.engine.model import RepoUses, SplitOutput
from modularize.agents.engine.verify import static_problems
from tests.engine.support import SMALL, dedent

FILLER = "".join(f"def filler_{i}(x):\n    return x + {i}\n\n\n" for i in range(8))
SOURCE = (
    dedent("""
    # Copyright 2020 Example
    # SPDX-License-Identifier: MIT
    # Licensed under the MIT license.
    \"\"\"A module.\"\"\"
    import os
    import sys
    from json import dumps as dumps
    from collections import OrderedDict

    # ruff: noqa: SLF001

    EXPORTED = ["OrderedDict"]
    WIDTH = 80


    class Point:
        pass


    def describe(p: Point) -> str:
        return dumps(os.sep) + str(WIDTH)


    def width() -> int:
        return WIDTH
    """)
    + FILLER
)
INIT = PurePosixPath("__init__.py")


NOTHING = RepoUses()


def _split(uses: RepoUses = NOTHING, compat: Compat = Compat.MINIMAL) -> SplitOutput:
    config = dataclasses.replace(SMALL, uses=uses, compat=compat)
    return split_package(SOURCE, plan_split(SOURCE, config), config)


@pytest.mark.parametrize(
    ("uses", "kept"),
    [
        pytest.param(RepoUses(), {"dumps", "OrderedDict"}, id="as-itself-and-listed-as-string"),
        pytest.param(RepoUses(read=frozenset({"sys"})), {"dumps", "OrderedDict", "sys"}, id="read"),
        pytest.param(
            RepoUses(patched={"os": "t.py:1"}), {"dumps", "OrderedDict", "os"}, id="patched"
        ),
    ],
)
def test_imports_kept_only_where_something_uses_them(uses: RepoUses, kept: set[str]) -> None:
    made = _split(uses)
    assert made.layer.kept_imports == kept
    assert made.layer.dropped == {"os", "sys"} - kept
    init = made.files[INIT]
    # kept imports are listed in the generated __all__, so they are re-exported plainly
    assert all(
        (f"'{n}'" in init or f'"{n}"' in init) and f"import {n} as {n}" not in init
        for n in kept - {"dumps"}
    )


def test_names_all_lists_are_plain_reexports_the_others_explicit() -> None:
    source = SOURCE + "_PRIVATE = 1\n\n\ndef _helper():\n    return _PRIVATE\n"
    config = dataclasses.replace(SMALL, uses=NOTHING)
    made = split_package(source, plan_split(source, config), config)
    init = made.files[INIT]
    assert "_helper as _helper" in init and "_PRIVATE as _PRIVATE" in init
    assert "Point as Point" not in init and "describe as describe" not in init
    assert "Point" in init and "describe" in init
    assert static_problems(source, made.files, made.layer.dropped) == []


def test_full_compat_keeps_everything() -> None:
    made = _split(compat=Compat.FULL)
    assert made.layer.dropped == frozenset()
    assert ".__module__ = __name__" in made.files[INIT]


def test_init_is_plain_reexports_without_findings() -> None:
    init = _split().files[INIT]
    assert "__getattr__" not in init and "__class__" not in init and "__module__" not in init
    assert "globals()" not in init and "__package__" not in init
    assert re.search(r"^from \.\w+ import \w", init, re.MULTILINE)


def test_forwarding_only_for_names_the_repository_assigns() -> None:
    made = _split(RepoUses(assigned={"WIDTH": "README.md:3: big.WIDTH = 100"}))
    assert made.layer.forwarded == {"WIDTH"}
    assert "'WIDTH':" in made.files[INIT] and "'Point':" not in made.files[INIT]
    assert any("README.md:3" in note for note in made.layer.notes)


def test_a_repr_the_repository_matches_is_refused() -> None:
    with pytest.raises(Refusal, match=r"tests/t.py:4 shows `pkg.big.Point`"):
        _split(RepoUses(shown={"Point": "tests/t.py:4"}))


def test_license_header_and_file_pragmas_reach_every_module() -> None:
    files = _split().files
    for text in files.values():
        assert text.startswith("# Copyright 2020 Example\n# SPDX-License-Identifier: MIT\n")
        assert "# ruff: noqa: SLF001\n" in text
    assert static_problems(SOURCE, files, _split().layer.dropped) == []


def test_verification_sees_a_lost_comment() -> None:
    made = _split()
    files = {p: t.replace("# ruff: noqa: SLF001\n", "") for p, t in made.files.items()}
    problems = static_problems(SOURCE, files, made.layer.dropped)
    assert problems == ["comments of the original lost in the split: # ruff: noqa: SLF001"]


GUARDED = (
    dedent("""
    try:
        from json import dumps
        MISSING = dumps(None)
    except ImportError:
        MISSING = object()


    def show(x):
        return repr(x)
    """)
    + FILLER
)


@pytest.mark.parametrize(
    ("uses", "served"),
    [
        pytest.param(NOTHING, False, id="read-by-nobody"),
        pytest.param(RepoUses(read=frozenset({"dumps"})), True, id="read-through-the-module"),
    ],
)
def test_a_name_imported_on_some_paths_is_served_only_when_something_reads_it(
    uses: RepoUses, served: bool
) -> None:
    config = dataclasses.replace(SMALL, uses=uses)
    made = split_package(GUARDED, plan_split(GUARDED, config), config)
    init = made.files[INIT]
    assert ("def __getattr__" in init) is served
    assert ("dumps" in made.layer.dropped) is not served
    assert "MISSING" in init and static_problems(GUARDED, made.files, made.layer.dropped) == []


def test_a_name_imported_on_every_path_is_dropped_unless_read_through_the_module() -> None:
    source = (
        dedent("""
        try:
            from collections.abc import Mapping
        except ImportError:
            from collections import Mapping


        def is_map(x):
            return isinstance(x, Mapping)
        """)
        + FILLER
    )
    for uses, kept in ((NOTHING, False), (RepoUses(read=frozenset({"Mapping"})), True)):
        config = dataclasses.replace(SMALL, uses=uses)
        made = split_package(source, plan_split(source, config), config)
        assert ("Mapping" in made.files[INIT]) is kept
        assert ("Mapping" in made.layer.dropped) is not kept
        assert static_problems(source, made.files, made.layer.dropped) == []


def test_a_lone_string_naming_an_import_keeps_nothing() -> None:
    # click's ``DateTime.name = "datetime"`` is no export list of ``from datetime import ...``
    source = SOURCE.replace('EXPORTED = ["OrderedDict"]', 'LABEL = "sys"')
    config = dataclasses.replace(SMALL, uses=NOTHING)
    made = split_package(source, plan_split(source, config), config)
    assert "sys" in made.layer.dropped and "'sys'" not in made.files[INIT]


def test_generated_all_quotes_names_as_the_original_quotes_its_strings() -> None:
    config = dataclasses.replace(SMALL, uses=NOTHING)
    for quote in ('"', "'"):
        source = SOURCE.replace('"', quote).replace("'", quote)
        init = split_package(source, plan_split(source, config), config).files[INIT]
        listed = init.partition("__all__ = [")[2].partition("]")[0]
        assert listed.count(quote) >= 4 and listed.count({"'": '"', '"': "'"}[quote]) == 0
