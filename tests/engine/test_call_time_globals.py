"""``call_time_globals`` (the compiler's symbol tables) pinned against LibCST's scope analysis,
which it replaced (60 times faster); and the ``ast`` pre-check that spares ``retarget_source``
its LibCST parse."""

from __future__ import annotations

import ast
import sysconfig
import unicodedata
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import (
    BuiltinScope,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    ScopeProvider,
)

from modularize.agents.engine import retarget, retargetcst
from modularize.agents.engine.retarget import call_time_globals, retarget_source

REPO = Path(__file__).resolve().parents[2]


def scopes_call_time_globals(source: str) -> set[str]:
    """The implementation before symbol tables: LibCST names read inside functions that
    resolve to the module's globals or builtins (or to nothing)."""
    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    names: set[str] = set()
    for scope in {s for s in wrapper.resolve(ScopeProvider).values() if s is not None}:
        outer = scope
        while not isinstance(outer, (GlobalScope, FunctionScope)):
            outer = outer.parent
        if isinstance(outer, GlobalScope):
            continue
        for access in scope.accesses:
            if isinstance(access.node, cst.Name) and all(
                isinstance(a.scope, (GlobalScope, BuiltinScope)) for a in access.referents
            ):
                names.add(access.node.value)
    return names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import os\ndef f():\n    return os.sep, len\n", {"os", "len"}, id="function"),
        pytest.param("X = 1\nY = X + len([])\n", set(), id="module-level-code"),
        pytest.param("L = [a for b in R if T]\n", set(), id="module-level-comprehension"),
        pytest.param("def f():\n    return [a for b in R if T]\n", {"a", "R", "T"}, id="comp"),
        pytest.param("G = (lambda: X)\n", {"X"}, id="lambda"),
        pytest.param("L = [lambda: X for _ in R]\n", {"X"}, id="lambda-in-comprehension"),
        pytest.param("class C:\n    a = A\n    def m(self):\n        return B\n", {"B"}, id="cls"),
        pytest.param("def f():\n    class C:\n        a = A\n", {"A"}, id="class-in-function"),
        pytest.param("def f():\n    global H\n    H = 1\n    return H\n", {"H"}, id="global"),
        pytest.param("def f():\n    x = 1\n    def g():\n        return x, y\n", {"y"}, id="free"),
        pytest.param("def top(a):\n    return a, b\n", {"b"}, id="function-named-top"),
        pytest.param("def f():\n    return __name__\n", {"__name__"}, id="module-attribute"),
        pytest.param("import a.b\ndef f():\n    return a.b.c\n", {"a"}, id="dotted-import"),
        # never evaluated, but in the compiler's table (and LibCST's scopes) all the same
        pytest.param("def f():\n    x: Local = 1\n", {"Local"}, id="local-annotation"),
        # deliberate differences from LibCST: these are no lookups
        pytest.param("def f():\n    return None, True\n", set(), id="keywords"),
        pytest.param(
            "from __future__ import annotations\ndef f():\n    def g(a: A) -> B: ...\n",
            set(),
            id="unevaluated-annotations",
        ),
        pytest.param("def f():\n    def g(a: A) -> B: ...\n", {"A", "B"}, id="evaluated"),
        pytest.param(
            "def f():\n    for i in R:\n        print(n)\n        n = i\n",
            {"R", "print"},
            id="read-before-bound",
        ),
        pytest.param(
            "def f():\n    match v:\n        case P(x=0) as p: pass\n", {"v", "P"}, id="match"
        ),
        pytest.param("def f():\n    [m := i for i in R]\n    return m\n", {"R"}, id="walrus"),
        pytest.param("def f(\n", set(), id="does-not-compile"),
    ],
)
def test_call_time_globals(source: str, expected: set[str]) -> None:
    assert call_time_globals(source) == expected


def _explained(source: str) -> set[str]:
    """Names where LibCST saw a call-time global the compiler does not: keywords, annotations,
    names bound in a function, a class or a comprehension (LibCST resolves a read before the
    binding to the module), match patterns, walrus targets, ``del``, un-normalised names."""
    found = {"True", "False", "None", "__class__"}
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.comprehension)
    for node in ast.walk(ast.parse(source)):
        for note in _annotations(node):
            found.update(n.id for n in ast.walk(note) if isinstance(n, ast.Name))
        if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            found.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            found.add(node.rest)
        elif isinstance(node, ast.MatchClass):
            found.update(node.kwd_attrs)
        elif isinstance(node, ast.NamedExpr):
            found.add(node.target.id)
        elif isinstance(node, ast.Name) and not unicodedata.is_normalized("NFKC", node.id):
            found.add(node.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del):
            found.add(node.id)
        elif isinstance(node, scopes):
            stores = (ast.Store, ast.Del)
            found.update(
                n.id
                for n in ast.walk(node)
                if isinstance(n, ast.Name) and isinstance(n.ctx, stores)
            )
    return found


def _annotations(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.arg) and node.annotation is not None:
        return [node.annotation]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
        return [node.returns]
    return [node.annotation] if isinstance(node, ast.AnnAssign) else []


def _only_compiler(source: str) -> set[str]:
    """What only the compiler sees: ``a`` of ``import a.b`` read in a function (LibCST
    records the access on the dotted name), the ``__class__`` that ``super()`` reads,
    names NFKC-normalised."""
    tree = ast.parse(source)
    found = {
        alias.name.partition(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if "." in alias.name and alias.asname is None
    }
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return found | {"__class__"} | {unicodedata.normalize("NFKC", n) for n in names}


def _corpus() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    small = [p for p in sorted(stdlib.glob("*.py")) if p.stat().st_size < 16_000]
    ours = sorted((REPO / "agents").rglob("*.py")) + sorted((REPO / "orchestrator").rglob("*.py"))
    cases = sorted((REPO / "tests").glob("*/cases/*/input.py"))
    return [*small, *ours, *cases]


@pytest.mark.slow
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_symbol_tables_agree_with_libcst_scopes(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    new, old = call_time_globals(source), scopes_call_time_globals(source)
    assert old - new <= _explained(source)
    assert new - old <= _only_compiler(source)


LOOKUPS = {"pkg.big": {"helper": frozenset({"pkg.big.manager"})}}


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('import pkg.big\nprint("big")\nx.patch(y)\n', id="no-target"),
        pytest.param('mock.patch("pkg.bigger.helper")\n', id="other-module"),
        pytest.param("import os\nmonkeypatch.setattr(os, 'big', 1)\n", id="other-object"),
        pytest.param("from pkg import big\nbig.helper()\n", id="no-patch-call"),
    ],
)
def test_sources_that_patch_nothing_skip_the_libcst_parse(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(text: str) -> cst.Module:
        raise AssertionError("parsed with LibCST")

    monkeypatch.setattr(retargetcst.cst, "parse_module", refuse)
    assert retarget_source(source, LOOKUPS) == (source, [])


@pytest.mark.parametrize(
    "source",
    [
        pytest.param('mock.patch("pkg.big.helper")\n', id="string"),
        pytest.param('patch.multiple("pkg.big", helper=1)\n', id="multiple"),
        pytest.param('from pkg import big\nmock.patch.object(big, "helper")\n', id="object"),
        pytest.param('import pkg\nsetattr(pkg.big, "helper", 1)\n', id="dotted"),
        pytest.param(
            "from pkg import big\nfrom other import big as x\ndef f():\n    from pkg import big as x\n"
            '    monkeypatch.setattr(x, "helper", 1)\n',
            id="a-name-imported-twice",
        ),
        pytest.param('from .. import big\nmock.patch.object(big, "helper")\n', id="relative"),
        pytest.param("mock.patch(\n", id="not-python"),
    ],
)
def test_sources_that_may_patch_an_old_module_are_parsed(source: str) -> None:
    assert retarget._may_retarget(source, LOOKUPS, "pkg.tests")


def test_retargeting_loads_libcst_only_for_a_file_that_may_patch() -> None:
    # the main process of a parallel run retargets after the splits: no LibCST, no planner
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from modularize.orchestrator.retarget import call_time_globals, retarget_source\n"
        "call_time_globals('def f():\\n    return g\\n')\n"
        "retarget_source('import os\\n', {'pkg.big': {}})\n"
        "print(sorted(m for m in sys.modules if m.startswith(('libcst', 'modularize.agents.engine.p'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
