"""Templates shipped inside the wheel: generated headers, agent prompts, report layouts."""

from __future__ import annotations

import re
import string
import textwrap
from importlib import resources

COMMENT_WIDTH = 79  # generated comments stay within any line-length rule a project may have
_PRAGMA = re.compile(r"#\s*(isort|noqa|type|fmt|ruff|pragma|pylint|mypy)\b")


def load(name: str) -> str:
    """The text of ``templates/<name>`` (e.g. ``"prompts/task.md"``), from the installed package."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def render(name: str, **values: object) -> str:
    """``templates/<name>`` with ``$placeholders`` substituted (``string.Template`` syntax)."""
    return wrap_comments(string.Template(load(name)).substitute(values))


def wrap_comments(text: str, width: int = COMMENT_WIDTH) -> str:
    """Re-wrap each block of ``# ...`` lines that has a line over ``width`` (our text only)."""
    out: list[str] = []
    block: list[str] = []
    prefix = ""

    def flush() -> None:
        if block and any(len(prefix) + len(b) > width for b in block):
            out.extend(
                textwrap.wrap(
                    " ".join(block),
                    width,
                    initial_indent=prefix,
                    subsequent_indent=prefix,
                    break_on_hyphens=False,
                    break_long_words=False,
                )
            )
        else:
            out.extend(prefix + b for b in block)
        block.clear()

    for line in text.split("\n"):
        body = line.lstrip()
        here = line[: len(line) - len(body)] + "# "
        if _PRAGMA.match(body):  # a directive is never merged into prose
            flush()
            out.append(line)
            continue
        if body.startswith("# ") and (not block or here == prefix):
            prefix = here
            block.append(body[2:])
            continue
        flush()
        if body.startswith("# "):
            prefix = here
            block.append(body[2:])
        else:
            out.append(line)
    flush()
    return "\n".join(out)
