"""Fixtures for the git flow tests: isolated git and pre-commit, and a committed repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitflow.helpers import Split, split_repo


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No global or system git configuration, and a pre-commit cache that needs no network."""
    home = tmp_path_factory.getbasetemp() / "gitflow-home"
    home.mkdir(exist_ok=True)
    gitconfig = home / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Global\n\temail = global@example.com\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home / "pre-commit"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg"))  # no user-level ruff.toml


@pytest.fixture
def repo(tmp_path: Path) -> Split:
    """A committed repository, before the split."""
    return split_repo(tmp_path / "repo")
