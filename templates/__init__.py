"""Templates shipped inside the wheel: generated headers, agent prompts, report layouts."""

from __future__ import annotations

import string
from importlib import resources


def load(name: str) -> str:
    """The text of ``templates/<name>`` (e.g. ``"prompts/task.md"``), from the installed package."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def render(name: str, **values: object) -> str:
    """``templates/<name>`` with ``$placeholders`` substituted (``string.Template`` syntax)."""
    return string.Template(load(name)).substitute(values)
