"""The one exception type meant for users, and the one place that maps outcomes to exit codes."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # files over the limit (--check), or files that failed
    USAGE = 2  # bad flags, bad paths, bad configuration
    INTERNAL = 3  # a crash: a bug of ours; the message says where the details are
    INTERRUPTED = 130


class ModularizeError(Exception):
    """An expected failure, carrying one sentence for the user (no traceback is shown).

    The message should name the file and the problem, e.g. ``pyproject.toml: unknown key 'treshold'``.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(ModularizeError):
    """The user asked for something that cannot be done as asked."""


class SourceError(Exception):
    """A file that cannot be read as Python source; the message names the problem."""


def exit_code_for(*, failed: int = 0, findings: int = 0, interrupted: bool = False) -> ExitCode:
    """The exit code of a finished command: interrupted 130; failures and findings both mean 1."""
    if interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.FINDINGS if failed or findings else ExitCode.OK
