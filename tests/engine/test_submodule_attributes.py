"""The generated modules are not names of the package's namespace, yet reachable as attributes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.engine.support import FULL, before_after, write_split
from tests.engine.test_generated_code import ONLY_GLOBAL

SHOP = (Path(__file__).parent / "cases" / "shop" / "input.py").read_text()


def test_submodules_are_attributes_but_not_namespace_names(tmp_path: Path) -> None:
    # only the full layer takes them out (threshold 40: room for Cart and its header)
    files = write_split(tmp_path, SHOP, dataclasses.replace(FULL, threshold=40))
    module = next(name[:-3] for name in files if name not in ("__init__.py", "__main__.py"))
    probe = f"""
import importlib, sys
sys.path.insert(0, {str(tmp_path)!r})
import pkg.big
import pkg.big.{module}
print(pkg.big.{module} is sys.modules["pkg.big.{module}"])  # attribute access, any Python
print({module!r} in vars(pkg.big), {module!r} in dir(pkg.big))  # as before the split
from unittest import mock
with mock.patch.object(pkg.big.{module}, "__doc__", "patched"):
    print(sys.modules["pkg.big.{module}"].__doc__)
"""
    from tests.engine.support import run

    assert run(tmp_path, "-c", probe) == "True\nFalse False\npatched\nrc=0"


def test_live_names_and_submodules_share_one_getattr(tmp_path: Path) -> None:
    probe = """
    import sys
    import pkg.big as m
    print(m.table, "table" in dir(m))
    mods = [n for n in sys.modules if n.startswith("pkg.big.")]
    print(all(getattr(m, n.rpartition(".")[2]) is sys.modules[n] for n in mods))
    """
    before, after, _ = before_after(tmp_path, ONLY_GLOBAL, probe)
    assert after.splitlines()[0] == before.splitlines()[0]
    assert after.splitlines()[1] == "True"
