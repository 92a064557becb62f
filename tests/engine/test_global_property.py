"""Property: names rebound with ``global`` (one name or several, ``global a, b``) read the
same through the package as through the original after any function rebinds them, and every
function reading them sees the new values (generated modules, run before and after)."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modularize.agents.engine import EngineConfig, Refusal, plan_split
from tests.engine.support import run, write_original, write_split

CONFIG = EngineConfig(
    module="pkg.big",
    threshold=20,
    budgets={"base": 12, "manager": 12, "strategies": 12, "handlers": 12, "utils": 12},
)
NAMES = [f"g{i}" for i in range(4)]
_subsets = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True)


@st.composite
def modules(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """(source, setter names, reader names): module-level names, functions rebinding some of
    them with one ``global`` statement, functions reading some, and filler between them."""
    setters = draw(st.lists(_subsets, min_size=1, max_size=3))
    readers = draw(st.lists(_subsets, min_size=1, max_size=3))
    parts = [f"{name} = None\n" for name in NAMES]
    counter = itertools.count()
    pieces = [("set", names) for names in setters] + [("get", names) for names in readers]
    pieces = draw(st.permutations(pieces))
    set_names, get_names = [], []
    for kind, names in pieces:
        index = next(counter)
        if kind == "set":
            body = "".join(f"    {n} = value + {i}\n" for i, n in enumerate(names))
            parts.append(f"def set_{index}(value):\n    global {', '.join(names)}\n{body}")
            set_names.append(f"set_{index}")
        else:
            parts.append(f"def get_{index}():\n    return ({', '.join(names)},)\n")
            get_names.append(f"get_{index}")
        parts.append(f"def filler_{index}(x):\n    y = x + 1\n    return y * 2\n")
    return "\n\n".join(parts), set_names, get_names


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(modules())
def test_rebound_globals_read_live_after_the_split(case: tuple[str, list[str], list[str]]) -> None:
    source, setters, getters = case
    try:
        plan_split(source, CONFIG)
    except Refusal as exc:  # allowed, but it must say why
        assert exc.reason
        return
    calls = "".join(f"big.{s}({10 * (i + 1)})\n" for i, s in enumerate(setters))
    probe = (
        "import pkg.big as big\n"
        + calls
        + f"print([getattr(big, n) for n in {NAMES!r}])\n"
        + f"print([getattr(big, f)() for f in {getters!r}])\n"
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        write_original(root / "before", source)
        write_split(root / "after", source, CONFIG)
        before = run(root / "before", "-c", probe)
        assert before.endswith("rc=0"), before
        assert run(root / "after", "-c", probe) == before, source
