"""The shortcuts the engine takes for speed say what the slow way said: comments found without
the tokenizer, statement keys written without copying trees, rewrites skipped when no edit
applies, class members and effects read without LibCST's visitor, the class split skipped
when no class can be over its budget."""

from __future__ import annotations

import ast
import io
import tokenize

import libcst as cst
import pytest


def _tokenized_comments(text: str) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return {t.string.strip() for t in tokens if t.type == tokenize.COMMENT}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("x = 1  # one\n# two\n", id="plain"),
        pytest.param("s = '# no'  # yes\nt = \"#\" + '#'\n", id="hash-in-strings"),
        pytest.param('d = """\n# inside\n"""  # after\n', id="triple-quoted"),
        pytest.param("e = '\\'# still a string'  # end\n", id="escaped-quote"),
        pytest.param("r = r'\\\\'  # raw\nb = b'#'\n", id="raw-and-bytes"),
        pytest.param('f = f"{x!r}#"  # fstring\n', id="f-string"),
        pytest.param("q = '''a''''b'  # four quotes\n", id="quotes-run-together"),
        pytest.param("c = 'line\\\ncontinued # in string'  # out\r\n# crlf\r\n", id="continued"),
    ],
)
def test_comments_are_those_the_tokenizer_finds(text: str) -> None:
    from modularize.agents.engine.textcheck import comments

    assert comments(text) == _tokenized_comments(text)


def test_comments_of_text_with_an_unended_string_fall_back_to_the_tokenizer() -> None:
    from modularize.agents.engine.textcheck import comments

    assert comments("x = '''never ended # c\n") == set()


@pytest.mark.parametrize(
    ("original", "moved", "same"),
    [
        pytest.param("log(__name__)\n", "log(__package__)\n", True, id="name-read"),
        pytest.param(
            "p = __file__\n", "p = _modularized_from\n", True, id="original-file-constant"
        ),
        pytest.param(
            "def f():\n    from .a import b\n",
            "def f():\n    from ..a import b\n",
            True,
            id="relative-import-one-level-deeper",
        ),
        pytest.param("x = 1\n", "x = True\n", False, id="one-is-not-true"),
        pytest.param("x = 1\n", "x = 1.0\n", False, id="int-is-not-float"),
        pytest.param("x = '1'\n", "x = 1\n", False, id="string-is-not-int"),
        pytest.param("x.__package__\n", "x.__name__\n", False, id="attributes-not-renamed"),
    ],
)
def test_statement_keys_undo_the_writers_rewrites_only(
    original: str, moved: str, same: bool
) -> None:
    from modularize.agents.engine.stmtkeys import statement_key

    keys = (statement_key(ast.parse(original).body[0]), statement_key(ast.parse(moved).body[0]))
    assert (keys[0] == keys[1]) is same


def test_class_keys_read_mangled_names_and_super_as_the_class_had_them() -> None:
    from modularize.agents.engine.stmtkeys import class_key

    before = ast.parse("def f(self):\n    return super().f(self.__x)\n").body[0]
    after = ast.parse("def f(self):\n    return super(_BigMixin, self).f(self._Big__x)\n").body[0]
    supers = frozenset({"Big", "_BigMixin"})
    assert class_key(before, "Big", supers) == class_key(after, "Big", supers)
    assert class_key(before, "Big", supers) != class_key(after, "Big", frozenset({"Big"}))


@pytest.mark.parametrize(
    ("code", "edited"),
    [
        pytest.param("def f(cls):\n    return cls.__name__\n", False, id="attribute-only"),
        pytest.param("def f(__name__=1):\n    pass\n", False, id="parameter"),
        pytest.param("def f():\n    return __name__\n", True, id="read"),
        pytest.param("log = getLogger(__name__)\n", False, id="logger-takes-new-name"),
        pytest.param("warn(module=__name__)\n", True, id="keyword-value"),
        pytest.param("def f():\n    from . import x\n", True, id="relative-import"),
    ],
)
def test_rewrite_skips_only_statements_no_edit_applies_to(code: str, edited: bool) -> None:
    from modularize.agents.engine.rewrite import rewrite_statement

    node = cst.parse_module(code).body[0]
    flags = {"shift": 1, "keep_logger_names": False, "rename_file": True}
    slow = rewrite_statement(code, **flags)
    assert rewrite_statement(code, **flags, node=node) == slow
    assert (slow != code) is edited


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("def m(self):\n    return super().m() + type(self).__name__\n", id="super"),
        pytest.param("def m(self):\n    return __class__, self.__class__\n", id="class-cell"),
        pytest.param("def m(cls):\n    vars(cls)\n    return cls.__dict__\n", id="class-dict"),
        pytest.param("def m(self):\n    class In:\n        __x = 1\n", id="nested-class"),
        pytest.param(
            "def m(self):\n    s = super()\n    return s.x\n", id="super-held-in-a-variable"
        ),
    ],
)
def test_member_reads_are_those_of_the_visitor(code: str) -> None:
    from modularize.agents.engine.members import _Reads, reads

    node = cst.parse_module(code).body[0]
    visited = _Reads()
    node.visit(visited)
    fast = reads.__wrapped__(node)
    for field in ("names", "attrs", "magic", "nested_class", "mangled", "class_dict", "locals"):
        assert getattr(fast, field) == getattr(visited, field), field
    assert fast.super_attrs == visited.super_attrs
    assert "x" in fast.super_attrs or "s = super()" not in code


def test_the_class_split_is_skipped_only_when_no_class_can_be_over_its_budget() -> None:
    from modularize.agents.engine.classsplit import _may_be_over

    methods = "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(30))
    source = "import os\n\n\n# a comment above\nclass Big:\n" + methods + "x = 1\n"
    lines = source.count("\n")
    assert _may_be_over(source, lines - 5)
    assert not _may_be_over(source, lines)


_EVERY_SYNTAX = '''
"""Doc."""
from __future__ import annotations
import a.b as c, d
from .e import (f as g, h)
@deco(1, *args, k=2, **kw)
async def fn(p: int = 1, /, q=2, *r: str, s, t=lambda u=3: u, **v) -> list[int]:
    global w
    nonlocal_ = [x async for x in y if x] + {k: v for k, v in z} + (i for i in j)
    async with open(p) as (m, n), o:
        await q
    async for x in y: pass
    try: raise E from F
    except* (G, H) as e: del e
    finally: return x if y else (yield from z)
class K(Base, metaclass=M):
    a: int = 1; b, *c = d[1:2, ::3], e @ f
    def __init__(self): self.x += (y := 1) ** -~2 and not z or w < v <= u is not t in s
match p:
    case {"k": [1, *rest], **others} | Point(x=0, y=_) if rest: pass
    case (str() | bytes()) as s: print(f"{s!r:>{width}} {s=}")
assert x, "m"; print(*a, sep=""); x[1] = y.z = ...; raise
while True: break
else: continue
with a: pass
'''


def _every_field_walk(root: cst.CSTNode) -> list[cst.CSTNode]:
    """``cstwalk.nodes`` as it read every field before it skipped those declared layout."""
    import dataclasses

    from modularize.agents.engine.cstwalk import _walked

    found, todo = [], [root]
    while todo:
        node = todo.pop()
        found.append(node)
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            values = value if isinstance(value, (tuple, list)) else [value]
            todo.extend(v for v in values if _walked(type(v)))
    return found


@pytest.mark.parametrize("module", ["_every_syntax", "argparse", "typing", "asyncio.tasks"])
def test_nodes_skip_only_fields_declared_layout(module: str) -> None:
    import importlib
    import inspect

    from modularize.agents.engine.cstwalk import nodes

    text = (
        _EVERY_SYNTAX
        if module == "_every_syntax"
        else inspect.getsource(importlib.import_module(module))
    )
    tree = cst.parse_module(text)
    assert {id(n) for n in nodes(tree)} == {id(n) for n in _every_field_walk(tree)}
    assert len(list(nodes(tree))) == len(_every_field_walk(tree))


@pytest.mark.parametrize("module", ["_every_syntax", "argparse", "typing", "asyncio.tasks"])
def test_star_imports_are_found_among_statements_in_the_order_of_a_whole_walk(
    module: str,
) -> None:
    import importlib
    import inspect

    from modularize.agents.engine.starimports import _statements

    text = (
        _EVERY_SYNTAX
        if module == "_every_syntax"
        else inspect.getsource(importlib.import_module(module))
    )
    tree = ast.parse(text)
    assert list(_statements(tree)) == [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]


@pytest.mark.parametrize("module", ["ast", "typing", "dataclasses"])
def test_the_fast_walk_meets_the_nodes_of_ast_walk_in_its_order(module: str) -> None:
    """Uses of a module are reported where they are first met: the order must be the same."""
    import importlib
    import inspect

    from modularize.agents.core.syntax import walk

    tree = ast.parse(inspect.getsource(importlib.import_module(module)))
    assert [id(n) for n in walk(tree)] == [id(n) for n in ast.walk(tree)]
