"""The only edits made to moved statements, each keeping behaviour exact:

- relative imports gain one level (``from .x import y`` -> ``from ..x import y``), because the
  code now lives one package deeper (package-init splits keep their depth);
- ``__name__`` reads become ``__package__``: in ``pkg/big/part.py`` (or ``pkg/part.py`` for a
  package-init split) ``__package__`` is exactly the old ``__name__`` (logger names, f-strings,
  registries keyed by module name); with ``keep_logger_names`` off, ``getLogger(__name__)`` is
  left alone so loggers take the new module names;
- ``__file__`` reads become a module constant holding the original file's path, so
  ``__file__``-relative paths keep pointing at the same files.
"""

from __future__ import annotations

import functools

import libcst as cst

from modularize.agents.engine.cstwalk import nodes

ORIGINAL_FILE = "_modularized_from"


class _Rewriter(cst.CSTTransformer):
    def __init__(self, shift: int, keep_logger_names: bool, file_name: str) -> None:
        self.shift = shift
        self.keep_logger_names = keep_logger_names
        self.file_name = file_name
        self._skip: set[int] = set()
        self.rename_name = True

    def _skip_names(self, *nodes: cst.CSTNode | None) -> None:
        for node in nodes:
            if isinstance(node, cst.Name):
                self._skip.add(id(node))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._skip_names(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        self._skip_names(node.keyword)

    def visit_Param(self, node: cst.Param) -> None:
        self._skip_names(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._skip_names(node.name)  # ``def __name__(self)`` is a method, not the global

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._skip_names(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self._skip_names(node.name, node.asname.name if node.asname else None)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._skip_names(node.target)

    def visit_Call(self, node: cst.Call) -> None:
        if self.keep_logger_names:
            return
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if name == "getLogger" and node.args:
            self._skip_names(node.args[0].value)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if id(original_node) in self._skip:
            return updated_node
        if updated_node.value == "__name__" and self.rename_name:
            return updated_node.with_changes(value="__package__")
        if updated_node.value == "__file__" and self.file_name:
            return updated_node.with_changes(value=self.file_name)
        return updated_node

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        if not updated_node.relative or not self.shift:
            return updated_node
        dots = list(updated_node.relative) + [cst.Dot() for _ in range(self.shift)]
        return updated_node.with_changes(relative=dots)


def rewrite_statement(
    code: str,
    *,
    shift: int,
    keep_logger_names: bool,
    rename_file: bool,
    rename_name: bool = True,
    node: cst.CSTNode | None = None,
) -> str:
    """The statement ``code`` with the edits above applied (unchanged when none apply).
    ``node``: the statement's tree, when the caller has it: it tells cheaply when no edit
    applies (``__name__`` read only as an attribute, ``cls.__name__``)."""
    if not (
        ("__name__" in code and rename_name)
        or ("__file__" in code and rename_file)
        or (shift and "from ." in code)
        or (shift and "from\t." in code)
    ):
        return code
    flags = (shift, keep_logger_names, rename_file, rename_name)
    if node is not None and not _edited(node, *flags):
        return code
    return _rewritten(code, *flags)


# the planner writes every module again for each packing it measures: rewrite each statement once
@functools.lru_cache(maxsize=4096)
def _rewritten(
    code: str, shift: int, keep_logger_names: bool, rename_file: bool, rename_name: bool
) -> str:
    module = cst.parse_module(code)
    rewriter = _Rewriter(shift, keep_logger_names, ORIGINAL_FILE if rename_file else "")
    rewriter.rename_name = rename_name
    return module.visit(rewriter).code


@functools.lru_cache(maxsize=4096)
def _edited(
    node: cst.CSTNode, shift: int, keep_logger_names: bool, rename_file: bool, rename_name: bool
) -> bool:
    """Whether ``_Rewriter`` would change anything in ``node``: the names it skips are those
    its ``visit_`` methods list (the order of the walk does not matter to them)."""
    names: list[cst.Name] = []
    skip: set[int] = set()
    for child in nodes(node):
        if isinstance(child, cst.ImportFrom) and child.relative and shift:
            return True
        if isinstance(child, cst.Name):
            names.append(child)
        for skipped in _skipped(child, keep_logger_names):
            if isinstance(skipped, cst.Name):
                skip.add(id(skipped))
    wanted = {"__name__"} if rename_name else set()
    wanted |= {"__file__"} if rename_file else set()
    return any(n.value in wanted and id(n) not in skip for n in names)


def _skipped(node: cst.CSTNode, keep_logger_names: bool) -> tuple[cst.CSTNode | None, ...]:
    """The names ``_Rewriter`` leaves alone below ``node`` (see its ``visit_`` methods); types
    compared, not ``isinstance``-checked, as in ``effects._Effects.read``."""
    if type(node) is cst.Attribute:
        return (node.attr,)
    if type(node) is cst.Arg:
        return (node.keyword,)
    if type(node) is cst.Param or type(node) is cst.FunctionDef or type(node) is cst.ClassDef:
        return (node.name,)
    if type(node) is cst.ImportAlias:
        return (node.name, node.asname.name if node.asname else None)
    if type(node) is cst.AssignTarget:
        return (node.target,)
    if type(node) is cst.Call and not keep_logger_names:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
        if name == "getLogger" and node.args:
            return (node.args[0].value,)
    return ()


def original_file_expr(submodule: str, is_package_init: bool) -> str:
    """An exact expression, in ``submodule``, for the path of the file that was split."""
    if is_package_init:
        return f"__file__[: -len({submodule + '.py'!r})] + '__init__.py'"
    return f"__file__[: -len({'/' + submodule + '.py'!r})] + '.py'"
