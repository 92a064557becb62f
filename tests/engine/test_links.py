"""The links between groups, kept up to date merge after merge, are the ones a full walk
finds (cohesion's ranking of pairs must not depend on how they were found)."""

from __future__ import annotations

import calendar
import importlib.util
from pathlib import Path
from typing import Any

import pytest

from modularize.agents.engine import EngineConfig, links, plan_split

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _generated(lines: int) -> str:
    spec = importlib.util.spec_from_file_location("big_module", BENCHMARKS / "big_module.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.generate(lines)
    return text


def test_links_after_each_merge_equal_a_full_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    merges = []
    real = links._merge

    def checked(groups: Any, found: Any, shared: Any, pair: Any) -> None:
        real(groups, found, shared, pair)
        assert found == links.links(groups)
        merges.append(pair)

    monkeypatch.setattr(links, "_merge", checked)
    plan_split(_generated(2500), EngineConfig(module="pkg.orders"))
    assert len(merges) > 10
    # (a merge here leaves a group with fewer than three users: its pairs count again)
    plan_split(Path(calendar.__file__).read_text(encoding="utf-8"), EngineConfig(module="cal"))
