"""Safe write, swap and rollback of split packages on a real file system."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from modularize.agents.apply import (
    Applied,
    Blocked,
    atomic_write_text,
    dry_run_copy,
    write_init_split,
    write_module_split,
)
from modularize.agents.core.errors import SourceError
from modularize.agents.core.source import encode_source, read_source
from modularize.agents.journal import recover_stale, recover_tree
from tests.agent.helpers import snapshot_tree, write_tree

OUTPUTS = {
    PurePosixPath("__init__.py"): "from .base import X\n",
    PurePosixPath("base.py"): "X = 1\n",
}


def _tree(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "X = 1\r\n# café\r\n"})
    return tmp_path / "pkg" / "big.py"


def test_module_split_commit_leaves_only_the_package(tmp_path: Path) -> None:
    big = _tree(tmp_path)
    applied = write_module_split(big, OUTPUTS)
    assert isinstance(applied, Applied)
    assert big.exists(), "the original stays until verification passed"
    applied.commit()
    assert snapshot_tree(tmp_path / "pkg") == {
        "__init__.py": b"",
        "big/__init__.py": b"from .base import X\n",
        "big/base.py": b"X = 1\n",
    }
    mode = (tmp_path / "pkg" / "big").stat().st_mode & 0o777
    assert mode == 0o777 & ~_umask(), "the package dir gets normal permissions, not mkdtemp's"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_module_split_rollback_restores_byte_for_byte(tmp_path: Path) -> None:
    big = _tree(tmp_path)
    before = snapshot_tree(tmp_path)
    applied = write_module_split(big, OUTPUTS)
    assert isinstance(applied, Applied)
    applied.rollback()
    assert snapshot_tree(tmp_path) == before
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["__init__.py", "big.py"]


def test_existing_package_dir_is_a_reason_not_an_overwrite(tmp_path: Path) -> None:
    big = _tree(tmp_path)
    (tmp_path / "pkg" / "big").mkdir()
    assert write_module_split(big, OUTPUTS) == Blocked(
        "big/ already exists next to big.py; move it away first"
    )
    assert not list((tmp_path / "pkg").glob(".big*")), "no journal or temp dir left behind"


def test_init_split_replaces_init_and_rolls_back(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "A = 1\nB = 2\n", "pkg/other.py": "Y = 0\n"})
    init = tmp_path / "pkg" / "__init__.py"
    before = snapshot_tree(tmp_path)
    outputs = {
        PurePosixPath("__init__.py"): "from ._a import A, B\n",
        PurePosixPath("_a.py"): "A = 1\nB = 2\n",
    }
    applied = write_init_split(init, outputs)
    assert isinstance(applied, Applied)
    assert init.read_text() == "from ._a import A, B\n"
    applied.rollback()
    assert snapshot_tree(tmp_path) == before
    applied = write_init_split(init, outputs)
    assert isinstance(applied, Applied)
    applied.commit()
    assert snapshot_tree(tmp_path / "pkg") == {
        "__init__.py": b"from ._a import A, B\n",
        "_a.py": b"A = 1\nB = 2\n",
        "other.py": b"Y = 0\n",
    }


def test_init_split_refuses_to_overwrite_a_sibling(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "A = 1\n", "pkg/_a.py": "old\n"})
    outputs = {PurePosixPath("__init__.py"): "", PurePosixPath("_a.py"): "A = 1\n"}
    reason = write_init_split(tmp_path / "pkg" / "__init__.py", outputs)
    assert reason == Blocked("_a.py already exist(s) in pkg/; rename it first")
    assert (tmp_path / "pkg" / "_a.py").read_text() == "old\n"


_KILLED_MID_SPLIT = """
import os, sys
from pathlib import Path, PurePosixPath
from modularize.agents.apply import write_init_split, write_module_split
target, kind = Path(sys.argv[1]), sys.argv[2]
outputs = {PurePosixPath("__init__.py"): "new = 1\\n", PurePosixPath("extra.py"): "E = 1\\n"}
(write_init_split if kind == "init" else write_module_split)(target, outputs)
os._exit(9)  # like SIGKILL: no rollback, no cleanup, no atexit
"""


@pytest.mark.parametrize("kind", ["module", "init"])
def test_a_killed_process_is_undone_by_the_next_run(tmp_path: Path, kind: str) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "old = 1\n", "pkg/big.py": "X = 1\n"})
    target = tmp_path / "pkg" / ("__init__.py" if kind == "init" else "big.py")
    before = snapshot_tree(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_SPLIT, str(target), kind], cwd=Path(__file__).parents[2]
    )
    assert done.returncode == 9
    assert snapshot_tree(tmp_path) != before, "the killed process had changed the tree"
    if kind == "init":  # the small new __init__ is no candidate any more: the tree is walked
        assert recover_tree(tmp_path) == [target]
    else:
        assert recover_stale(target) is True
    assert snapshot_tree(tmp_path) == before
    assert recover_stale(target) is False and recover_tree(tmp_path) == []


def test_interrupt_while_writing_leaves_nothing(tmp_path: Path) -> None:
    big = _tree(tmp_path)
    before = snapshot_tree(tmp_path)

    class Boom(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:
            raise KeyboardInterrupt

    outputs = {PurePosixPath("__init__.py"): "", PurePosixPath("z.py"): Boom("x = 1\n")}
    with pytest.raises(KeyboardInterrupt):
        write_module_split(big, outputs)
    assert snapshot_tree(tmp_path) == before
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["__init__.py", "big.py"]


def test_read_source_honours_the_encoding_cookie_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "legacy.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\r\nNAME = '\xe9'\r\n")
    text = read_source(path)
    assert text == "# -*- coding: latin-1 -*-\r\nNAME = '\xe9'\r\n"
    assert encode_source(text) == path.read_bytes()
    assert encode_source("X = 'é'\n") == "X = 'é'\n".encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            b"X = '\xff'\n", "cannot decode as utf-8: invalid start byte at byte 5", id="not-utf8"
        ),
        pytest.param(b"# coding: klingon\n", "unknown encoding: klingon", id="unknown-codec"),
    ],
)
def test_read_source_errors_name_the_problem(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=message):
        read_source(path)


def test_atomic_write_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "tool.py"
    path.write_text("old\n")
    path.chmod(0o755)
    atomic_write_text(path, "new\n")
    assert path.read_text() == "new\n" and path.stat().st_mode & 0o777 == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["tool.py"]


def test_dry_run_copy_is_separate_and_removed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/sub/big.py": "X = 1\n", "solo.py": "Y\n"})
    with dry_run_copy(tmp_path, "pkg.sub.big") as scratch:
        assert (scratch / "pkg" / "sub" / "big.py").read_text() == "X = 1\n"
        assert not (scratch / "solo.py").exists(), "only the top-level package is copied"
        (scratch / "pkg" / "sub" / "big.py").unlink()
    assert not scratch.exists()
    assert (tmp_path / "pkg" / "sub" / "big.py").exists()
    with dry_run_copy(tmp_path, "solo") as scratch:
        assert (scratch / "solo.py").read_text() == "Y\n"


_BUSY_SPLIT = """
import sys, time
from pathlib import Path, PurePosixPath
from modularize.agents.apply import write_module_split
write_module_split(Path(sys.argv[1]), {PurePosixPath("__init__.py"): "X = 1\\n"})
print("written", flush=True)
time.sleep(60)
"""


def test_a_split_in_progress_in_another_run_is_not_undone(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "X = 1\n"})
    target = tmp_path / "pkg" / "big.py"
    before = snapshot_tree(tmp_path)
    busy = subprocess.Popen(
        [sys.executable, "-c", _BUSY_SPLIT, str(target)],
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert busy.stdout is not None and busy.stdout.readline() == "written\n"
        assert recover_tree(tmp_path) == [], "its process is alive: another run is applying it"
        assert (tmp_path / "pkg" / "big" / "__init__.py").exists()
    finally:
        busy.kill()
        busy.wait()
    assert recover_tree(tmp_path) == [target]
    assert snapshot_tree(tmp_path) == before


_WRITING_TEMP = """
import sys, tempfile, time
from pathlib import Path
from modularize.agents.journal import temp_prefix
big = Path(sys.argv[1])
tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(big.stem), dir=big.parent))
(tmp / "__init__.py").write_text("half = 1\\n")
print(tmp.name, flush=True)
time.sleep(60)
"""


def test_a_live_process_keeps_its_temporary_folder(tmp_path: Path) -> None:
    # A run resumed while a worker of the killed one still writes must not pull its folder
    # away (it would rename a half-written package into place).
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/big.py": "X = 1\n"})
    target = tmp_path / "pkg" / "big.py"
    before = snapshot_tree(tmp_path)
    busy = subprocess.Popen(
        [sys.executable, "-c", _WRITING_TEMP, str(target)],
        cwd=Path(__file__).parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert busy.stdout is not None
        temp = tmp_path / "pkg" / busy.stdout.readline().strip()
        assert recover_stale(target) is False and recover_tree(tmp_path) == []
        assert (temp / "__init__.py").read_text() == "half = 1\n"
    finally:
        busy.kill()
        busy.wait()
    recover_tree(tmp_path)
    assert snapshot_tree(tmp_path) == before
