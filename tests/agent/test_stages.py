"""Agents report the stage they are at; the progress display shows it, from any process."""

from __future__ import annotations

import dataclasses
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from modularize.agents.base import Status, listen_for_stages
from modularize.agents.core.config import Config
from modularize.agents.libcst_agent import LibCSTAgent
from modularize.orchestrator.scheduler import STAGES, run_agent, stage_key
from modularize.orchestrator.state import open_store
from tests.agent.fixtures import BIG, SMALL_LIMITS
from tests.agent.helpers import make_task, write_tree

CONFIG = Config(**SMALL_LIMITS)


def _repo(root: Path) -> None:
    write_tree(root, {"pkg/__init__.py": ""})
    (root / "pkg" / "big.py").write_text(BIG, encoding="utf-8")


def test_an_agent_in_this_process_reports_each_stage(tmp_path: Path) -> None:
    _repo(tmp_path)
    seen: list[tuple[str, str]] = []
    listen_for_stages(lambda path, stage: seen.append((path, stage)))
    try:
        task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable)
        result = LibCSTAgent().run(task, CONFIG)
    finally:
        listen_for_stages(None)
    assert result.status is Status.SPLIT, result.reason
    assert seen == [("pkg/big.py", "plan"), ("pkg/big.py", "split"), ("pkg/big.py", "verify")]


def test_an_agent_in_a_worker_leaves_its_stage_in_the_store(tmp_path: Path) -> None:
    _repo(tmp_path)
    store = open_store(None, tmp_path, False)
    config = dataclasses.replace(CONFIG, state=store.descriptor())
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable)
    with ProcessPoolExecutor(1) as pool:
        result = pool.submit(run_agent, task, config).result(timeout=120)
    assert result.status is Status.SPLIT, result.reason
    assert store.kv_get(STAGES, stage_key(task)) == "verify"  # the last stage it reached
