"""A big module parsed in pieces is the tree a whole parse gives."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from modularize.agents.engine import chunkparse

CASES = Path(__file__).parent / "cases"

TRICKY = '''#!/usr/bin/env python
# licence header

"""Doc."""
import os


def f():
    return 1
    # a comment indented under f: f's block owns it


# a comment above g
@decorator
def g():
    pass
a = 1; b = 2
class C:
\tx = 1

\t# owned by C
if os.name:
    y = 1
else:
    y = 2
# the footer
'''


def _same(source: str) -> None:
    whole = cst.parse_module(source)
    pieces = chunkparse.parse_module(source)
    assert pieces.code == whole.code
    assert pieces.deep_equals(whole)
    assert [whole.code_for_node(s) for s in whole.body] == [
        pieces.code_for_node(s) for s in pieces.body
    ]
    assert all(line.deep_equals(o) for line, o in zip(pieces.header, whole.header, strict=True))
    assert all(line.deep_equals(o) for line, o in zip(pieces.footer, whole.footer, strict=True))
    for field in ("default_indent", "default_newline", "encoding", "has_trailing_newline"):
        assert getattr(pieces, field) == getattr(whole, field), field


@pytest.mark.parametrize("size", [1, 2, 5])
def test_pieces_make_the_whole_tree(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(chunkparse, "CHUNK_LINES", size)
    _same(TRICKY)
    _same(TRICKY.replace("\n", "\r\n"))  # (CRLF: the same lines)
    _same(TRICKY.replace("    ", "\t"))  # indented by tabs only
    _same(TRICKY.replace("\t", "    "))  # by spaces only
    for case in sorted(CASES.glob("*/input.py")):
        _same(case.read_text(encoding="utf-8"))


def test_a_big_source_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunkparse, "CHUNK_LINES", 2)
    parsed: list[str] = []
    real = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text: parsed.append(text) or real(text))
    source = TRICKY.replace("\t", "    ")
    chunkparse.parse_module(source)
    assert len(parsed) >= 3 and "".join(parsed) == source
    # never between f and the comment its block owns
    assert not any(p.startswith("    # a comment indented") for p in parsed)


def test_pieces_disagreeing_on_the_indentation_parse_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chunkparse, "CHUNK_LINES", 2)
    parsed: list[str] = []
    real = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text: parsed.append(text) or real(text))
    chunkparse.parse_module(TRICKY)  # four spaces first, then a tab
    assert parsed[-1] == TRICKY
