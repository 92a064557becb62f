"""One main guard: the split moves exactly the blocks that ``scan`` says move to __main__.py."""

from __future__ import annotations

import pytest

from modularize.agents.engine import plan_split
from modularize.orchestrator.scan_analysis import analyse
from tests.engine.support import SMALL

FILLER = "".join(f"def filler_{i}(x):\n    return x + {i}\n\n\n" for i in range(12))

CASES = [
    pytest.param('if __name__ == "__main__":\n    main()\n', True, id="usual"),
    pytest.param("if '__main__' == __name__:\n    main()\n", True, id="reversed"),
    pytest.param(
        'if (\n    __name__\n    == "__main__"\n):\n    main()\n', True, id="parenthesised"
    ),
    pytest.param('if __name__ != "__main__":\n    main()\n', False, id="not-equal"),
    pytest.param('if __name__ == "__main__":\n    main()\nelse:\n    pass\n', False, id="else"),
    pytest.param('if __name__ == "main":\n    main()\n', False, id="other-string"),
    pytest.param('if __name__ == "__main__" == x:\n    main()\n', False, id="chained"),
]


@pytest.mark.parametrize(("guard", "moves"), CASES)
def test_scan_and_split_agree_on_the_main_block(guard: str, moves: bool) -> None:
    source = FILLER + "def main():\n    return 1\n\n\n" + guard
    modules = [m.name for m in plan_split(source, SMALL).modules]
    _, _, warnings = analyse(source, 400)
    assert ("__main__" in modules) is moves
    assert any("moves to __main__.py" in w for w in warnings) is moves
