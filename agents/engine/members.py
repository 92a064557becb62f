"""What each statement of a class body is, for the class split: its names, what it reads when
the class is created, what it calls and touches through ``self``, and why it must stay.

Pure: reads LibCST nodes only. ``classsplit.py`` decides, ``mixins.py`` groups.
"""

from __future__ import annotations

import dataclasses
import functools
import re

import libcst as cst

from modularize.agents.core.source import count_lines
from modularize.agents.engine.cstwalk import children, closed, nodes

_DUNDER = re.compile(r"^__\w+__$")


def is_mangled(name: str) -> bool:
    """``__x`` (not ``__x__``): Python rewrites it to ``_Class__x`` inside a class body."""
    return name.startswith("__") and not name.endswith("__")


@dataclasses.dataclass
class Member:
    """One statement of a class body."""

    index: int
    node: cst.BaseStatement
    lines: int
    binds: tuple[str, ...]  # names it binds in the class namespace
    deftime: frozenset[str]  # names read while the class body runs (decorators, defaults...)
    calls: frozenset[str] = frozenset()  # attribute names read through self/cls, bare names
    pinned: str = ""  # why it stays in the class ("" when it may move)
    # a method whose zero-argument ``super()`` can be written ``super(Class, <this param>)``
    super_param: str = ""

    @property
    def is_method(self) -> bool:
        """A ``def`` (possibly decorated)."""
        return isinstance(self.node, cst.FunctionDef)


class _Reads(cst.CSTVisitor):
    """Names and attributes read, zero-argument ``super()``/``__class__``, nested classes."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.attrs: set[str] = set()
        self.magic = ""  # "super()" or "__class__" when the code needs its class cell
        self.nested_class = False
        self.mangled = False
        self.class_dict = False  # reads some class's __dict__ or vars(...)
        self.locals = False  # calls locals(): the class namespace, in a class body
        self.attr_names: set[int] = set()  # the ``x`` of ``obj.x`` is no name read
        # names looked up through super(): ``super().x``, ``s = super(C, self); s.x``
        self.super_attrs: set[str] = set()
        self.super_vars: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)
        if node.value == "__class__" and id(node) not in self.attr_names:  # not self.__class__
            self.magic = "__class__"
        self.mangled = self.mangled or is_mangled(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attrs.add(node.attr.value)
        self.attr_names.add(id(node.attr))
        value = node.value
        if (isinstance(value, cst.Call) and _is_name(value.func, "super")) or (
            isinstance(value, cst.Name) and value.value in self.super_vars
        ):
            self.super_attrs.add(node.attr.value)
        if node.attr.value == "__dict__" and _is_class_like(value):
            self.class_dict = True

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if isinstance(value, cst.Call) and _is_name(value.func, "super"):
            self.super_vars.update(
                t.target.value for t in node.targets if isinstance(t.target, cst.Name)
            )

    def visit_Call(self, node: cst.Call) -> None:
        if _is_name(node.func, "super") and not node.args:
            self.magic = self.magic or "super()"
        if _is_name(node.func, "vars") and node.args and _is_class_like(node.args[0].value):
            self.class_dict = True
        if _is_name(node.func, "locals"):
            self.locals = True

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.nested_class = True


def _is_class_like(node: cst.CSTNode) -> bool:
    """``cls``, ``type(x)``, ``x.__class__`` or a capitalised name: a class, not an instance
    (``other.__dict__.update(self.__dict__)`` copies instance state, which a split keeps)."""
    if isinstance(node, cst.Name):
        return node.value in ("cls", "klass", "mcs", "metacls") or node.value[:1].isupper()
    if isinstance(node, cst.Attribute):
        return node.attr.value == "__class__"
    return isinstance(node, cst.Call) and _is_name(node.func, "type")


def _is_name(node: cst.CSTNode, value: str) -> bool:
    return isinstance(node, cst.Name) and node.value == value


@functools.lru_cache(maxsize=1024)  # the class split asks several times about each member
def reads(node: cst.CSTNode | None) -> _Reads:
    """What ``node`` (and everything below it) reads. Read-only: it is shared."""
    found = _Reads()
    if node is not None and not _read_fields(node, found):
        found = _Reads()
        node.visit(found)
    return found


def _read_fields(node: cst.CSTNode, found: _Reads) -> bool:
    """``_Reads`` without its visitor, in no particular order: False when the order matters
    (a variable holds ``super()``: its later ``s.x`` reads count as read through super())."""
    bare_class: list[cst.Name] = []
    super_call = False
    for child in nodes(node):  # types compared, not ``isinstance``: ``effects._Effects.read``
        if type(child) is cst.Name:
            found.names.add(child.value)
            found.mangled = found.mangled or is_mangled(child.value)
            if child.value == "__class__":
                bare_class.append(child)
        elif type(child) is cst.Attribute:
            found.attrs.add(child.attr.value)
            found.attr_names.add(id(child.attr))
            value = child.value
            if isinstance(value, cst.Call) and _is_name(value.func, "super"):
                found.super_attrs.add(child.attr.value)
            if child.attr.value == "__dict__" and _is_class_like(value):
                found.class_dict = True
        elif type(child) is cst.Assign:
            if isinstance(child.value, cst.Call) and _is_name(child.value.func, "super"):
                return False
        elif type(child) is cst.Call:
            super_call = super_call or (_is_name(child.func, "super") and not child.args)
            if _is_name(child.func, "vars") and child.args:
                found.class_dict = found.class_dict or _is_class_like(child.args[0].value)
            found.locals = found.locals or _is_name(child.func, "locals")
        elif type(child) is cst.ClassDef:
            found.nested_class = True
    if any(id(n) not in found.attr_names for n in bare_class):  # not ``self.__class__``
        found.magic = "__class__"
    elif super_call:
        found.magic = "super()"
    return True


def names_in(node: cst.CSTNode) -> set[str]:
    """Every name below ``node``, attribute names included: ``reads(node).names``, found
    without a visitor (the order of a walk matters to the rest of ``reads``, not to this)."""
    return {n.value for n in nodes(node) if isinstance(n, cst.Name)}


def _deftime_nodes(func: cst.FunctionDef) -> list[cst.CSTNode]:
    """Parts of a ``def`` evaluated when the class body runs."""
    parts: list[cst.CSTNode] = [d.decorator for d in func.decorators]
    params = func.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            every.append(extra)
    for param in every:
        if param.default is not None:
            parts.append(param.default)
        if param.annotation is not None:
            parts.append(param.annotation)
    if func.returns is not None:
        parts.append(func.returns)
    return parts


def _method_member(index: int, node: cst.FunctionDef, lines: int) -> Member:
    deftime: set[str] = set()
    for part in _deftime_nodes(node):
        deftime |= names_in(part)
    body = reads(node.body)
    calls = frozenset(body.attrs | body.names)
    member = Member(index, node, lines, (node.name.value,), frozenset(deftime), calls)
    member.pinned = _method_pin(node, body)
    if body.magic == "super()":
        member.super_param = _super_param(node)
    return member


def _super_param(node: cst.FunctionDef) -> str:
    """The parameter ``super()`` binds (``self``/``cls``), when every zero-argument call is
    in the method's own body and the method takes one ("" otherwise)."""
    params = [*node.params.posonly_params, *node.params.params]
    decorators = {cst.Module([]).code_for_node(d.decorator) for d in node.decorators}
    if not params or decorators & {"staticmethod", "builtins.staticmethod"}:
        return ""
    nested = _Reads()
    for child in _walk(node.body):
        if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            child.visit(nested)
    return "" if nested.magic else params[0].name.value


def _method_pin(node: cst.FunctionDef, body: _Reads) -> str:
    name = node.name.value
    if _DUNDER.match(name):
        return "dunder method"
    if body.magic:
        return f"uses zero-argument {body.magic}"
    if any("abstract" in cst.Module([]).code_for_node(d.decorator) for d in node.decorators):
        return "abstract method (ABCMeta reads the class namespace)"
    if body.nested_class and body.mangled:
        return "a nested class uses name-mangled `__names`"
    return ""


def class_members(module: cst.Module, cls: cst.ClassDef) -> list[Member]:
    """Every statement of the class body, described."""
    assert isinstance(cls.body, cst.IndentedBlock)
    members = []
    for index, stmt in enumerate(cls.body.body):
        lines = count_lines(module.code_for_node(stmt))
        if isinstance(stmt, cst.FunctionDef):
            members.append(_method_member(index, stmt, lines))
            continue
        found = reads(stmt)
        binds = tuple(sorted(statement_binds(stmt)))
        member = Member(index, stmt, lines, binds, frozenset(found.names), frozenset())
        member.pinned = "class attribute or statement"
        members.append(member)
    return members


def statement_binds(stmt: cst.BaseStatement) -> set[str]:
    """Names a statement binds in the namespace it runs in (not inside nested defs)."""
    names: set[str] = set()
    if isinstance(stmt, cst.ClassDef):
        return {stmt.name.value}
    for node in _walk(stmt):
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node is not stmt:
            names.add(node.name.value)
        elif isinstance(node, cst.AssignTarget):
            names |= _target_names(node.target)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
            names |= _target_names(node.target)
        elif isinstance(node, cst.For):
            names |= _target_names(node.target)
        elif isinstance(node, cst.ImportAlias):
            alias = node.asname.name if node.asname else node.name
            if isinstance(alias, cst.Name):
                names.add(alias.value)
            elif isinstance(alias, cst.Attribute):
                names.add(cst.Module([]).code_for_node(alias).split(".")[0])
    return names


def _target_names(target: cst.BaseExpression) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in _target_names(e.value)}
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def _walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    """``node`` and its descendants, not entering nested functions or classes (in no
    particular order)."""
    found = [node]
    for child in children(node):
        found.extend(nodes(child, _CLOSED))
    return found


_CLOSED = closed(cst.FunctionDef, cst.ClassDef, cst.Lambda)
