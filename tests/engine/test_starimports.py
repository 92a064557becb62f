"""``from x import *`` of the file, made explicit with the names the interpreter resolved."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("source", "names", "expected"),
    [
        pytest.param(
            "from .consts import *\nX = RED\n",
            {".consts": ("BLUE", "RED")},
            "from .consts import BLUE, RED\nX = RED\n",
            id="relative",
        ),
        pytest.param(
            "from os.path import *  # everything\n",
            {"os.path": ("join",)},
            "from os.path import join  # everything\n",
            id="comment-kept",
        ),
        pytest.param(
            "from a import *\n", {"b": ("x",)}, "from a import *\n", id="unresolved-left-alone"
        ),
    ],
)
def test_star_imports_are_made_explicit_on_their_own_line(
    source: str, names: dict, expected: str
) -> None:
    from modularize.agents.engine.starimports import expand_star_imports

    assert expand_star_imports(source, names) == expected
