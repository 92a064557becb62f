"""An ``__init__.py`` too long to re-export each name is written with star re-exports."""

from __future__ import annotations

from pathlib import Path

from modularize.agents.core.source import count_lines
from modularize.agents.engine import EngineConfig
from tests.engine.support import before_after, dedent

CONFIG = EngineConfig(
    module="pkg.big",
    threshold=60,
    budgets={"base": 40, "manager": 60, "strategies": 40, "handlers": 40, "utils": 40},
)


def many(count: int) -> str:
    """Many public names, two private helpers (one the repository imports), no ``__all__``."""
    helpers = "\n\n".join(
        f"def helper_{i}(x):\n    return _private_used(x) * {i}\n" for i in range(count)
    )
    return (
        dedent('''
        """Helpers, many of them."""
        import os


        def _private_used(x):
            return os.fspath(x)


        def _private_unused(x):
            return -x


    ''')
        + helpers
    )


PROBE = """
import pkg.big as m
from pkg.big import _private_used
print(m.helper_7("1"), _private_used("2"))
ns = {}
exec("from pkg.big import *", ns)
print(sorted(k for k in ns if k != "os" and not k.startswith("__")))
"""


def test_a_long_init_star_imports_each_module(tmp_path: Path) -> None:
    before, after, files = before_after(tmp_path, many(120), PROBE, CONFIG)
    assert "rc=0" in before and after == before
    init = files["__init__.py"]
    assert count_lines(init) <= CONFIG.threshold
    assert "import *  # noqa: F403" in init
    # what the repository imports stays, by name; the other private helper is left out
    assert "_private_used as _private_used" in init
    assert "_private_unused" not in init
    modules = [text for name, text in files.items() if name.startswith("helper")]
    assert modules and all("\n__all__ = [\n" in text for text in modules)


def test_the_original_all_is_kept_with_star_imports(tmp_path: Path) -> None:
    names = ", ".join(repr(f"helper_{i}") for i in range(0, 120, 7))
    source = many(120).replace("import os\n", f"import os\n\n__all__ = [{names}]\n", 1)
    before, after, files = before_after(tmp_path, source, PROBE, CONFIG)
    assert "rc=0" in before and after == before
    assert "import *  # noqa: F403" in files["__init__.py"]
    assert f"__all__ = [{names}]" in files["__init__.py"]


def test_an_init_that_fits_keeps_explicit_reexports(tmp_path: Path) -> None:
    roomy = EngineConfig(module="pkg.big", threshold=60)
    before, after, files = before_after(tmp_path, many(30), PROBE, roomy)
    assert "rc=0" in before and after == before
    assert count_lines(files["__init__.py"]) <= roomy.threshold
    assert "import *" not in "".join(files.values())
