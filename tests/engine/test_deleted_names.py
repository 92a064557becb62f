"""Helpers a module calls at import time and then deletes (opcode.py's ``def_op``)."""

from __future__ import annotations

import opcode
from pathlib import Path

from modularize.agents.engine import EngineConfig
from tests.engine.support import before_after, dedent

# The helpers and their 60 callers (about 80 lines) fit one module; the rest is packed around.
CONFIG = EngineConfig(
    module="pkg.big",
    threshold=100,
    budgets={"base": 25, "manager": 30, "strategies": 25, "handlers": 25, "utils": 25},
)

_CALLS = "\n".join(
    f"def_op('OP_{i}', {i})" if i % 3 else f"name_op('NAME_{i}', {i})" for i in range(60)
)
_FUNCS = "\n\n".join(f"def helper_{i}(x):\n    return x + {i}\n" for i in range(20))

# Tables filled by calls of helpers that the last line deletes, as opcode.py does.
OPCODES = (
    dedent('''
    """Opcode tables."""

    opname = ['<%r>' % (op,) for op in range(256)]
    opmap = {}
    hasname = []


    def def_op(name, op):
        opname[op] = name
        opmap[name] = op


    def name_op(name, op):
        def_op(name, op)
        hasname.append(op)


    {calls}

    LAST = max(opmap.values())


    {funcs}

    del def_op, name_op
''')
    .replace("{calls}", _CALLS)
    .replace("{funcs}", _FUNCS)
)

PROBE = """
import pkg.big as m
print(m.opname[:5], sorted(m.opmap.items())[:5], m.hasname, m.LAST)
print(hasattr(m, 'def_op'), hasattr(m, 'name_op'))
ns = {}
exec("from pkg.big import *", ns)
print(sorted(k for k in ns if not k.startswith("__")))
print(m.helper_3(1))
"""


def test_helpers_deleted_at_the_end_stay_usable_and_deleted(tmp_path: Path) -> None:
    before, after, files = before_after(tmp_path, OPCODES, PROBE, CONFIG)
    assert "rc=0" in before and "False False" in before
    assert len(files) > 2
    assert after == before
    assert not any("def_op" in text for name, text in files.items() if name == "__init__.py")


def test_stdlib_opcode_splits_and_keeps_its_tables(tmp_path: Path) -> None:
    source = Path(opcode.__file__).read_text()
    probe = """
    import pkg.big as m
    print(m.opname, m.opmap, m.hasconst, m.hasjrel, m.hasjabs, m.hasname, m.HAVE_ARGUMENT)
    print([hasattr(m, n) for n in ('def_op', 'name_op', 'jrel_op', 'jabs_op')])
    ns = {}
    exec("from pkg.big import *", ns)
    print(sorted(k for k in ns if not k.startswith("__")))
    """
    # opcode.py is 407 lines on 3.11 but 216 on 3.10: a limit below its size on every Python
    config = EngineConfig(module="pkg.big", threshold=source.count("\n") // 2)
    before, after, files = before_after(tmp_path, source, probe, config)
    assert "rc=0" in before and "[False, False, False, False]" in before
    assert len(files) > 2
    assert after == before
