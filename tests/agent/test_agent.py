"""The libcst agent end to end on real packages: split, verify, roll back, dry run, skips."""

from __future__ import annotations

import ast
import signal
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from modularize.agents.base import AgentResult, Status
from modularize.agents.core.config import Config
from modularize.agents.libcst_agent import LibCSTAgent
from modularize.agents.write_verified import apply_and_verify
from tests.agent.fixtures import BIG, SMALL_LIMITS, TESTS
from tests.agent.helpers import make_task, snapshot_tree, write_tree

CONFIG = Config(**SMALL_LIMITS)


def _repo(tmp_path: Path, big: str = BIG) -> Path:
    write_tree(tmp_path, {"pkg/__init__.py": "", "tests/test_big.py": TESTS})
    (tmp_path / "pkg" / "big.py").write_text(big, encoding="utf-8")
    return tmp_path


def _run(tmp_path: Path, **extra: object) -> AgentResult:
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable, **extra)
    return LibCSTAgent().run(task, CONFIG)


def _python(tmp_path: Path, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(tmp_path)},
    )
    return done.stdout


def test_split_verifies_and_replaces_the_module(tmp_path: Path) -> None:
    _repo(tmp_path)
    behaviour = (
        "import pkg.big as b; i = b.Inventory(b.SalePricing(50)); "
        "i.add(b.Item('pen', 3.0)); print(i.total(), sorted(b._registry), b.Item.__qualname__)"
    )
    before = _python(tmp_path, behaviour)
    result = _run(tmp_path)
    assert result.status is Status.SPLIT, result.reason or result.traceback
    assert not (tmp_path / "pkg" / "big.py").exists()
    assert (tmp_path / "pkg" / "big" / "__init__.py").is_file()
    assert result.lines_before == BIG.count("\n")
    assert [m.path for m in result.modules] == sorted(
        f"pkg/big/{p.name}" for p in (tmp_path / "pkg" / "big").glob("*.py")
    )
    assert all(m.lines <= CONFIG.threshold for m in result.modules)
    assert dict(result.locations)["Inventory"].startswith("pkg.big.")
    assert _python(tmp_path, behaviour) == before
    main = subprocess.run(
        [sys.executable, "-m", "pkg.big"], cwd=tmp_path, capture_output=True, text=True
    )
    assert main.stdout == "1.23\n"
    assert not list(tmp_path.glob("pkg/.big*")), "no journal or temp dir left"


def test_failed_verify_cmd_restores_byte_for_byte(tmp_path: Path) -> None:
    _repo(tmp_path)
    before = snapshot_tree(tmp_path)
    result = _run(tmp_path, verify_cmd="echo 'FAILED tests/test_x.py::t'; test ! -d pkg/big")
    assert result.status is Status.SKIPPED
    assert "FAILED tests/test_x.py::t" in result.reason and "left unchanged" in result.reason
    assert snapshot_tree(tmp_path) == before


@pytest.mark.parametrize(
    ("init", "problem"),
    [
        pytest.param(
            "raise ImportError('half a package')\n",
            "the new package does not import: ImportError: half a package",
            id="no-import",
        ),
        pytest.param(
            "from .model import *\n", "pkg.big.Y is missing after the split", id="lost-name"
        ),
        pytest.param(
            "from .model import X, Y\nclass X:\n    pass\n",
            "pkg.big.X was function X, is class X",
            id="kind",
        ),
    ],
)
def test_outputs_that_fail_verification_roll_back(tmp_path: Path, init: str, problem: str) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "def X():\n    pass\n_Y = Y = 1\n"})
    before = snapshot_tree(tmp_path)
    outputs = {
        PurePosixPath("__init__.py"): init,
        PurePosixPath("model.py"): "def X():\n    pass\n_Y = Y = 1\n__all__ = ['X']\n",
    }
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable)
    reason, warnings = apply_and_verify(task, outputs)
    assert reason is not None and problem in reason, reason
    assert warnings == []
    assert snapshot_tree(tmp_path) == before


def test_original_that_does_not_import_is_a_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "import missing_dep\nX = 1\n"})
    outputs = {
        PurePosixPath("__init__.py"): "import missing_dep\nfrom .a import X\n",
        PurePosixPath("a.py"): "X = 1\n",
    }
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable)
    reason, warnings = apply_and_verify(task, outputs)
    assert reason is None
    assert warnings and "does not import" in warnings[0] and "missing_dep" in warnings[0]
    assert (tmp_path / "pkg" / "big" / "a.py").exists() and not (tmp_path / "pkg/big.py").exists()


def test_dry_run_writes_nothing_and_returns_the_files(tmp_path: Path) -> None:
    _repo(tmp_path)
    before = snapshot_tree(tmp_path)
    result = _run(tmp_path, dry_run=True)
    assert result.status is Status.SPLIT, result.reason or result.traceback
    assert snapshot_tree(tmp_path) == before
    files = dict(result.files)
    assert files.pop("pkg/big.py") is None
    assert sorted(files) == [m.path for m in result.modules]
    assert all(ast.parse(text) for text in files.values())
    write_tree(tmp_path / "copy", {"pkg/__init__.py": ""})
    for rel, text in files.items():
        write_tree(tmp_path / "copy", {rel: text})
    assert "Inventory" in _python(tmp_path / "copy", "import pkg.big; print(dir(pkg.big))")


def test_interrupt_during_verification_rolls_back_then_propagates(tmp_path: Path) -> None:
    _repo(tmp_path)
    before = snapshot_tree(tmp_path)
    # a shell without job control starts background jobs with SIGINT ignored, and Python then
    # keeps it ignored (a CI script run with ``&``): Ctrl-C's handler, as in a terminal
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        result = _run(tmp_path, verify_cmd="kill -INT $PPID; sleep 10")
    except KeyboardInterrupt:
        pass
    else:  # the command never ran: say why (a verification that failed before it, say)
        pytest.fail(f"no interrupt reached the run: {result.status} {result.reason}")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert snapshot_tree(tmp_path) == before


SKIP, FAIL = Status.SKIPPED, Status.FAILED


@pytest.mark.parametrize(
    ("rel", "text", "status", "reason"),
    [
        pytest.param("pkg/test_big.py", BIG, SKIP, "test file", id="test-file"),
        pytest.param("setup.py", BIG, SKIP, "setup.py is packaging code", id="setup.py"),
        pytest.param(
            "pkg/big.py", "# @generated by protoc\n" + BIG, SKIP, "generated file", id="generated"
        ),
        # A file that does not parse or decode is an error to fix, as `scan` reports it.
        pytest.param(
            "pkg/big.py", "def broken(:\n" + BIG, FAIL, "line 1: syntax error", id="syntax"
        ),
        pytest.param(
            "pkg/big.py", b"X = '\xff'\n", FAIL, "cannot decode as utf-8", id="undecodable"
        ),
    ],
)
def test_files_left_alone_say_why(
    tmp_path: Path, rel: str, text: str | bytes, status: Status, reason: str
) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": ""})
    path = tmp_path / rel
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = snapshot_tree(tmp_path)
    module = rel.removesuffix(".py").replace("/", ".")
    result = LibCSTAgent().run(make_task(tmp_path, rel, module), CONFIG)
    assert (result.status, result.path) == (status, rel)
    assert reason in result.reason and rel in result.reason
    assert snapshot_tree(tmp_path) == before


def test_existing_package_dir_skips(tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "pkg" / "big").mkdir()
    result = _run(tmp_path)
    assert result.status is Status.SKIPPED
    assert result.reason == "big/ already exists next to big.py; move it away first"


def test_refusal_is_a_skip_naming_the_line(tmp_path: Path) -> None:
    _repo(tmp_path, BIG + "\nexec('x = 1')\n")
    before = snapshot_tree(tmp_path)
    result = _run(tmp_path)
    assert result.status is Status.SKIPPED
    assert "exec()" in result.reason and result.reason.startswith("line ")
    assert snapshot_tree(tmp_path) == before


def test_an_unexpected_error_is_a_failed_result_not_an_exception(tmp_path: Path) -> None:
    _repo(tmp_path)
    task = make_task(tmp_path, "pkg/big.py", "pkg.big")
    result = LibCSTAgent().run(task, config=None)  # type: ignore[arg-type]
    assert result.status is Status.FAILED
    assert "AttributeError" in result.reason and "Traceback" in result.traceback
    assert (tmp_path / "pkg" / "big.py").read_text() == BIG


_TERMINATED_WORKER = """
import sys
from pathlib import Path, PurePosixPath
from modularize.agents.write_verified import apply_and_verify
from tests.agent.helpers import make_task
root = Path(sys.argv[1])
task = make_task(root, "pkg/big.py", "pkg.big", python=sys.executable,
                 verify_cmd="kill -TERM $PPID; sleep 10")
outputs = {PurePosixPath("__init__.py"): "from .a import X\\n__all__ = ['X']\\n",
           PurePosixPath("a.py"): "X = 1\\n"}
try:
    apply_and_verify(task, outputs)
except KeyboardInterrupt:
    sys.exit(130)
"""


def test_sigterm_during_verification_rolls_back(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "X = 1\n"})
    before = snapshot_tree(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _TERMINATED_WORKER, str(tmp_path)],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 130, done.stderr
    assert snapshot_tree(tmp_path) == before


INIT_BIG = BIG.replace('if __name__ == "__main__":', "if False:")


def test_package_init_split_keeps_pkg_names(tmp_path: Path) -> None:
    write_tree(tmp_path, {"shop/other.py": "from shop import Inventory\n"})
    (tmp_path / "shop" / "__init__.py").write_text(INIT_BIG)
    behaviour = (
        "import shop, shop.other; i = shop.Inventory(shop.SalePricing(50)); "
        "i.add(shop.Item('pen', 3.0)); print(i.total(), shop.other.Inventory is "
        "shop.Inventory, shop.logger.name)"
    )
    before = _python(tmp_path, behaviour)
    task = make_task(tmp_path, "shop/__init__.py", "shop", python=sys.executable)
    result = LibCSTAgent().run(task, CONFIG)
    assert result.status is Status.SPLIT, result.reason or result.traceback
    assert _python(tmp_path, behaviour) == before == "1.5 True shop\n"
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.py"))
    assert written == sorted({m.path for m in result.modules} | {"shop/other.py"})
    assert (tmp_path / "shop" / "other.py").read_text() == "from shop import Inventory\n"


def test_a_second_run_finds_nothing_to_split(tmp_path: Path) -> None:
    from modularize.agents.core.discovery import split_candidates

    _repo(tmp_path)
    assert _run(tmp_path).status is Status.SPLIT
    assert split_candidates([tmp_path / "pkg"], CONFIG) == []


def test_an_edited_plan_is_used_and_checked(tmp_path: Path) -> None:
    import json

    from modularize.agents.engine import EngineConfig, plan_split

    _repo(tmp_path)
    plan = json.loads(plan_split(BIG, EngineConfig(module="pkg.big", **SMALL_LIMITS)).to_json())
    plan["modules"][0]["name"] = "models"
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    result = _run(tmp_path, plan_file=str(tmp_path / "plan.json"))
    assert result.status is Status.SPLIT, result.reason
    assert "pkg/big/models.py" in {m.path for m in result.modules}
    assert result.plan_by == f"libcst (edited plan {tmp_path / 'plan.json'})"
    (tmp_path / "other.json").write_text(json.dumps({**plan, "module": "pkg.other"}))
    write_tree(tmp_path, {"pkg/big.py": BIG})
    (tmp_path / "pkg" / "big").rename(tmp_path / "old_big")
    result = _run(tmp_path, plan_file=str(tmp_path / "other.json"))
    assert (result.status, result.reason) == (
        Status.SKIPPED,
        "the plan is for pkg.other, not pkg.big",
    )
