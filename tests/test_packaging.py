"""The wheel works on its own: built from the tree, installed NON-editable into a fresh venv.

The fresh venv gets no copy of the dependencies: a .pth file appends this interpreter's
site-packages after the venv's own, so the installed wheel is found first and the checkout is
not on the path at all (every command runs from a temporary directory).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def _run(*args: object, cwd: Path) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": "", "PIP_NO_INPUT": "1"},
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the built wheel, the venv it is installed into)."""
    work = tmp_path_factory.mktemp("packaging")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        work / "dist",
        REPO_ROOT,
        cwd=work,
    )
    [wheel] = (work / "dist").glob("modularize-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        wheel,
        cwd=work,
    )
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work
        ).strip()
    )
    (site / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return wheel, venv


@pytest.mark.slow
def test_wheel_ships_every_template(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        "modularize/" + p.relative_to(REPO_ROOT).as_posix()
        for p in (REPO_ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert "modularize/templates/scan.schema.json" in shipped
    assert shipped <= names
    assert {
        "modularize/orchestrator/cli.py",
        "modularize/agents/__init__.py",
        "modularize/__main__.py",
        "modularize/agents/py.typed",
        "modularize/orchestrator/py.typed",
        "modularize/templates/py.typed",
    } <= names


@pytest.mark.slow
def test_wheel_installs_nothing_generic_at_the_top(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    version = wheel.name.split("-")[1]
    assert tops == {"modularize", f"modularize-{version}.dist-info"}


@pytest.mark.slow
def test_console_script_and_python_m_report_the_version(installed, tmp_path: Path) -> None:
    _, venv = installed
    expected = _run(
        venv / "bin" / "python",
        "-c",
        "import importlib.metadata as m; print(m.version('modularize'))",
        cwd=tmp_path,
    ).strip()
    assert expected
    assert (
        _run(venv / "bin" / "modularize", "--version", cwd=tmp_path) == f"modularize {expected}\n"
    )
    out = _run(venv / "bin" / "python", "-m", "modularize", "--version", cwd=tmp_path)
    assert out == f"modularize {expected}\n"


@pytest.mark.slow
def test_templates_load_from_the_installed_package(installed, tmp_path: Path) -> None:
    _, venv = installed
    code = (
        "import json; from modularize import orchestrator, templates; "
        "print(orchestrator.__file__); "
        "print(json.loads(templates.load('scan.schema.json'))['properties']['version'])"
    )
    out = _run(venv / "bin" / "python", "-c", code, cwd=tmp_path).splitlines()
    assert Path(out[0]).is_relative_to(venv)  # the wheel, not the checkout
    assert (
        out[1]
        == "{'const': 1, 'description': 'Schema version; bumped on any incompatible change.'}"
    )


@pytest.mark.slow
def test_installed_scan_runs_on_the_example(installed, tmp_path: Path) -> None:
    _, venv = installed
    out = _run(
        venv / "bin" / "modularize",
        "scan",
        "--format",
        "markdown",
        REPO_ROOT / "examples" / "legacy_shop",
        cwd=tmp_path,
    )
    assert "legacy_shop/legacy_shop/service.py" in out
    assert out.startswith("### modularize scan: 2 files over 400 lines")
