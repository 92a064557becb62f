"""``modularize scan`` end to end, on throwaway git repositories in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from modularize import templates
from tests.cli.conftest import invoke, run_module, scan_json
from tests.support import big_source, git, write

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(templates.load("scan.schema.json"))

TROUBLE = """import os
from helpers import *

HERE = os.path.dirname(__file__)
COUNTER = 0


def bump():
    global COUNTER
    COUNTER += 1


def read_only():
    global COUNTER
    return COUNTER


"""


def test_table_lists_only_files_over_the_limit(repo: Path) -> None:
    write(repo / "pkg" / "__init__.py", "")
    write(repo / "pkg" / "big.py", big_source(90))
    write(repo / "pkg" / "small.py", big_source(10))
    result = invoke("scan", "--no-plan")
    assert result.exit_code == 0, result.output
    assert "pkg/big.py" in result.stdout and "451" in result.stdout
    assert "small.py" not in result.stdout
    assert "1 file over 400 lines (3 Python files scanned)." in result.stdout


def test_json_follows_the_schema_and_reports_warnings(repo: Path) -> None:
    main_block = '\nif __name__ == "__main__":\n    bump()\n'
    write(repo / "app.py", big_source(80, extra=TROUBLE) + main_block)
    giant = "class Giant:\n" + "".join(f"    x{i} = {i}\n" for i in range(420))
    write(repo / "giant.py", giant)
    data = scan_json()
    jsonschema.validate(data, SCHEMA)
    assert (data["version"], data["threshold"], data["scanned"]) == (1, 400, 2)
    app, giant_entry = data["files"]
    assert (app["path"], app["functions"], app["classes"]) == ("app.py", 82, 0)
    assert app["lines"] == len((repo / "app.py").read_text().splitlines())
    text = "\n".join(app["warnings"])
    assert "line 3: star import `from helpers import *`" in text
    assert "line 5: uses `__file__`" in text
    assert "`COUNTER` is rebound with `global` in `bump()`" in text
    assert "read_only" not in text  # declared global but never rebound
    assert sum("`global`" in w for w in app["warnings"]) == 1  # locals are not globals
    assert 'if __name__ == "__main__":' in text
    assert giant_entry["warnings"] == [
        "line 1: `Giant` is 421 lines, over the limit by itself: it needs a class split"
    ]


def test_markdown_format(repo: Path) -> None:
    write(repo / "big.py", big_source(90))
    result = invoke("scan", "--format", "markdown", "--no-plan")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "### modularize scan: 1 file over 400 lines (1 scanned)"
    assert "| `big.py` | 451 | 0 | 90 |" in result.stdout
    assert "| --- | ---: | ---: | ---: | --- | --- |" in lines


def test_check_exit_codes_and_threshold_flag(repo: Path) -> None:
    write(repo / "big.py", big_source(90))
    assert invoke("scan", "--no-plan", "--check").exit_code == 1
    assert invoke("scan", "--no-plan", "--check", "--threshold", "451").exit_code == 0
    assert invoke("scan", "--no-plan", "--check", "--threshold", "450").exit_code == 1
    assert (
        invoke("scan", "--no-plan").exit_code == 0
    )  # without --check, a big file is not a failure


def test_threshold_from_pyproject_and_flag_wins(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.modularize]\nthreshold = 100\n")
    write(repo / "mid.py", big_source(30))
    assert [f["path"] for f in scan_json()["files"]] == ["mid.py"]
    assert scan_json("--threshold", "200")["files"] == []


def test_unknown_key_is_one_line_exit_2(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.modularize]\ntreshold = 300\n")
    done = run_module("scan", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "unknown key 'treshold' in [tool.modularize]" in done.stderr
    assert "pyproject.toml" in done.stderr


def test_missing_path_is_one_line_exit_2(repo: Path) -> None:
    done = run_module("scan", "nowhere", cwd=repo)
    assert done.returncode == 2
    assert done.stderr == "modularize: error: nowhere: no such file or directory\n"


def test_bad_format_is_a_usage_error(repo: Path) -> None:
    result = invoke("scan", "--format", "xml")
    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_unreadable_files_go_to_errors_and_the_scan_goes_on(repo: Path) -> None:
    write(repo / "a_latin1.py", big_source(90).encode() + "# caf\xe9\n".encode("latin-1"))
    write(repo / "b_broken.py", big_source(90) + "def oops(:\n    pass\n")
    write(repo / "c_good.py", big_source(90))
    write(repo / "d_small_broken.py", "def nope(:\n")  # under the limit: never parsed
    data = scan_json()
    jsonschema.validate(data, SCHEMA)
    errors = {e["path"]: e["error"] for e in data["errors"]}
    assert errors["a_latin1.py"].startswith("cannot decode as utf-8:")
    assert errors["b_broken.py"].startswith("line 452: syntax error")
    assert [f["path"] for f in data["files"]] == ["c_good.py"]
    assert invoke("scan", "--no-plan").exit_code == 1  # failed files mean exit 1


def test_encoding_cookie_is_honoured(repo: Path) -> None:
    source = "# -*- coding: latin-1 -*-\n" + big_source(90) + "NAME = 'caf\xe9'\n"
    write(repo / "old.py", source.encode("latin-1"))
    data = scan_json()
    assert data["errors"] == [] and data["files"][0]["path"] == "old.py"


def test_excludes_from_flags_and_pyproject(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.modularize]\nexclude = ["vendor", "gen/*.py"]\n')
    for name in (
        "app/big.py",
        "vendor/lib/big.py",
        "gen/big.py",
        "gen/sub/big.py",
        "legacy/big.py",
    ):
        write(repo / name, big_source(90))
    paths = [f["path"] for f in scan_json("--exclude", "legacy/*")["files"]]
    assert paths == ["app/big.py", "gen/sub/big.py"]


def test_pyproject_globs_are_relative_to_the_pyproject(repo: Path, monkeypatch) -> None:
    write(repo / "pyproject.toml", '[tool.modularize]\nexclude = ["src/gen/*"]\n')
    write(repo / "src" / "gen" / "big.py", big_source(90))
    write(repo / "src" / "app" / "big.py", big_source(90))
    monkeypatch.chdir(repo / "src")
    assert [f["path"] for f in scan_json(".")["files"]] == ["app/big.py"]
    # A folder you name is scanned even when a name glob would leave it out of a wider scan.
    write(repo / "pyproject.toml", '[tool.modularize]\nexclude = ["gen"]\n')
    assert [f["path"] for f in scan_json("gen")["files"]] == ["gen/big.py"]
    assert [f["path"] for f in scan_json(".")["files"]] == ["app/big.py"]


def test_nearest_pyproject_wins(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.modularize]\nexclude = ["examples"]\n')
    write(repo / "examples" / "shop" / "pyproject.toml", "[tool.modularize]\nthreshold = 400\n")
    write(repo / "examples" / "shop" / "shop" / "big.py", big_source(90))
    assert scan_json(".")["files"] == []
    paths = [f["path"] for f in scan_json("examples/shop")["files"]]
    assert paths == ["examples/shop/shop/big.py"]


def test_gitignored_untracked_files_are_not_listed(repo: Path) -> None:
    write(repo / ".gitignore", "ignored.py\n.venv/\n")
    write(repo / "tracked.py", big_source(90))
    git(repo, "add", "tracked.py")
    write(repo / "untracked.py", big_source(90))
    write(repo / "ignored.py", big_source(90))
    write(repo / ".venv" / "lib" / "big.py", big_source(90))
    write(repo / "env2" / "pyvenv.cfg", "home = /usr\n")  # an untracked, unignored virtualenv
    write(repo / "env2" / "lib" / "big.py", big_source(90))
    assert [f["path"] for f in scan_json()["files"]] == ["tracked.py", "untracked.py"]


def test_symlinks_out_of_the_tree_are_not_followed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside / "big.py", big_source(90))
    write(repo / "real.py", big_source(90))
    (repo / "linked.py").symlink_to(outside / "big.py")
    (repo / "linked_dir").symlink_to(outside, target_is_directory=True)
    (repo / "alias.py").symlink_to(repo / "real.py")  # inside: listed once, as itself
    assert [f["path"] for f in scan_json()["files"]] == ["real.py"]
    git(repo, "add", "-A")
    assert [f["path"] for f in scan_json()["files"]] == ["real.py"]


def test_walk_outside_git_skips_virtualenvs_and_build_output(tmp_path: Path, monkeypatch) -> None:
    tree = tmp_path / "plain"
    write(tree / "app" / "big.py", big_source(90))
    for skipped in (
        "build/lib/big.py",
        "dist/big.py",
        "node_modules/x/big.py",
        ".tox/py/big.py",
        "lib/site-packages/big.py",
        "env/lib/big.py",
    ):
        write(tree / skipped, big_source(90))
    write(tree / "env" / "pyvenv.cfg", "home = /usr\n")
    (tree / "out_link").symlink_to(tmp_path, target_is_directory=True)
    monkeypatch.chdir(tree)
    assert [f["path"] for f in scan_json()["files"]] == ["app/big.py"]


def test_test_files_are_listed_apart(repo: Path) -> None:
    write(repo / "tests" / "test_big.py", big_source(90))
    write(repo / "pkg" / "conftest.py", big_source(90))
    data = scan_json("--check")
    assert data["files"] == []
    assert [t["path"] for t in data["tests"]] == ["pkg/conftest.py", "tests/test_big.py"]
    assert (
        invoke("scan", "--no-plan", "--check").exit_code == 0
    )  # test files are not split by default
    assert len(scan_json("--include-tests")["files"]) == 2
    assert invoke("scan", "--no-plan", "--check", "--include-tests").exit_code == 1


def test_setup_py_and_generated_files_carry_a_skip_reason(repo: Path) -> None:
    write(repo / "setup.py", big_source(90))
    write(repo / "api_pb2.py", big_source(90))
    write(repo / "schema.py", "# @generated by schemagen 2.1, do not edit\n" + big_source(90))
    data = scan_json()
    skips = {f["path"]: f["skip"] for f in data["files"]}
    assert skips["setup.py"].startswith("setup.py is packaging code")
    assert skips["api_pb2.py"].startswith("generated protobuf module")
    assert skips["schema.py"].startswith("generated file (@generated marker)")
    assert all(f["plan"] == [] for f in data["files"])
    assert invoke("scan", "--no-plan", "--check").exit_code == 0  # nothing a run would split


def test_summary_appends_markdown(repo: Path, tmp_path: Path) -> None:
    write(repo / "big.py", big_source(90))
    summary = write(tmp_path / "summary.md", "# earlier step\n")
    result = invoke("scan", "--no-plan", "--summary", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0
    text = summary.read_text()
    assert text.startswith("# earlier step\n### modularize scan: 1 file over 400 lines")
    assert "| `big.py` | 451 |" in text
    assert "big.py" in result.stdout  # the table is still printed


def test_summary_without_the_variable_writes_nothing(repo: Path) -> None:
    write(repo / "big.py", big_source(90))
    result = invoke("scan", "--no-plan", "--summary", env={"GITHUB_STEP_SUMMARY": ""})
    assert result.exit_code == 0
    assert sorted(p.name for p in repo.iterdir()) == [".git", "big.py", "pyproject.toml"]


def test_named_files_honour_excludes_like_a_pre_commit_hook(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.modularize]\nexclude = ["vendor"]\n')
    write(repo / "vendor" / "big.py", big_source(90))
    write(repo / "app.py", big_source(90))
    write(repo / "notes.txt", "x\n" * 500)
    result = invoke("scan", "--no-plan", "--check", "vendor/big.py", "notes.txt")
    assert result.exit_code == 0, result.output
    assert invoke("scan", "--no-plan", "--check", "vendor/big.py", "app.py").exit_code == 1


def test_the_bundled_example_lists_its_big_modules(monkeypatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    data = scan_json("examples", plan=True)
    jsonschema.validate(data, SCHEMA)
    files = {f["path"]: f for f in data["files"]}
    assert sorted(files) == [
        "examples/legacy_shop/legacy_shop/models.py",
        "examples/legacy_shop/legacy_shop/service.py",
    ]
    service = files["examples/legacy_shop/legacy_shop/service.py"]
    assert any("rebound with `global`" in w for w in service["warnings"])
    for entry in files.values():  # the split planner's modules, each under the limit
        assert entry["skip"] is None and entry["refused"] is None and len(entry["plan"]) >= 2
        assert all(0 < m["lines"] < 400 for m in entry["plan"])
    assert "__main__.py" in [m["module"] for m in service["plan"]]


def test_a_refused_plan_says_why(repo: Path) -> None:
    write(repo / "star.py", "from os.path import *\n" + big_source(90))
    [entry] = scan_json(plan=True)["files"]
    assert entry["plan"] == [] and entry["skip"] is None
    assert entry["refused"].startswith("line 1:")
    assert invoke("scan", "--check").exit_code == 1  # refused is still over the limit


def test_parallel_scan_gives_the_same_report(repo: Path) -> None:
    for i in range(3):
        write(repo / f"m{i}.py", big_source(90 + i))
    write(repo / "bad.py", big_source(90) + "def (:\n")
    assert scan_json("--parallel", "2") == scan_json("--parallel", "1")


@pytest.mark.slow
def test_the_example_suite_passes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist"],
        cwd=REPO_ROOT / "examples" / "legacy_shop",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert " passed" in done.stdout


def test_the_gate_counts_lines_without_parsing(repo: Path) -> None:
    write(repo / "broken.py", big_source(90) + "def oops(:\n    pass\n")
    write(repo / "schema.py", "# @generated by schemagen\n" + big_source(90))
    write(repo / "tests" / "test_big.py", big_source(90))
    write(repo / "small.py", big_source(10))
    gate = invoke("scan", "--check", "--no-plan")
    assert gate.exit_code == 1  # over the limit, although it would not even parse
    assert gate.stdout.splitlines() == [
        "broken.py: 453 lines, over 400",
        "schema.py: 452 lines, over 400 (skipped: generated file (@generated marker); "
        "change its generator instead)",
        "2 files over 400 lines (4 Python files scanned), 1 test file(s) listed apart.",
    ]
    table = invoke("scan", "--check", "--no-plan", "--format", "table")
    assert "broken.py: line 452: syntax error" in table.stdout  # a named format parses
    (repo / "broken.py").unlink()
    assert invoke("scan", "--check", "--no-plan").exit_code == 0  # only a skipped file is left


def test_more_workers_than_cpus_says_so_and_caps(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modularize.orchestrator import options

    monkeypatch.setattr(options, "usable_cpus", lambda: 2)
    for i in range(3):
        write(repo / f"m{i}.py", big_source(90 + i))
    result = invoke("scan", "--no-plan", "--parallel", "64")
    assert result.exit_code == 0
    assert result.stderr == (
        "modularize: warning: --parallel 64 is more than the 2 CPUs here: using 2\n"
    )
    assert "3 files over 400 lines" in result.stdout
    assert invoke("scan", "--no-plan", "--parallel", "2").stderr == ""


def test_the_gate_summary_has_lines_and_skip_reasons(repo: Path, tmp_path: Path) -> None:
    write(repo / "big.py", big_source(90))
    write(repo / "setup.py", big_source(90))
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    assert invoke("scan", "--check", "--no-plan", "--summary", env=env).exit_code == 1
    text = summary.read_text()
    assert "| File | Lines | Skipped |" in text and "Classes" not in text
    assert "| `big.py` | 451 | - |" in text
    assert "| `setup.py` | 451 | setup.py is packaging code and is left alone |" in text


def test_scan_previews_the_modules_that_plan_and_run_write(repo: Path) -> None:
    # a package __init__ next to a data file whose stem is the name its notes helpers share:
    # scan used to take every sibling's stem as taken and preview a different module name
    notes = "".join(
        f"def read_notes_{i}(path):\n    with open(path) as f:\n        text = f.read()\n"
        f"    return text.split({i!r})\n\n\n"
        for i in range(40)
    )
    write(repo / "pkg" / "__init__.py", big_source(60) + notes)
    write(repo / "pkg" / "notes.txt", "not a module\n")
    [entry] = scan_json(plan=True)["files"]
    shown = invoke("plan", "pkg/__init__.py")
    assert shown.exit_code == 0, shown.output
    planned = [f"{m['name']}.py" for m in json.loads(shown.stdout)["modules"]]
    assert [m["module"] for m in entry["plan"]] == planned
    assert "notes.py" in planned
