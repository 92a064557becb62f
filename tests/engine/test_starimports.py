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
        pytest.param(
            "é = 1; from a import *\r\nfrom b import  *  # c\n",
            {"a": ("x", "y"), "b": ("z",)},
            "é = 1; from a import x, y\r\nfrom b import  z  # c\n",
            id="offsets-in-characters-each-line-end-kept",
        ),
        pytest.param(
            "from b import*\n", {"b": ("z",)}, "from b import z\n", id="no-space-before-the-star"
        ),
        pytest.param(
            "try:\n    from _heapq import *\nexcept ImportError:\n    pass\n",
            {"_heapq": ("heappush",)},
            "try:\n    from _heapq import heappush\nexcept ImportError:\n    pass\n",
            id="in-a-block",
        ),
        pytest.param(
            "from a import \\\n    *\n",
            {"a": ("x",)},
            "from a import \\\n    x\n",
            id="after-a-line-continuation",
        ),
    ],
)
def test_star_imports_are_made_explicit_on_their_own_line(
    source: str, names: dict, expected: str
) -> None:
    from modularize.agents.engine.starimports import expand_star_imports

    assert expand_star_imports(source, names) == expected
