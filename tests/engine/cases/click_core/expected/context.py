"""Context: the state of one command invocation."""

from __future__ import annotations

import typing as t

from .base import DEFAULT_WIDTH, ParameterSource
from .command_strategies import Command
from .current import push_context
from .parameters import augment_usage_errors


class Context:
    """The state of one command invocation.

    >>> Context(Command("hi")).info_name
    'hi'
    """

    def __init__(self, command: Command, parent: Context | None = None) -> None:
        self.command = command
        self.parent = parent
        self.info_name = command.name
        self.params: dict[str, t.Any] = {}
        self.terminal_width = DEFAULT_WIDTH
        self._sources: dict[str, ParameterSource] = {}

    def __enter__(self) -> Context:
        push_context(self)
        return self

    def __exit__(self, *exc: object) -> None:
        push_context(self.parent)  # type: ignore[arg-type]

    def get_parameter_source(self, name: str) -> ParameterSource | None:
        return self._sources.get(name)

    def invoke(self, callback: t.Callable[..., t.Any], **kwargs: t.Any) -> t.Any:
        with augment_usage_errors(self):
            with self:
                return callback(**kwargs)
