"""Annotations are evaluated at import time unless the module defers them."""

from __future__ import annotations

from pathlib import Path

from modularize.agents.engine import EngineConfig
from tests.engine.support import before_after

EXAMPLE = Path(__file__).parents[2] / "examples/legacy_shop/legacy_shop/models.py"


def test_dataclass_fields_naming_classes_in_another_module(tmp_path: Path) -> None:
    # The bundled example: Order's `items: List[LineItem]` is read when the class is created.
    probe = """
    import pkg.big as m
    print(sorted(m.Order.__dataclass_fields__), m.Order.__annotations__["items"])
    """
    config = EngineConfig(module="pkg.big")
    before, after, files = before_after(tmp_path, EXAMPLE.read_text(), probe, config)
    assert "rc=0" in before and len(files) > 2
    assert after == before
