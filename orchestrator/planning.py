"""``modularize plan FILE``: the split plan of one file, as JSON a person can read and edit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from modularize.agents.core.errors import ExitCode, ModularizeError, UsageError

if TYPE_CHECKING:
    from modularize.agents.core.config import Config


def plan_command(file: Path, config: Config, output: Path | None) -> ExitCode:
    """Print (or write to ``output``) the plan for ``file``; a refusal is a one-line error."""
    import libcst

    from modularize.agents.apply import atomic_write_bytes
    from modularize.agents.core.discovery import module_name_for
    from modularize.agents.core.errors import SourceError
    from modularize.agents.core.source import read_source
    from modularize.agents.engine import Refusal
    from modularize.agents.libcst_agent import plan_for

    path = Path(file)
    if not path.is_file():
        raise UsageError(f"{file}: not a file")
    try:
        source = read_source(path)
    except SourceError as exc:
        raise UsageError(f"{file}: {exc}") from None
    module, _ = module_name_for(path)
    try:
        plan = plan_for(path.resolve(), module, source, config)
    except Refusal as exc:
        raise ModularizeError(f"{file}: cannot split: {exc.reason}", ExitCode.FINDINGS) from None
    except libcst.ParserSyntaxError as exc:
        raise UsageError(f"{file}: does not parse: line {exc.raw_line}: {exc.message}") from None
    text = plan.to_json()
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            atomic_write_bytes(Path(output), text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"{output}: cannot write it: {exc.strerror or exc}") from None
    return ExitCode.OK
