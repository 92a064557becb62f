"""The new modules import each other one way, every import at the top (pure engine): the
import order the planner checks, shared-state readers that need no order between them, and
import blocks the original ran between its statements put above the code."""

from __future__ import annotations

from modularize.agents.engine import EngineConfig
from modularize.agents.engine.context import prepare
from modularize.agents.engine.graph import Layout, arrange
from modularize.agents.engine.hoist import hoisted
from modularize.agents.engine.kinds import Edge
from tests.engine.support import dedent

CONFIG = EngineConfig(module="pkg.big")


def test_a_call_time_read_closing_a_cycle_is_handed_over_never_imported_below_code():
    # ``a`` subclasses a class of ``b`` (import time); ``b`` calls a function of ``a``
    edges = {"a": {"b": {"Base": Edge.IMPORT}}, "b": {"a": {"helper": Edge.CALL}}}
    layout = arrange(["a", "b"], {"a": 0, "b": 1}, edges)
    assert isinstance(layout, Layout)
    assert layout.arrangement.order == ("b", "a")
    assert layout.top_imports("a") == [("b", ["Base"])]
    assert layout.top_imports("b") == []
    assert layout.handed_pairs == {("b", "a")}


def test_an_annotation_closing_a_cycle_goes_under_type_checking():
    edges = {"a": {"b": {"Base": Edge.IMPORT}}, "b": {"a": {"Tree": Edge.ANNOTATION}}}
    layout = arrange(["a", "b"], {"a": 0, "b": 1}, edges)
    assert isinstance(layout, Layout)
    assert layout.typing_imports("b") == [("a", ["Tree"])]
    assert not layout.handed_pairs


def test_two_readers_of_shared_state_with_no_call_between_keep_no_order():
    source = """\
        NAMES = ("_", "gettext")


        def known(name):
            return name in NAMES


        class First:
            default = NAMES


        class Second:
            default = NAMES


        FOUND = known("_")


        class Third:
            default = NAMES
        """
    ctx = prepare(dedent(source), CONFIG)
    after = {u.id: u.after for u in ctx.units}
    assert after["Second"] == set()  # reads only: either order sees the same tuple
    assert after["FOUND"] == {"First", "Second"}  # a call may change what readers see
    assert after["Third"] == {"FOUND"}


def _hoisted(source: str) -> str:
    ctx = prepare(dedent(source), CONFIG)
    stmts = [s for u in ctx.units for s in u.stmts]
    stmts.sort(key=lambda s: s.index)
    reads = {s.index: ctx.analysis.refs[s.index].keys() for s in stmts}
    return "".join(s.code for s in hoisted(stmts, reads, frozenset()))


def test_an_import_block_between_constants_goes_above_them():
    text = _hoisted(
        """\
        VERSION = "1.0"
        try:
            import zlib
            ZLIB = zlib.ZLIB_VERSION
        except ImportError:
            ZLIB = ""
        WIDTH = 80
        """
    )
    assert text.index("import zlib") < text.index("VERSION") < text.index("WIDTH")


def test_an_import_block_stays_below_what_it_rebinds_or_what_acts_on_the_world():
    text = _hoisted(
        """\
        import os
        HAVE_READLINE = True
        try:
            import readline
        except ImportError:
            HAVE_READLINE = False
        os.environ["MPLBACKEND"] = "Agg"
        try:
            import matplotlib
        except ImportError:
            matplotlib = None
        """
    )
    assert text.index("HAVE_READLINE = True") < text.index("import readline")
    assert text.index("os.environ") < text.index("import matplotlib")
