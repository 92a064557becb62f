"""The analysis cuts each statement's code from the source instead of generating it again:
the same text as ``module.code_for_node``, without its cost."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from modularize.agents.core.source import source_tree
from modularize.agents.engine.analysis import _ast_statements, _statement_codes

REPO = Path(__file__).resolve().parents[2]


def _cut_and_generated(source: str) -> tuple[list[str], list[str]]:
    module = cst.parse_module(source)
    groups = _ast_statements(module, source_tree(source))
    return _statement_codes(module, groups, source), [module.code_for_node(n) for n in module.body]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("#!/usr/bin/env python\n# c\n\n'''Doc.'''\nimport os\n", id="header"),
        pytest.param("x = 1\ndef f():\n    pass", id="no-trailing-newline"),
        pytest.param("x = 1\n# end", id="footer-without-newline"),
        pytest.param("# c\r\n\r\nx = 1\r\n@d\r\ndef f():\r\n    pass\r\n# end\r\n", id="crlf"),
        pytest.param("x = 1\r\ny = 2\n\rz = 3\n", id="mixed-newlines"),
        pytest.param("x = 1\n\n# c\n@a\n\n# between\n@b\ndef f(): pass\n", id="decorators"),
        pytest.param("x = 1\n@(\n  d)\ndef f(): pass\n# tail\n", id="decorator-next-line"),
        pytest.param("x = 1\n@ \\\n d\ndef f(): pass\n", id="decorator-continued"),
        pytest.param("def f():\n    x = 1\n    # inner\n# outer\n\ny = 2\n", id="block-footer"),
        pytest.param("x = 1\n\f\ny = (\n 2)\nz = 3; w = 4\n", id="form-feed"),
        pytest.param("# only a comment\n", id="no-statements"),
    ],
)
def test_cut_codes_are_the_generated_codes(source: str) -> None:
    cut, generated = _cut_and_generated(source)
    assert cut == generated


def _corpus() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    small = [p for p in sorted(stdlib.glob("*.py")) if p.stat().st_size < 16_000]
    ours = sorted((REPO / "agents").rglob("*.py")) + sorted((REPO / "orchestrator").rglob("*.py"))
    return [*small, *ours, *sorted((REPO / "tests").glob("*/cases/*/input.py"))]


@pytest.mark.slow
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_cut_codes_over_real_files(path: Path) -> None:
    """Every top-level statement of the stdlib's modules and ours."""
    cut, generated = _cut_and_generated(path.read_text(encoding="utf-8"))
    assert cut == generated


def test_the_cut_keeps_what_libcst_would_drop() -> None:
    source = "try:\n    pass\nexcept (A, B) :\n    pass\n"
    cut, generated = _cut_and_generated(source)
    assert cut == [source]
    assert generated != cut, "LibCST still drops the space: the cut is no longer needed for it"
