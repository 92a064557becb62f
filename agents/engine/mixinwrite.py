"""Write a class split (pure): the mixin classes and the class that now inherits from them.

Moved statements are the original LibCST nodes, so comments and docstrings stay byte for
byte; only name-mangled ``__x`` identifiers are written as Python read them, ``_Class__x``.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

from modularize.agents.engine import cstwalk
from modularize.agents.engine.members import Member, is_mangled
from modularize.agents.engine.mixins import Atom, camel, concern


@dataclasses.dataclass(frozen=True)
class MixinPlan:
    """One generated mixin: its name, the methods it holds and its size."""

    name: str
    methods: tuple[str, ...]
    lines: int


def rewrite_class(
    cls: cst.ClassDef,
    groups: list[list[Atom]],
    members: list[Member],
    taken: set[str],
    *,
    bound_once: bool = False,
) -> tuple[tuple[MixinPlan, ...], list[cst.BaseStatement]]:
    """The mixins for ``groups`` (names unique in ``taken``) and the nodes replacing ``cls``:
    each mixin, then the class inheriting from them first. ``bound_once``: the module binds
    the class name once, so moved ``super(Class, x)`` calls may name the mixin instead."""
    name = cls.name.value
    assert isinstance(cls.body, cst.IndentedBlock)
    slots = any("__slots__" in m.binds for m in members)
    mangle = _Mangler(name)
    nodes: list[cst.BaseStatement] = []
    plans = []
    moved: set[int] = set()
    for group in sorted(groups, key=lambda g: min(a.first for a in g)):
        mixin = _mixin_name(name, group, taken)
        stmts = sorted((m for a in group for m in a.members), key=lambda m: m.index)
        moved.update(m.index for m in stmts)
        methods = tuple(dict.fromkeys(mangle.name(n) for a in group for n in a.names))
        body = [_with_super(m, mixin, name if bound_once else "") for m in stmts]
        nodes.append(_mixin_node(cls, mixin, _prefix(group), methods, body, slots, mangle))
        plans.append(MixinPlan(mixin, methods, sum(m.lines for m in stmts)))
    kept = [m.node for m in members if m.index not in moved]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    bases = [cst.Arg(cst.Name(p.name), comma=comma) for p in plans]
    new_bases = [*bases, *cls.bases]
    last = new_bases[-1]
    if not cls.keywords and isinstance(last.comma, cst.Comma) and last in bases:
        new_bases[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    new_cls = cls.with_changes(
        bases=new_bases,
        lpar=cls.lpar if isinstance(cls.lpar, cst.LeftParen) else cst.LeftParen(),
        rpar=cls.rpar if isinstance(cls.rpar, cst.RightParen) else cst.RightParen(),
        body=cls.body.with_changes(body=kept),
    )
    nodes.append(_wrapped_header(new_cls))
    return tuple(plans), nodes


def _wrapped_header(cls: cst.ClassDef, limit: int = 88) -> cst.ClassDef:
    """One base a line, as formatters write it, when the class line would be over ``limit``
    columns (``class Context(_ContextScope, _ContextBuilders, ...):``)."""
    header = cst.Module([]).code_for_node(cls.with_changes(body=cst.SimpleStatementSuite([])))
    line = next(x for x in header.splitlines() if x.lstrip().startswith("class "))
    if len(line) <= limit or not isinstance(cls.lpar, cst.LeftParen):
        return cls
    if isinstance(cls.lpar.whitespace_after, cst.ParenthesizedWhitespace):
        return cls  # the author already wrote it on several lines

    def newline(indent: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(), indent=True, last_line=cst.SimpleWhitespace(indent)
        )

    args = [*cls.bases, *cls.keywords]
    comma = [cst.Comma(whitespace_after=newline("    "))] * (len(args) - 1)
    comma.append(cst.Comma(whitespace_after=newline("")))
    args = [a.with_changes(comma=c) for a, c in zip(args, comma, strict=True)]
    return cls.with_changes(
        lpar=cst.LeftParen(whitespace_after=newline("    ")),
        bases=args[: len(cls.bases)],
        keywords=args[len(cls.bases) :],
        rpar=cst.RightParen(),
    )


def _docstring(cls: str, prefix: str, methods: tuple[str, ...], indent: int) -> str:
    """``The ``visit_*`` methods of :class:`Big`.`` or the first methods' names, as many as
    fit on one 88-column line."""
    if prefix:
        return f'"""The ``{prefix}_*`` methods of :class:`{cls}`."""'
    for shown in range(min(3, len(methods)), 0, -1):
        names = [f"``{m}``" for m in methods[:shown]]
        rest = len(methods) - shown
        listed = f"{', '.join(names)} and {rest} more" if rest else " and ".join(names)
        plural = "s" if len(methods) > 1 else ""
        text = f'"""The {listed} method{plural} of :class:`{cls}`."""'
        if indent + len(text) <= 88:
            return text
    return f'"""Methods of :class:`{cls}` moved out of its body."""'


def _mixin_node(
    cls: cst.ClassDef,
    mixin: str,
    group_prefix: str,
    methods: tuple[str, ...],
    stmts: list[cst.CSTNode],
    slots: bool,
    mangle: _Mangler,
) -> cst.ClassDef:
    assert isinstance(cls.body, cst.IndentedBlock)
    doc = _docstring(cls.name.value, group_prefix, methods, len(cls.body.indent or "    "))
    head: list[cst.BaseStatement] = [cst.SimpleStatementLine([cst.Expr(cst.SimpleString(doc))])]
    if slots:  # so that instances of the class still have no __dict__
        head.append(cst.parse_statement("__slots__ = ()\n"))
    body = [m.visit(mangle) if mangle.applies(m) else m for m in stmts]
    return cst.ClassDef(
        name=cst.Name(mixin),
        body=cst.IndentedBlock(body=[*head, *body], indent=cls.body.indent),  # type: ignore[list-item]
        leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
    )


def _prefix(group: list[Atom]) -> str:
    """The prefix every method of the group shares, with its leading underscore ("" if none)."""
    prefixes = {a.prefix for a in group}
    if len(prefixes) != 1 or not group[0].prefix:
        return ""
    under = {a.names[0][: len(a.names[0]) - len(a.names[0].lstrip("_"))] for a in group}
    return f"{under.pop()}{group[0].prefix}" if len(under) == 1 else ""


def _with_super(member: Member, mixin: str, cls: str) -> cst.CSTNode:
    """A moved method's zero-argument ``super()`` written ``super(Mixin, self)`` (the bare
    form needs the class cell), and ``super(Class, x)`` written ``super(Mixin, x)`` when
    ``cls`` is given (the class name is bound once). The mixins follow the class in every
    MRO and define nothing reached through super() (``classsplit._settle_super`` keeps that
    in the class), so the lookup finds what it found from the class; naming the class
    would make the mixin's module import the class's module, which imports the mixin."""
    return super_to_mixin(member.node, mixin, cls, member.super_param)


def super_to_mixin(node: cst.CSTNode, mixin: str, cls: str, param: str) -> cst.CSTNode:
    """``node`` with its ``super()`` calls retargeted at ``mixin`` (see ``_with_super``):
    the bare ones when ``param`` names the method's first parameter, ``super(cls, x)``
    when ``cls`` is not empty."""
    if (not param and not cls) or not _calls_super(node):
        return node
    rewritten = node.visit(_SuperArgs(mixin, cls, param))
    assert isinstance(rewritten, cst.CSTNode), "a method is rewritten, never removed"
    return rewritten


def _calls_super(node: cst.CSTNode) -> bool:
    """Whether ``node`` calls ``super`` by name: else ``_SuperArgs`` would change nothing."""
    return any(
        isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == "super"
        for n in cstwalk.nodes(node)
    )


class _SuperArgs(cst.CSTTransformer):
    def __init__(self, mixin: str, cls: str, param: str) -> None:
        self.mixin, self.cls, self.param = mixin, cls, param

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func, args = updated_node.func, updated_node.args
        if not (isinstance(func, cst.Name) and func.value == "super"):
            return updated_node
        if not args and self.param:
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            return updated_node.with_changes(
                args=[cst.Arg(cst.Name(self.mixin), comma=comma), cst.Arg(cst.Name(self.param))]
            )
        first = args[0].value if len(args) == 2 and not args[0].keyword else None
        if self.cls and isinstance(first, cst.Name) and first.value == self.cls:
            return updated_node.with_changes(
                args=[args[0].with_changes(value=cst.Name(self.mixin)), args[1]]
            )
        return updated_node


class _Mangler(cst.CSTTransformer):
    """Write ``__x`` as ``_Class__x``: what Python made of it inside the original class."""

    def __init__(self, cls: str) -> None:
        self.prefix = f"_{cls.lstrip('_')}" if cls.strip("_") else ""

    def name(self, value: str) -> str:
        """The mangled form of ``value`` (unchanged when Python would not mangle it)."""
        return f"{self.prefix}{value}" if self.prefix and is_mangled(value) else value

    def applies(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` holds a name to mangle (else visiting it would change nothing)."""
        return any(
            isinstance(n, cst.Name) and self.name(n.value) != n.value for n in cstwalk.nodes(node)
        )

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.name(updated_node.value))


def _mixin_name(cls: str, group: list[Atom], taken: set[str]) -> str:
    """``_BigVisitors``; when taken (a long prefix group cut in parts), named after the
    part's largest method too: ``_BigTemplateVisitors``."""
    stem = f"_{cls.lstrip('_')}{concern(group)}"
    if stem not in taken:
        taken.add(stem)
        return stem
    biggest = max(group, key=lambda a: (a.lines, -a.first)).names[0]
    topic = camel(biggest.lstrip("_").partition("_")[2] or biggest)
    return _unique(f"_{cls.lstrip('_')}{topic}{concern(group)}", taken)


def _unique(stem: str, taken: set[str]) -> str:
    candidate, n = stem, 2
    while candidate in taken:
        candidate = f"{stem}{n}"
        n += 1
    taken.add(candidate)
    return candidate
