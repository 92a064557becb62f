"""Hazard case folders for the class split: ``cases/<name>/input.py`` holds a class over the
limit with one hazard, ``check.py`` exits non-zero when its behaviour changed. Each check passes
on the original and after ``modularize run``, and fails on a naive mixin split (every
non-dunder method moved, in order, into two mixins: no regard for ``super()``, mangling,
``__slots__``, setters, overloads or what reads the class namespace). Folders with
``refused.txt`` must be refused with that reason; ``naive_survives.txt`` marks the one case a
naive split happens not to break (it guards pickling, getsource and mock.patch)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from tests.engine.support import run

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
THRESHOLD = 50


def naive_split(source: str) -> str:
    """Every non-dunder method of ``Big`` moved into two mixins right above it."""
    module = cst.parse_module(source)
    body: list[cst.BaseStatement] = []
    for stmt in module.body:
        if not (isinstance(stmt, cst.ClassDef) and stmt.name.value == "Big"):
            body.append(stmt)
            continue
        assert isinstance(stmt.body, cst.IndentedBlock)
        moved = [
            s
            for s in stmt.body.body
            if isinstance(s, cst.FunctionDef) and not s.name.value.endswith("__")
        ]
        half = len(moved) // 2
        for name, part in (("_NaiveA", moved[:half]), ("_NaiveB", moved[half:])):
            body.append(cst.ClassDef(cst.Name(name), cst.IndentedBlock(part)))
        kept = [s for s in stmt.body.body if s not in moved]
        bases = [cst.Arg(cst.Name("_NaiveA")), cst.Arg(cst.Name("_NaiveB")), *stmt.bases]
        body.append(stmt.with_changes(bases=bases, body=stmt.body.with_changes(body=kept)))
    return module.with_changes(body=body).code


def _package(root: Path, name: str, source: str) -> None:
    (root / f"case_{name}").mkdir(parents=True)  # (a package named ``enum`` would shadow it)
    (root / f"case_{name}" / "__init__.py").write_text("")
    (root / f"case_{name}" / "big.py").write_text(source)


def _check(root: Path, name: str) -> str:
    saved = root.parent / f"{name}.pickle"
    return run(root, str(CASES / name / "check.py"), f"case_{name}", str(saved))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    """Every case as a package of one throwaway repository, checked, then split once."""
    root = tmp_path_factory.mktemp("hazards") / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text(f"[tool.modularize]\nthreshold = {THRESHOLD}\n")
    for name in NAMES:
        _package(root, name, (CASES / name / "input.py").read_text())
    before = {name: _check(root, name) for name in NAMES}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "cases"], cwd=root, check=True)
    done = subprocess.run(
        [sys.executable, "-m", "modularize", "run", "--no-commit", "--python", sys.executable]
        + [f"case_{n}" for n in NAMES],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return root, before, done.stdout + done.stderr


@pytest.mark.parametrize("name", NAMES)
def test_check_passes_on_the_original_and_after_modularize_run(project, name):
    root, before, output = project
    assert before[name].endswith("ok\nrc=0"), before[name]
    assert _check(root, name).endswith("ok\nrc=0"), output
    refused = CASES / name / "refused.txt"
    if refused.exists():
        assert (root / f"case_{name}" / "big.py").is_file()
        assert refused.read_text().strip() in " ".join(output.split()), output
    else:
        package = root / f"case_{name}" / "big"
        assert package.is_dir(), output
        sizes = {p.name: p.read_text().count("\n") for p in package.glob("*.py")}
        assert max(v for k, v in sizes.items() if k != "__init__.py") <= THRESHOLD, sizes


@pytest.mark.parametrize("name", NAMES)
def test_a_naive_mixin_split_breaks_the_check(tmp_path, name):
    source = (CASES / name / "input.py").read_text()
    _package(tmp_path / "before", name, source)
    assert _check(tmp_path / "before", name).endswith("ok\nrc=0")
    _package(tmp_path / "naive", name, naive_split(source))
    result = _check(tmp_path / "naive", name)
    if (CASES / name / "naive_survives.txt").exists():
        assert result.endswith("ok\nrc=0"), result
    else:
        assert not result.endswith("ok\nrc=0"), result
    shutil.rmtree(tmp_path / "naive")
