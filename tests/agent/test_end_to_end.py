"""A package with its own tests that patch through the old path: green before and after
split + retarget (pytest in a subprocess, in a throwaway git repository).

Patches of names the original bound keep working through the new ``__init__``'s assignment
forwarding and are left as written; a patch that shadows a builtin needs the retarget."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from modularize.agents.base import Status
from modularize.agents.core.config import Config
from modularize.agents.libcst_agent import LibCSTAgent
from modularize.orchestrator.retarget import retarget_repo
from tests.agent.fixtures import BIG, SMALL_LIMITS, TESTS
from tests.agent.helpers import make_task, write_tree


def _pytest(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=root,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        },
    )


@pytest.mark.slow
def test_patches_keep_working_after_split_and_retarget(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "tests/test_big.py": TESTS})
    # ``round`` read by one function only: the retarget knows which module it now lives in
    one_round = BIG.replace("round(price * (1 - percent / 100), 2)", "price * (1 - percent / 100)")
    (tmp_path / "pkg" / "big.py").write_text(one_round)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert _pytest(tmp_path).returncode == 0
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable)
    result = LibCSTAgent().run(task, Config(**SMALL_LIMITS))
    assert result.status is Status.SPLIT, result.reason or result.traceback
    broken = _pytest(tmp_path)
    # the default layer forwards nothing the tests' patches could be retargeted instead
    assert broken.returncode == 1, "without retargeting, patches miss the readers"
    assert "test_builtin_shadowed_through_the_old_path" in broken.stdout, broken.stdout
    forwarded = {"pkg.big": frozenset(result.forwarded)}
    done = retarget_repo(
        tmp_path, {"pkg.big": dict(result.locations)}, dry_run=False, forwarded=forwarded
    )
    assert list(done.changed) == ["tests/test_big.py"] and done.notes == ()
    after = (tmp_path / "tests" / "test_big.py").read_text()
    where = dict(result.locations)["helper"]
    assert f'"{where}.round"' in after and '"pkg.big.round"' not in after
    green = _pytest(tmp_path)
    assert green.returncode == 0, green.stdout + green.stderr
