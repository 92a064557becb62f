# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Classes for files and paths: Path, BoolParamType and BOOL."""

from __future__ import annotations

import os
import stat
import typing as t
from gettext import gettext as _

from .base import ParamType

if t.TYPE_CHECKING:
    from ..core import Context, Parameter


class BoolParamType(ParamType):
    name = "boolean"
    # TODO: accept "on"/"off" once the docs say so
    truthy = frozenset({"1", "true", "t", "yes", "y"})

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        return str(value).strip().lower() in self.truthy


# --- paths ------------------------------------------------------------------


class Path(ParamType):
    """A filesystem path; ``exists`` checks that it is there."""

    name = "path"
    envvar_list_splitter = os.path.pathsep

    def __init__(self, exists: bool = False) -> None:
        self.exists = exists

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if self.exists and not os.path.exists(value):
            self.fail(_("{path!r} does not exist.").format(path=value), param)
        return os.fspath(value)

    def is_executable(self, value: str) -> bool:
        return bool(os.stat(value).st_mode & stat.S_IXUSR)


BOOL = BoolParamType()
