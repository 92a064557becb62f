"""Everything that talks to git: the only module importing GitPython, and the pre-commit runner.

Paths crossing this module's API are POSIX strings relative to the repository's top level,
because that is what git prints and what pathspecs mean.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import git

from modularize.agents.core.errors import ExitCode, ModularizeError

# Files git keeps in the git dir while an operation waits for the user, and its name.
_IN_PROGRESS = (
    ("rebase-merge", "rebase", "git rebase --continue / --abort"),
    ("rebase-apply", "rebase", "git rebase --continue / --abort (or git am)"),
    ("MERGE_HEAD", "merge", "git merge --continue / --abort"),
    ("CHERRY_PICK_HEAD", "cherry-pick", "git cherry-pick --continue / --abort"),
    ("REVERT_HEAD", "revert", "git revert --continue / --abort"),
    ("sequencer", "cherry-pick or revert", "git cherry-pick --continue / --abort"),
    ("BISECT_LOG", "bisect", "git bisect reset"),
    ("BISECT_START", "bisect", "git bisect reset"),
)
_ID_FILE = "modularize-id"  # the checkout's identity for shared run state, in its git dir
_HOOK_ID = re.compile(r"^- hook id: (\S+)$")
# pre-commit's status line for each hook: "name......Passed" / "Failed" / "Skipped".
_HOOK_STATUS = re.compile(r"^.*\.{3,}.*(Passed|Failed|Skipped)$")


@dataclasses.dataclass(frozen=True)
class HookRun:
    """One ``pre-commit run``: whether every hook passed, its output, the ids that failed."""

    ok: bool
    output: str
    failed: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()  # (hook id, that hook's own output)

    def detail(self, hook: str) -> str:
        """The output of one failed hook (the whole output when it cannot be told apart)."""
        return dict(self.details).get(hook, self.output)


class GitRepo:
    """A repository, seen through GitPython; every git command goes through ``_git``."""

    def __init__(self, repo: git.Repo) -> None:
        self._repo = repo
        self.top = Path(repo.working_tree_dir or ".").resolve()
        # A path is a path, never a glob: file names with "[" or "*" must not match others.
        repo.git.update_environment(GIT_LITERAL_PATHSPECS="1")

    @classmethod
    def find(cls, path: Path) -> GitRepo | None:
        """The repository containing ``path``, or None outside git (or in a bare repo)."""
        try:
            repo = git.Repo(path, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None
        return None if repo.bare else cls(repo)

    @property
    def git_dir(self) -> Path:
        """This checkout's own git dir (a worktree has its own, apart from the common one)."""
        return Path(self._repo.git_dir).resolve()

    def operation_in_progress(self) -> tuple[str, str] | None:
        """(name, how to end it) of a merge, rebase, cherry-pick, revert or bisect under way."""
        for marker, name, how in _IN_PROGRESS:
            if (self.git_dir / marker).exists():
                return name, how
        return None

    def identity_problem(self) -> str | None:
        """Why git could not make a commit here for want of a name or email, or None."""
        for var in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
            try:
                self._repo.git.var(var)
            except git.GitCommandError as exc:
                lines = (exc.stderr or "").replace("stderr: ", "").strip("'\n ").splitlines()
                why = next((ln.strip() for ln in reversed(lines) if ln.strip()), "unknown")
                return why.removeprefix("fatal: ")
        return None

    def checkout_id(self) -> str:
        """A random id made once per checkout and kept in its git dir: two clones (or two
        worktrees) never share it, processes on one checkout (even over NFS) always do."""
        path = self.git_dir / _ID_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            pass
        except OSError:
            return ""  # a git dir we may not write (another user's): the path alone must do
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(uuid.uuid4().hex + "\n")
        for _ in range(100):  # a process that just created it may not have written it yet
            try:
                text = path.read_text(encoding="ascii").strip()
            except (OSError, UnicodeDecodeError):
                return ""
            if text:
                return text
            time.sleep(0.01)
        raise ModularizeError(f"{path}: empty; delete it and run again")

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold this checkout's lock: processes of one checkout commit one at a time."""
        import fcntl

        with (self.git_dir / "modularize.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released by the kernel if we die
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def close(self) -> None:
        """Stop the helper git processes GitPython keeps running for this repository."""
        self._repo.close()

    def relpath(self, path: Path) -> str:
        """``path`` (absolute, or relative to the current directory) relative to the top level."""
        return Path(os.path.abspath(path)).resolve().relative_to(self.top).as_posix()

    def _git(self, command: str, *args: str) -> str:
        try:
            output: str = getattr(self._repo.git, command.replace("-", "_"))(*args)
            return output
        except git.GitCommandError as exc:
            detail = (exc.stderr or exc.stdout or "").strip().removeprefix("stderr: ").strip("'\n ")
            raise ModularizeError(f"git {command} failed: {detail}", ExitCode.FINDINGS) from None

    def changed_paths(self, paths: Sequence[str]) -> list[str]:
        """Those of ``paths`` git would report: modified, staged, deleted, untracked or ignored."""
        if not paths:
            return []
        out = self._git(
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignored=matching",
            "--",
            *paths,
        )
        entries = out.split("\0")
        found: set[str] = set()
        index = 0
        while index < len(entries):
            entry = entries[index]
            index += 1
            if len(entry) < 4:
                continue
            found.add(entry[3:])
            if entry[0] in "RC":  # a rename or copy is followed by its source path
                found.add(entries[index])
                index += 1
        return [p for p in paths if p in found]

    def head_sha(self) -> str | None:
        """The commit HEAD points to, or None on an unborn branch."""
        return self._repo.head.commit.hexsha if self._repo.head.is_valid() else None

    def head_text(self, relpath: str) -> str | None:
        """The text of ``relpath`` as committed at HEAD, or None when it is not there."""
        if not self._repo.head.is_valid():
            return None
        try:
            blob = self._repo.head.commit.tree / relpath
        except KeyError:
            return None
        data: bytes = blob.data_stream.read()
        return data.decode("utf-8", errors="replace")

    def known(self, paths: Sequence[str], *, in_head: bool = True) -> set[str]:
        """Those of ``paths`` that are in the index (or, with ``in_head``, in HEAD's tree)."""
        if not paths:
            return set()
        found = set(self._git("ls-files", "-z", "--", *paths).split("\0"))
        if in_head and self._repo.head.is_valid():
            found.update(
                self._git("ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *paths).split("\0")
            )
        return found & set(paths)

    def _present(self, paths: Sequence[str], *, in_head: bool) -> list[str]:
        """``paths`` a pathspec may name: on disk, or known to git (a deletion)."""
        known = self.known(paths, in_head=in_head)
        return [p for p in paths if p in known or os.path.lexists(self.top / p)]

    def current_branch(self) -> str | None:
        """The checked-out branch, or None when HEAD is detached."""
        return None if self._repo.head.is_detached else self._repo.active_branch.name

    def branch_clash(self, name: str) -> str | None:
        """An existing branch that ``name`` cannot live beside, or None.

        Branch names are paths: ``a/b`` cannot be created while ``a`` or ``a/b/c`` exists.
        """
        for head in self._repo.heads:
            other = head.name
            if other == name or other.startswith(name + "/") or name.startswith(other + "/"):
                return other
        return None

    def valid_branch_name(self, name: str) -> bool:
        """Whether git accepts ``name`` as a branch name."""
        try:
            self._repo.git.check_ref_format("--branch", name)
        except git.GitCommandError:
            return False
        return True

    def switch_to_new_branch(self, name: str) -> None:
        """Create ``name`` at HEAD and check it out, leaving index and working tree untouched."""
        # Moving HEAD to a branch at the same commit is all "git switch -c" does here; writing
        # the symbolic ref directly also works on an unborn branch.
        if self._repo.head.is_valid():
            self._git("branch", name, "HEAD")
        self._git("symbolic-ref", "HEAD", f"refs/heads/{name}")

    def stage(self, paths: Sequence[str]) -> None:
        """Put the working-tree state of ``paths`` (new, changed or deleted) in the index."""
        # git add matches the index and the disk only: a deletion staged already is done.
        present = self._present(paths, in_head=False)
        if present:
            # -f: these are files the run wrote; an ignore rule must not drop half a package.
            self._git("add", "-A", "-f", "--", *present)

    def staged_differs(self, paths: Sequence[str]) -> bool:
        """Whether the index holds anything for ``paths`` that HEAD does not."""
        if not self._repo.head.is_valid():
            return bool(self.known(paths))
        return bool(self._git("diff", "--cached", "--name-only", "HEAD", "--", *paths).strip())

    def commit_only(self, paths: Sequence[str], message: str, *, no_verify: bool) -> str:
        """Commit exactly ``paths`` (``git commit --only``): other staged work stays staged."""
        args = ["--only", "--quiet", "-m", message]
        if no_verify:
            args.append("--no-verify")
        self._git("commit", *args, "--", *self._present(paths, in_head=True))
        return self._repo.head.commit.hexsha

    def parent_sha(self) -> str | None:
        """The first parent of HEAD, if any."""
        parents = self._repo.head.commit.parents if self._repo.head.is_valid() else ()
        return parents[0].hexsha if parents else None


def pre_commit_command() -> list[str] | None:
    """How to start pre-commit: from PATH, else as a module of this interpreter, else None."""
    found = shutil.which("pre-commit")
    if found:
        return [found]
    if importlib.util.find_spec("pre_commit") is not None:
        return [sys.executable, "-m", "pre_commit"]
    return None


def run_pre_commit(command: Sequence[str], top: Path, files: Sequence[str]) -> HookRun:
    """Run the repository's hooks on ``files`` (relative to ``top``); never raises."""
    existing = [f for f in files if os.path.lexists(top / f)]
    if not existing:
        return HookRun(ok=True, output="")
    argv = [*command, "run", "--color", "never", "--files", *existing]
    try:
        proc = subprocess.run(argv, cwd=top, capture_output=True, text=True, check=False)
    except OSError as exc:
        return HookRun(ok=False, output=f"cannot start pre-commit: {exc}", failed=("pre-commit",))
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode == 0:
        return HookRun(ok=True, output=output)
    details = failed_hooks(output)
    failed = tuple(hook for hook, _ in details) or ("pre-commit",)
    return HookRun(ok=False, output=output, failed=failed, details=details)


def failed_hooks(output: str) -> tuple[tuple[str, str], ...]:
    """(hook id, its output) for each hook pre-commit reported as Failed."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        status = _HOOK_STATUS.match(line)
        if status:
            current = [] if status.group(1) == "Failed" else None
            continue
        hook = _HOOK_ID.match(line)
        if current is not None and hook and not current:
            found[hook.group(1)] = current
        elif current is not None and not line.startswith("- hook id: "):
            current.append(line)
    return tuple((hook, "\n".join(lines).strip()) for hook, lines in found.items())
