"""Case folders: ``cases/<name>/input.py`` split into exactly ``expected/``, and ``probe.py``
printing the same against the original and the package.

Regenerate the expected trees after a deliberate change with ``MODULARIZE_REGEN=1``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from modularize.agents.core.config import Compat
from modularize.agents.engine import EngineConfig, plan_split, split
from modularize.agents.engine.model import RepoUses
from modularize.agents.repo_uses import uses_in_python
from tests.engine.support import run, write_original, write_split

CASES = Path(__file__).parent / "cases"


def _config(folder: Path) -> EngineConfig:
    """The case's settings; what the repository does with the module is what ``probe.py``
    does, plus the ``uses`` config.json lists (a README assignment, say)."""
    data = json.loads((folder / "config.json").read_text())
    found = uses_in_python((folder / "probe.py").read_text(), "pkg.big")
    listed = data.get("uses", {})
    uses = RepoUses(
        read=found.read | frozenset(listed.get("read", ())),
        assigned={**found.assigned, **listed.get("assigned", {})},
        patched={**found.patched, **listed.get("patched", {})},
    )
    return EngineConfig(
        module="pkg.big",
        threshold=data["threshold"],
        budgets=data["budgets"],
        compat=Compat(data.get("compat", "minimal")),
        uses=uses,
    )


@pytest.mark.parametrize(
    "folder", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_case(folder, tmp_path):
    source = (folder / "input.py").read_text()
    config = _config(folder)
    files = {str(p): t for p, t in split(source, plan_split(source, config), config).items()}
    expected_dir = folder / "expected"
    if os.environ.get("MODULARIZE_REGEN"):
        expected_dir.mkdir(exist_ok=True)
        for old in expected_dir.glob("*.py"):
            old.unlink()
        for name, text in files.items():
            (expected_dir / name).write_text(text)
    expected = {p.name: p.read_text() for p in expected_dir.glob("*.py")}
    assert files == expected
    probe = (folder / "probe.py").read_text()
    extra = json.loads((folder / "config.json").read_text()).get("extra")
    write_original(tmp_path / "before", source, extra)
    write_split(tmp_path / "after", source, config, extra)
    before = run(tmp_path / "before", "-c", probe)
    assert "rc=0" in before, before
    assert run(tmp_path / "after", "-c", probe) == before
