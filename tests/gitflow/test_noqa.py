"""The pure parts: placing ``# noqa`` comments, reading pre-commit's output, finding ruff config."""

from __future__ import annotations

from pathlib import Path

import pytest

from modularize.orchestrator.gitops import failed_hooks
from modularize.orchestrator.ruffing import RuffSettings, add_noqa, detect_settings


@pytest.mark.parametrize(
    ("before", "rows", "after", "refused"),
    [
        pytest.param("x = 1\n", {1: {"E741"}}, "x = 1  # noqa: E741\n", [], id="append"),
        pytest.param(
            "x = 1   \n",
            {1: {"F841", "E741"}},
            "x = 1  # noqa: E741, F841\n",
            [],
            id="two-codes-sorted-trailing-space",
        ),
        pytest.param(
            "x = 1  # noqa: F841\n",
            {1: {"E741"}},
            "x = 1  # noqa: F841, E741\n",
            [],
            id="merge-into-existing",
        ),
        pytest.param(
            "x = 1  # keep  # NOQA:F841 why\n",
            {1: {"F841", "E741"}},
            "x = 1  # keep  # noqa: F841, E741 why\n",
            [],
            id="merge-keeps-text",
        ),
        pytest.param("x = 1  # noqa\n", {1: {"E741"}}, "x = 1  # noqa\n", [], id="blanket"),
        pytest.param(
            "a = 1\r\nb = 2\r\n",
            {2: {"E741"}},
            "a = 1\r\nb = 2  # noqa: E741\r\n",
            [],
            id="crlf-kept",
        ),
        pytest.param(
            "x = 1 + \\\n    2\n",
            {1: {"E741"}},
            "x = 1 + \\\n    2\n",
            [1],
            id="continuation-refused",
        ),
        pytest.param("x = 1", {1: {"E741"}}, "x = 1  # noqa: E741", [], id="no-final-newline"),
        pytest.param(
            "a = 1\x0cb = 2\nc = 3\n",
            {2: {"E741"}},
            "a = 1\x0cb = 2\nc = 3  # noqa: E741\n",
            [],
            id="form-feed-is-not-a-row",
        ),
        pytest.param("x = 1\n", {5: {"E741"}}, "x = 1\n", [5], id="row-out-of-range"),
    ],
)
def test_add_noqa(before: str, rows: dict[int, set[str]], after: str, refused: list[int]) -> None:
    assert add_noqa(before, rows) == (after, refused)


PRE_COMMIT_OUTPUT = """\
fix markers..............................................................Passed
always fail..............................................................Failed
- hook id: always-fail
- exit code: 1

boom: this hook never passes
pkg/big/base.py
check yaml...........................................(no files to check)Skipped
trailing ws..............................................................Failed
- hook id: trailing-ws
- files were modified by this hook
"""


def test_failed_hooks_are_told_apart() -> None:
    found = dict(failed_hooks(PRE_COMMIT_OUTPUT))
    assert list(found) == ["always-fail", "trailing-ws"]
    assert "boom: this hook never passes" in found["always-fail"]
    assert "check yaml" not in found["always-fail"]
    assert found["trailing-ws"] == "- files were modified by this hook"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.mark.parametrize(
    ("files", "own", "fmt", "hook"),
    [
        pytest.param({}, False, False, False, id="nothing"),
        pytest.param(
            {"pyproject.toml": "[project]\nname = 'x'\n"},
            False,
            False,
            False,
            id="pyproject-without-ruff",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.ruff]\nline-length = 90\n"},
            True,
            False,
            False,
            id="pyproject-ruff",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.ruff.format]\nquote-style = 'single'\n"},
            True,
            True,
            False,
            id="pyproject-ruff-format",
        ),
        pytest.param({"ruff.toml": "[format]\n"}, True, True, False, id="ruff-toml-format"),
        pytest.param(
            {"pkg/.ruff.toml": "[lint]\nselect = ['E']\n"},
            True,
            False,
            False,
            id="nested-dot-ruff-toml",
        ),
        pytest.param(
            {
                ".pre-commit-config.yaml": "repos:\n- repo: r\n  hooks:\n"
                "  - id: ruff-format\n  - id: ruff\n"
            },
            False,
            True,
            True,
            id="pre-commit-ruff-hooks",
        ),
    ],
)
def test_detect_settings(
    tmp_path: Path, files: dict[str, str], own: bool, fmt: bool, hook: bool
) -> None:
    _write(tmp_path, {"pkg/big/base.py": "x = 1\n", **files})
    settings = detect_settings(tmp_path, [tmp_path / "pkg/big/base.py"])
    assert (settings.own_config, settings.format, settings.hook) == (own, fmt, hook)


@pytest.mark.parametrize(
    ("settings", "args"),
    [
        pytest.param(RuffSettings(True, False, True), ["--force-exclude"], id="own-config"),
        pytest.param(RuffSettings(False, False, True), ["--isolated"], id="hook-defaults"),
        pytest.param(
            RuffSettings(False, False, False), ["--isolated", "--select", "F,E9"], id="floor"
        ),
    ],
)
def test_rule_set_follows_the_repository(settings: RuffSettings, args: list[str]) -> None:
    assert settings.check_args() == args
