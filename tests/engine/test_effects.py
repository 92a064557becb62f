"""Import-time effects on shared objects: which units have them, and a split that keeps
their order (or refuses, naming the object)."""

from __future__ import annotations

from pathlib import Path

import pytest

from modularize.agents.engine import EngineConfig
from modularize.agents.engine.context import prepare
from modularize.agents.engine.effects import effect_keys
from tests.engine.support import before_after, dedent


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "REG = []\n\ndef register(c):\n    REG.append(c)\n    return c\n\n"
            "@register\nclass A:\n    pass\n",
            {"A": {"REG"}},
            id="decorator-calling-a-registering-function",
        ),
        pytest.param(
            "TABLE = {}\n\nclass A:\n    TABLE['a'] = 1\n",
            {"A": {"TABLE"}},
            id="class-body-storing-into-a-module-level-dict",
        ),
        pytest.param(
            "import atexit\n\ndef bye():\n    pass\n\natexit.register(bye)\n",
            {"bye": {"atexit"}},  # the registration joins what it registers
            id="atexit",
        ),
        pytest.param(
            "import logging\n\nlogging.getLogger('x').addHandler(logging.NullHandler())\n",
            {"stmt@L3": {"logging"}},
            id="logging-configuration",
        ),
        pytest.param(
            "REG = []\n\ndef register(c):\n    REG.append(c)\n\ndef use():\n    register(1)\n",
            {},
            id="call-time-only-is-no-effect",
        ),
        pytest.param(
            "class Style:\n    @classmethod\n    def parse(cls, t):\n        return cls()\n\n"
            "DEFAULT = Style.parse('x')\n",
            {},
            id="a-constructor-is-no-effect",
        ),
    ],
)
def test_effect_keys(source: str, expected: dict[str, set[str]]) -> None:
    ctx = prepare(source, EngineConfig(module="pkg.big"))
    assert effect_keys(ctx.units) == expected


REGISTRY = dedent("""
    HANDLERS = []


    def register(cls):
        HANDLERS.append(cls)
        return cls


    @register
    class ClickHandler:
        def on_click(self, event):
            return 1

        def on_press(self, event):
            return 2


    @register
    class Point(tuple):
        pass


    class KeyHandler:
        def on_key(self, event):
            return 1

        def on_release(self, event):
            return 2


    register(KeyHandler)
    """)
CONFIG = EngineConfig(
    module="pkg.big",
    threshold=30,
    budgets={"base": 20, "manager": 20, "strategies": 20, "handlers": 20, "utils": 20},
)


def test_registration_order_survives_the_split(tmp_path: Path) -> None:
    probe = "import pkg.big as b\nprint([c.__name__ for c in b.HANDLERS])"
    before, after, files = before_after(tmp_path, REGISTRY, probe, CONFIG)
    assert before.endswith("rc=0") and len(files) > 2
    assert after == before
