"""What every file made from the original starts with: its license header and pragmas."""

from __future__ import annotations

import functools
import re

import libcst as cst

from modularize.agents.engine.context import SourceContext

# Comments on a line of their own that hold for the whole file, wherever they are written.
_FILE_PRAGMA = re.compile(r"^#\s*(ruff:\s*noqa|mypy:|pylint:\s*disable|flake8:\s*noqa)", re.I)


def file_header(ctx: SourceContext, shebang: bool = False) -> str:
    """The original's leading comments (license, ``# ruff: noqa``, a top ``# type: ignore``)
    and its file-level pragmas found further down: they hold for every module made from it.
    The shebang stays with ``__init__.py`` (``shebang``), the one file that could be run."""
    module = ctx.analysis.module
    lines = [
        line
        for line in cst.Module([], header=module.header).code.splitlines(keepends=True)
        if shebang or not line.startswith("#!")
    ]
    lines += [f"{c}\n" for c in file_pragmas(ctx.analysis.source) if f"{c}\n" not in lines]
    text = "".join(lines).lstrip("\n")
    return text if not text.strip() else text.rstrip("\n") + "\n"


@functools.lru_cache(maxsize=4)  # asked for every module written from one source
def file_pragmas(source: str) -> tuple[str, ...]:
    """File-level pragma comments of ``source`` (``# ruff: noqa: SLF001``, ``# mypy: ...``,
    ``# pylint: disable=...``, ``# flake8: noqa``), each once, in order."""
    found = [line.rstrip() for line in source.splitlines() if _FILE_PRAGMA.match(line)]
    return tuple(dict.fromkeys(found))
