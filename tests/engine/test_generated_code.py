"""What we generate must itself pass a strict linter, and serve every name the original had."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ruff import find_ruff_bin

from modularize.agents.engine import EngineConfig
from tests.engine.support import before_after, dedent, write_split

CASES = Path(__file__).parent / "cases"

# Names that exist only because a function called at import time declares them `global`.
ONLY_GLOBAL = dedent('''
    """Tables filled by a function, as mimetypes.py does."""
    import os


    def _init():
        global _table, table
        _table = {"a": 1}
        table = dict(_table)


    {helpers}

    _init()
''').replace(
    "{helpers}", "\n\n".join(f"def helper_{i}(x):\n    return x + {i}\n" for i in range(120))
)


def test_names_bound_only_by_a_global_function_are_served(tmp_path: Path) -> None:
    probe = """
    import pkg.big as m
    print(m.table, m._table, "table" in dir(m))
    m._init()
    ns = {}
    exec("from pkg.big import *", ns)
    print(sorted(k for k in ns if not k.startswith("__"))[:3], "table" in ns)
    """
    config = EngineConfig(module="pkg.big")
    before, after, files = before_after(tmp_path, ONLY_GLOBAL, probe, config)
    assert "rc=0" in before and len(files) > 2
    assert after == before


def test_generated_code_passes_strict_ruff(tmp_path: Path) -> None:
    sources = [ONLY_GLOBAL, (CASES / "shop" / "input.py").read_text()]
    for index, source in enumerate(sources):
        write_split(
            tmp_path / str(index),
            source,
            EngineConfig(
                module="pkg.big",
                threshold=60,
                budgets={"base": 40, "manager": 60, "strategies": 40, "handlers": 40, "utils": 40},
            ),
        )
    proc = subprocess.run(
        [
            str(find_ruff_bin()),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "E,F,W",
            "--line-length",
            "79",
            "--output-format",
            "concise",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout
