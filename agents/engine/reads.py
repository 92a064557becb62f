"""Which module-level names each top-level statement reads, from the stdlib ``ast`` (pure).

One walk over the module's ``ast`` binds names in their scopes (scopes.py) and notes every read
with what decides its edge: the scope it is in, whether it is in an annotation, called where it
appears, or inside a string annotation (parsed like LibCST does: in annotations, and in
``typing`` subscripts, ``TypeVar``/``NewType`` bounds and ``cast`` types). The reads are
resolved once the whole module is bound (a function body sees names bound after it). The walk
visits nodes in the order LibCST's ScopeProvider did, since bindings are ordered.
The same walk feeds the checks of names that cannot be tracked (namechecks.py).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from modularize.agents.engine import scopes
from modularize.agents.engine.astnames import arguments, dotted_prefixes, full_name, parameters
from modularize.agents.engine.namechecks import Checks
from modularize.agents.engine.scopes import Import, Read, Scope

_TYPE_CALLS = ("typing.NewType", "typing.TypeVar")
_LITERALS = ("typing.Literal", "typing_extensions.Literal")


class Walk:
    """Bind and collect the reads of a module, statement by statement."""

    def __init__(self, checks: Checks) -> None:
        self.module = scopes.new_module_scope()
        self.scope = self.module
        self.reads: list[Read] = []
        self.checks = checks
        self.stmt = 0
        self._attrs: list[ast.Attribute | None] = [None]  # one frame per call
        self._annotation = [False]
        self._hint = [False]
        self._literal = 0  # inside ``Literal[...]``: its strings are values, not annotations
        self._string: ast.Constant | None = None  # the string annotation being read
        self._silent = 0  # parts LibCST's scope walk skipped (a TypeVar's name argument)

    def statement(self, index: int, node: ast.stmt) -> None:
        """Walk one top-level statement (the index of the LibCST statement it belongs to)."""
        self.stmt = index
        self.checks.stmt = index
        self.visit(node)

    def visit(self, node: ast.AST) -> None:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            for child in ast.iter_child_nodes(node):
                self.visit(child)
        else:
            method(node)

    def _checked_scope(self) -> Scope | None:
        return None if self._silent else self.scope

    def _all(self, nodes: Sequence[ast.AST]) -> None:
        for node in nodes:
            self.visit(node)

    def _read(self, name: str, node: ast.AST | None) -> None:
        if self._silent:
            return
        called = node is not None and id(node) in self.checks.called
        self.reads.append(
            Read(
                self.stmt,
                self.scope,
                name,
                self.scope.count,
                node,
                self._attrs[-1],
                self._string,
                self._annotation[-1],
                called,
            )
        )

    def _bind(self, name: str, source: Import | None = None) -> None:
        if not self._silent:
            self.scope.bind(name, source)

    def _done(self) -> None:
        """A binding statement or clause ends: what it bound is visible from here on."""
        self.scope.count += 1

    def _annotated(self, node: ast.expr | None) -> None:
        if node is not None:
            self._annotation.append(True)
            self.visit(node)
            self._annotation.pop()

    # names
    def visit_Name(self, node: ast.Name) -> None:
        self.checks.name(node, self._checked_scope())
        if self._string is None and isinstance(node.ctx, ast.Store):
            self._bind(node.id)
        else:
            self._read(node.id, node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.checks.attribute(node)
        top = self._attrs[-1] is None
        if top:
            self._attrs[-1] = node
        self.visit(node.value)
        if top:
            self._attrs[-1] = None

    def visit_Call(self, node: ast.Call) -> None:
        self.checks.call(node, self._checked_scope())
        for keyword in node.keywords:  # their values are walked as arguments below
            if keyword.arg is not None:
                self.checks.identifier(keyword.arg)
        self._attrs.append(None)
        self._hint.append(False)
        args = arguments(node)
        names = self._qualified(node.func) if not self._silent else set()
        self.visit(node.func)
        if any(n in names for n in _TYPE_CALLS):
            self._silent += 1  # LibCST's walk never looks at the name argument
            self._all(args[:1])
            self._silent -= 1
            self._hint[-1] = True
            self._all(args[1:])
        elif "typing.cast" in names and args:
            self._hint.append(True)
            self.visit(args[0])
            self._hint.pop()
            self._all(args[1:])
        else:
            self._all(args)
        self._attrs.pop()
        self._hint.pop()

    def _qualified(self, node: ast.expr) -> set[str]:
        name = full_name(node)
        return scopes.qualified_names(self.scope, name) if name is not None else set()

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.checks.subscript(node)
        names = set()
        if isinstance(node.value, ast.Name) and not self._silent:
            names = scopes.qualified_names(self.scope, node.value.id)
        literal = any(n in _LITERALS for n in names)
        self._literal += literal
        self._hint.append(any(n.startswith(("typing.", "typing_extensions.")) for n in names))
        self.visit(node.value)
        self.visit(node.slice)
        self._hint.pop()
        self._literal -= literal

    def visit_Constant(self, node: ast.Constant) -> None:
        text = node.value
        if text is None or isinstance(text, bool):
            if self._string is not None:  # a string annotation naming only ``None`` names it
                self._read(repr(text), None)
            return
        if not isinstance(text, str) or not text or self._literal or self._silent:
            return
        if not (self._hint[-1] or self._annotation[-1]):
            return
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            return  # an unparsable annotation names nothing, as in CPython
        outer = self._string is None
        if outer:
            self._string = node
            self.checks.off += 1  # the checks look at the code, not into strings
        self._all(tree.body)
        if outer:
            self._string = None
            self.checks.off -= 1

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for value in node.values:  # the literal parts are text, never annotations
            if isinstance(value, ast.FormattedValue):
                self.visit(value.value)
                if value.format_spec is not None:
                    self.visit(value.format_spec)

    # scopes
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        hook = self.checks.function(node, self._checked_scope())
        self.checks.hooks += hook
        self._bind(node.name)
        self._scoped(node.name, node.args, node.body)
        for decorator in node.decorator_list:
            self.checks.decorator(decorator)
            self.visit(decorator)
        self._annotated(node.returns)
        self.checks.hooks -= hook
        self._done()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._scoped(None, node.args, [node.body])

    def _scoped(
        self, name: str | None, args: ast.arguments, body: list[ast.stmt] | list[ast.expr]
    ) -> None:
        outer = self.scope
        inner = Scope(scopes.FUNCTION, outer, name)
        self.scope = inner
        for param, default in parameters(args):
            self.checks.identifier(param.arg)
            self._bind(param.arg)
            self.scope = outer  # defaults and annotations are evaluated outside
            if default is not None:
                self.visit(default)
            self._annotated(param.annotation)
            self.scope = inner
        self._done()  # the parameters
        self._all(body)
        self.scope = outer

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.checks.definition(node.name, node, self._checked_scope())
        self._bind(node.name)
        for decorator in node.decorator_list:
            self.checks.decorator(decorator)
            self.visit(decorator)
        self._all(node.bases)
        self._all(node.keywords)
        outer = self.scope
        self.scope = Scope(scopes.CLASS, outer, node.name)
        self._all(node.body)
        self.scope = outer
        self._done()

    def _comprehension(self, node: ast.expr, generators: list[ast.comprehension]) -> None:
        first = generators[0]
        self.visit(first.iter)  # the first iterable is evaluated outside
        outer = self.scope
        self.scope = Scope(scopes.COMPREHENSION, outer)
        self.visit(first.target)
        self._done()
        self._all(first.ifs)
        self._inner_for(generators, 1)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            assert isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp))
            self.visit(node.elt)
        self.scope = outer

    def _inner_for(self, generators: list[ast.comprehension], at: int) -> None:
        if at < len(generators):
            clause = generators[at]
            self.visit(clause.target)
            self.visit(clause.iter)
            self._all(clause.ifs)
            self._inner_for(generators, at + 1)
            self._done()

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, node.generators)

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp

    # statements and clauses that bind
    def visit_Assign(self, node: ast.Assign) -> None:
        self.checks.assign(node.targets)
        self._all(node.targets)
        self.visit(node.value)
        self._done()

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.checks.augassign(node)
        self.visit(node.target)
        self.visit(node.value)
        self._done()

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.target)
        self._annotated(node.annotation)
        if node.value is not None:
            self.visit(node.value)
        self._done()

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.target)
        self.visit(node.value)
        self._done()

    def visit_Delete(self, node: ast.Delete) -> None:
        self.checks.assign(node.targets)
        self._all(node.targets)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.target)
        self._done()
        self.visit(node.iter)
        self._all(node.body)
        self._all(node.orelse)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self.visit(item.optional_vars)
                self._done()  # the ``as`` clause
            self._done()  # the item
        self._all(node.body)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name is not None:
            self.checks.identifier(node.name)
            self._bind(node.name)
            self._done()
        self._all(node.body)

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        module = ""
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            self.checks.identifier((node.module or "").partition(".")[0])
        source = Import(module, tuple((a.name, a.asname) for a in node.names))
        for alias in node.names:
            self.checks.alias(alias)
            if alias.name == "*":
                continue
            for name in dotted_prefixes(alias.asname or alias.name):
                self._bind(name, source)
        self._done()

    visit_ImportFrom = visit_Import

    def visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        self.checks.declaration(node)
        for name in node.names:
            if self.scope.kind != scopes.GLOBAL:
                is_global = isinstance(node, ast.Global)
                self.scope.overwrites[name] = self.module if is_global else self.scope.parent
        self._done()

    visit_Nonlocal = visit_Global

    # expressions whose parts LibCST walks in source order, unlike ``ast``'s fields
    def visit_IfExp(self, node: ast.IfExp) -> None:
        self.visit(node.body)
        self.visit(node.test)
        self.visit(node.orelse)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None:
                self.visit(key)
            self.visit(value)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self.checks.identifier(node.arg)
        self.visit(node.value)

    # ``match`` captures: LibCST reads them as names
    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name is not None:
            self._capture(node.name)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name is not None:
            self._capture(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for key, pattern in zip(node.keys, node.patterns, strict=True):
            self.visit(key)
            self.visit(pattern)
        if node.rest is not None:
            self._capture(node.rest)

    def visit_MatchClass(self, node: ast.MatchClass) -> None:
        self.visit(node.cls)
        self._all(node.patterns)
        for name, pattern in zip(node.kwd_attrs, node.kwd_patterns, strict=True):
            self._capture(name)
            self.visit(pattern)

    def _capture(self, name: str) -> None:
        self.checks.identifier(name)
        self._read(name, None)
