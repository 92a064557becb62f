"""The dry-run patch format: whatever the texts, ``git apply`` reproduces them exactly."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from modularize.orchestrator.patches import unified_patch


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            {"big.py": "a = 1\nb = 2\n"},
            {"big.py": None, "big/__init__.py": "a = 1\n", "big/b.py": "b = 2\n"},
            id="module-to-package",
        ),
        pytest.param(
            {"big.py": "x = 1"}, {"big.py": None, "big/x.py": "x = 1"}, id="no-newline-at-end"
        ),
        pytest.param({"t.py": "a\r\nb\r\nc\r\n"}, {"t.py": "a\r\nB\r\nc\r\n"}, id="crlf-edit"),
        pytest.param(
            {"big.py": "x\n"}, {"big.py": None, "big/__init__.py": ""}, id="empty-new-file"
        ),
        pytest.param({"t.py": "é = 'ü'\n"}, {"t.py": "é = 'ü'  # noqa: E501\n"}, id="utf-8"),
    ],
)
def test_git_apply_turns_the_old_tree_into_the_new_one(
    tmp_path: Path, before: dict[str, str], after: dict[str, str | None]
) -> None:
    for rel, text in before.items():
        (tmp_path / rel).write_bytes(text.encode())
    patch = unified_patch(tmp_path, after)
    (tmp_path / "out.patch").write_bytes(patch.encode())
    subprocess.run(
        ["git", "apply", "--unsafe-paths", "out.patch"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    (tmp_path / "out.patch").unlink()
    expected = {**before, **after}
    found = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes().decode()
        for p in tmp_path.rglob("*")
        if p.is_file()
    }
    assert found == {k: v for k, v in expected.items() if v is not None}


def test_unchanged_files_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "same.py").write_text("x = 1\n")
    assert unified_patch(tmp_path, {"same.py": "x = 1\n"}) == ""
