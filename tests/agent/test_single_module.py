"""Single-module distributions: splitting ``big.py`` into ``big/`` would drop it from the
wheel, so the split is refused with the packaging setting to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from modularize.agents.packaging import single_module_blocker


@pytest.mark.parametrize(
    ("name", "text", "how"),
    [
        pytest.param(
            "setup.py", "setup(name='x', py_modules=['big'])\n", "py_modules", id="setup.py"
        ),
        pytest.param("setup.cfg", "[options]\npy_modules = big\n", "py_modules", id="setup.cfg"),
        pytest.param(
            "pyproject.toml",
            '[tool.setuptools]\npy-modules = ["big"]\n',
            "py-modules",
            id="setuptools-pyproject",
        ),
        pytest.param(
            "pyproject.toml",
            '[build-system]\nbuild-backend = "flit_core.buildapi"\n[project]\nname = "big"\n',
            "a flit module",
            id="flit",
        ),
        pytest.param(
            "pyproject.toml",
            '[build-system]\nbuild-backend = "hatchling.build"\n'
            '[tool.hatch.build.targets.wheel]\nonly-include = ["big.py"]\n',
            "a hatch include of the file",
            id="hatch",
        ),
        pytest.param("setup.py", "setup(name='x', packages=['big'])\n", None, id="a-package"),
        pytest.param("setup.cfg", "[options]\npy_modules = other\n", None, id="another-module"),
    ],
)
def test_single_module_distributions_are_refused_with_the_setting(tmp_path: Path, name, text, how):
    (tmp_path / name).write_text(text)
    reason = single_module_blocker("big", (tmp_path,))
    if how is None:
        assert reason is None
    else:
        assert reason is not None and f"({how})" in reason and name in reason


def test_modules_inside_a_package_are_never_single_module_distributions(tmp_path: Path):
    (tmp_path / "setup.cfg").write_text("[options]\npy_modules = big\n")
    assert single_module_blocker("pkg.big", (tmp_path,)) is None
