"""The analysis's reads, refusals and namespace facts on modules that exercise its rules."""

from __future__ import annotations

import pytest

from modularize.agents.engine.analysis import analyse
from modularize.agents.engine.model import Refusal
from tests.engine.reads_cases import CASES


def _facts(source: str) -> str | dict[str, object]:
    try:
        analysis = analyse(source)
    except Refusal as exc:
        return str(exc)
    facts: dict[str, object] = {
        "refs": {i: {n: e.name for n, e in r.items()} for i, r in enumerate(analysis.refs) if r},
        "lines": [[s.line, s.first_line] for s in analysis.stmts],
    }
    by_stmt = {"specials": analysis.specials, "declared": analysis.declared}
    for key, values in by_stmt.items():
        found = {i: sorted(v) for i, v in enumerate(values) if v}
        if found:
            facts[key] = found
    flat = {
        "live": analysis.live,
        "ns": analysis.namespace,
        "nsf": analysis.namespace_functions,
    }
    facts.update({key: sorted(values) for key, values in flat.items() if values})  # type: ignore[type-var]
    return facts


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_reads_match_the_recorded_analysis(source: str, expected: str | dict[str, object]) -> None:
    assert _facts(source) == expected
