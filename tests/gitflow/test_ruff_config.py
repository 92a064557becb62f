"""A repository with its own ruff configuration: our output must satisfy the rules it selects."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ruff import find_ruff_bin

from modularize.orchestrator.commit import finalize
from modularize.orchestrator.lintfix import NoqaLine
from tests.gitflow.helpers import CONFIG, ORIGINAL, Split, options, split_repo
from tests.support import git

PYPROJECT = """\
[project]
name = "shop"

[tool.ruff]
target-version = "py310"

[tool.ruff.lint]
select = ["E", "F", "I", "UP", "W"]

[tool.ruff.format]
"""

# A ruff gate in pre-commit: the commit fails unless every selected rule is satisfied.
RUFF_HOOK = f"""\
repos:
- repo: local
  hooks:
  - id: ruff
    name: ruff
    language: system
    entry: {find_ruff_bin()} check --no-cache --force-exclude
    types: [python]
"""

# Generated code with what the repository's rules reject: unsorted imports (I001), an unused
# one (F401), typing.List (UP006/UP035), single quotes (the formatter's business).
BASE = """import sys
import os
from typing import List


class Base:
    def path(self):
        \"\"\"Where things live.\"\"\"
        l = 1
        return os.path.join('a', str(l))


def helper(value) -> List[int]:
    return [value * 2]
"""


def ruff(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(find_ruff_bin()), *args, "--no-cache", "pkg"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def configured_repo(tmp_path: Path) -> Split:
    extra = {"pyproject.toml": PYPROJECT, ".pre-commit-config.yaml": RUFF_HOOK}
    split = split_repo(tmp_path / "repo", extra).apply()
    (split.root / "pkg/big/base.py").write_text(BASE)
    return split


def test_output_satisfies_the_repository_rules(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    result = finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    assert result.committed, result
    base = (repo.root / "pkg/big/base.py").read_text()
    assert base.startswith("import os\n\n\nclass Base")  # sorted, sys removed
    assert "list[int]" in base and "List" not in base
    assert 'os.path.join("a", str(l))' in base  # formatted: the repository asked for it
    # E741 "l = 1" was already in the original: a targeted noqa, listed in the result.
    row = base.splitlines().index("        l = 1  # noqa: E741") + 1
    assert result.noqa == (NoqaLine("pkg/big/base.py", row, "E741"),)
    assert result.ruff_fixed >= 3
    assert ruff(repo.root, "check").returncode == 0
    assert ruff(repo.root, "format", "--check").returncode == 0
    assert git(repo.root, "status", "--porcelain") == ""


def test_findings_caused_by_the_split_are_notices_not_noqa(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    base = repo.root / "pkg/big/base.py"
    base.write_text(BASE.replace("import os\n", ""))  # the split "forgot" an import
    result = finalize(
        repo.root, repo.changed, repo.deleted, options(repo.root, no_commit=True), CONFIG
    )
    assert [n for n in result.notices if "F821" in n] == [
        f"pkg/big/base.py:{_row(base, 'return os.path')}: F821 Undefined name `os` "
        "(caused by the generated code; not suppressed)"
    ]
    assert "F821" not in base.read_text()
    assert [n.code for n in result.noqa] == ["E741"]


def test_default_rules_do_not_reformat_a_project_that_did_not_ask(tmp_path: Path) -> None:
    repo = split_repo(tmp_path / "repo", {"pyproject.toml": "[project]\nname = 'shop'\n"})
    repo.apply()
    (repo.root / "pkg/big/base.py").write_text(BASE)
    finalize(repo.root, repo.changed, repo.deleted, options(repo.root, no_commit=True), CONFIG)
    base = (repo.root / "pkg/big/base.py").read_text()
    assert "'a'" in base and "List[int]" in base  # neither formatted nor upgraded
    assert "import sys" not in base  # but F401 is fixed under the default F,E9
    assert "noqa" not in base and ORIGINAL.count("l = 1") == 1


def _row(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_noqa_keeps_the_file_line_endings(tmp_path: Path) -> None:
    lint_only = "[tool.ruff.lint]\nselect = ['E7', 'F']\n"
    repo = split_repo(tmp_path / "repo", {"pyproject.toml": lint_only}).apply()
    base = repo.root / "pkg/big/base.py"
    base.write_bytes(base.read_bytes().replace(b"\n", b"\r\n"))
    result = finalize(
        repo.root, repo.changed, repo.deleted, options(repo.root, no_commit=True), CONFIG
    )
    data = base.read_bytes()
    assert [n.code for n in result.noqa] == ["E741"]
    assert b"        l = 1  # noqa: E741\r\n" in data
    assert data.count(b"\r\n") == data.count(b"\n")


def test_a_project_with_fix_true_still_gets_reports_not_edits(tmp_path: Path) -> None:
    # `fix = true` in the project's config made ruff print fixed source instead of JSON.
    extra = {
        "pyproject.toml": PYPROJECT.replace("[tool.ruff]\n", "[tool.ruff]\nfix = true\n"),
        ".pre-commit-config.yaml": RUFF_HOOK,
    }
    repo = split_repo(tmp_path / "repo", extra).apply()
    (repo.root / "pkg/big/base.py").write_text(BASE)
    result = finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    assert result.committed, result
    assert [n.code for n in result.noqa] == ["E741"]


# boltons' get_path: ruff reports F841 on `as exc` (it is read on one path) and its "safe" fix
# drops it, which turns a PathAccessError into an UnboundLocalError.
LOOKUP = """

def lookup(cur, seg):
    try:
        return cur[seg]
    except TypeError as exc:
        try:
            return cur[int(seg)]
        except (ValueError, TypeError):
            if not hasattr(cur, "__iter__"):
                exc = TypeError("not indexable")
            raise LookupError(exc)
"""


def test_a_finding_the_original_had_is_not_fixed_by_ruff(tmp_path: Path) -> None:
    repo = split_repo(tmp_path / "repo", {"pkg/big.py": ORIGINAL + LOOKUP}).apply()
    base = repo.root / "pkg/big/base.py"
    base.write_text("import json\n" + BASE + LOOKUP)  # json: an import the split left over
    result = finalize(
        repo.root, repo.changed, repo.deleted, options(repo.root, no_commit=True), CONFIG
    )
    text = base.read_text()
    assert "import json" not in text and result.ruff_fixed >= 1  # the split's own finding
    assert "    except TypeError as exc:\n" in text  # the user's code, as it was


def test_a_finding_the_original_had_is_not_fixed_for_a_new_one_of_its_code(tmp_path: Path) -> None:
    # ruff fixes by rule code: a new F841 elsewhere must not make it fix the user's F841
    repo = split_repo(tmp_path / "repo", {"pkg/big.py": ORIGINAL + LOOKUP}).apply()
    base = repo.root / "pkg/big/base.py"
    base.write_text(BASE + LOOKUP)
    extra = repo.root / "pkg/big/extra.py"
    extra.write_text(
        "def later(x):\n    try:\n        return int(x)\n    except ValueError as err:\n        return 0\n"
    )
    changed = [*repo.changed, extra]
    finalize(repo.root, changed, repo.deleted, options(repo.root, no_commit=True), CONFIG)
    assert "    except TypeError as exc:\n" in base.read_text()  # the user's code, as it was
    assert "except ValueError:" in extra.read_text()  # the split's own F841, fixed


def test_outside_git_the_projects_ruff_configuration_applies(tmp_path: Path) -> None:
    # the run is given the package folder; the configuration is in the project's folder
    (tmp_path / "pyproject.toml").write_text("[tool.ruff.lint]\nselect = ['I']\n")
    module = tmp_path / "src/pkg/big/base.py"
    module.parent.mkdir(parents=True)
    module.write_text("import sys\nimport os\n\nprint(os.sep, sys.path)\n")
    root = tmp_path / "src/pkg"
    finalize(root, [module], [], options(root, no_commit=True), CONFIG, originals={})
    assert module.read_text().startswith("import os\nimport sys\n")


def test_outside_git_ruff_leaves_what_the_original_had(tmp_path: Path) -> None:
    import sys

    filler = "".join(f"\n\ndef f{i}(x):\n    y = x + {i}\n    return y * 2\n" for i in range(110))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/__init__.py").write_text("")
    (tmp_path / "pkg/big.py").write_text('"""Lookups."""\n' + LOOKUP + filler)
    done = subprocess.run(
        [sys.executable, "-m", "modularize", "run", "--no-commit", "pkg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    texts = [p.read_text() for p in (tmp_path / "pkg/big").glob("*.py")]
    assert any("    except TypeError as exc:\n" in t for t in texts)
