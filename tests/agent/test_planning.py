"""``modularize plan FILE``: JSON on stdout or in a file, one-line errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from modularize.orchestrator.cli import app
from tests.agent.fixtures import BIG
from tests.agent.helpers import write_tree

PYPROJECT = "[tool.modularize]\nthreshold = 60\n"


def _project(tmp_path: Path, big: str = BIG) -> Path:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "pkg/__init__.py": ""})
    (tmp_path / "pkg" / "big.py").write_text(big, encoding="utf-8")
    return tmp_path / "pkg" / "big.py"


def test_plan_prints_json_a_person_can_edit(tmp_path: Path) -> None:
    big = _project(tmp_path)
    result = CliRunner().invoke(app, ["plan", str(big)])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["version"] == 1 and plan["module"] == "pkg.big"
    units = [u for m in plan["modules"] for u in m["units"]] + plan["init_units"]
    assert {"Inventory", "helper", "Color", "Item"} <= set(units)
    assert big.read_text() == BIG, "planning changes nothing"


def test_plan_output_file(tmp_path: Path) -> None:
    big = _project(tmp_path)
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(app, ["plan", str(big), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["module"] == "pkg.big"


def test_refusal_is_one_line_naming_the_file_and_exit_1(tmp_path: Path) -> None:
    big = _project(tmp_path, BIG + "\nexec('x = 1')\n")
    result = CliRunner().invoke(app, ["plan", str(big)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"modularize: error: {big}: cannot split:")
    assert "Traceback" not in result.output


def test_unreadable_file_is_a_usage_error(tmp_path: Path) -> None:
    big = _project(tmp_path)
    big.write_bytes(b"X = '\xff'\n")
    result = CliRunner().invoke(app, ["plan", str(big)])
    assert result.exit_code == 2
    assert result.output.startswith(f"modularize: error: {big}: cannot decode as utf-8")


def test_new_modules_are_not_named_like_the_modules_beside_the_original(tmp_path: Path) -> None:
    from modularize.agents.core.config import Config
    from modularize.agents.libcst_agent import engine_config_for

    (tmp_path / "utils.py").write_text("")
    (tmp_path / "big.py").write_text("")
    (tmp_path / "sub").mkdir()
    existing = engine_config_for(tmp_path / "big.py", "pkg.big", Config()).existing_names
    assert existing == {"utils", "sub"}
