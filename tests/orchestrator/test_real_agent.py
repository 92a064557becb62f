"""The whole pipeline with the real libcst agent: the dry-run patch equals the real run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.orchestrator.conftest import make_tree
from tests.orchestrator.test_pipeline import invoke, tree

pytestmark = pytest.mark.slow


def orders_module() -> str:
    """A realistic module over 400 lines: an enum, dataclasses, pricing rules, handlers."""
    lines = [
        '"""Orders and pricing for the shop."""',
        "",
        "from __future__ import annotations",
        "",
        "import dataclasses",
        "import enum",
        "",
        "",
        "MAX_ITEMS = 50",
        "",
        "",
        "class Color(enum.Enum):",
        "    RED = 1",
        "    BLUE = 2",
        "",
        "",
    ]
    for i in range(12):
        lines += [
            "@dataclasses.dataclass",
            f"class Item{i}:",
            "    name: str",
            f"    price: float = {i}.0",
            "",
            "    def total(self, qty: int) -> float:",
            "        return self.price * qty",
            "",
            "",
        ]
    for i in range(40):
        lines += [
            f"def price_{i}(item, qty):",
            f'    """Price rule {i}."""',
            "    if qty > MAX_ITEMS:",
            "        raise ValueError('too many')",
            f"    return item.total(qty) * {1 + i / 100}",
            "",
            "",
        ]
    for i in range(10):
        lines += [
            f"def on_event_{i}(event):",
            f"    return price_{i}(event['item'], event['qty'])",
            "",
            "",
        ]
    return "\n".join(lines) + "\n"


TEST = """from unittest import mock

from shop import orders


def test_patch_through_the_old_path():
    with mock.patch("shop.orders.price_3", return_value=9):
        assert orders.on_event_3({"item": None, "qty": 1}) == 9
"""


def test_dry_run_patch_of_a_real_split_equals_the_real_run(tmp_path: Path) -> None:
    dry = tmp_path / "dry"
    (dry / "shop").mkdir(parents=True)
    (dry / "shop" / "__init__.py").write_text("")
    (dry / "shop" / "orders.py").write_text(orders_module())
    (dry / "test_orders.py").write_text(TEST)
    make_tree(dry, 0, git=True)
    real = tmp_path / "real"
    shutil.copytree(dry, real)
    patch = tmp_path / "split.patch"
    code, output = invoke("run", str(dry), "--dry-run", "--patch", str(patch))
    assert code == 0 and "1 split into" in output, output
    code, output = invoke("run", str(real), "--no-branch")
    assert code == 0, output
    subprocess.run(["git", "apply", str(patch)], cwd=dry, check=True, capture_output=True)
    assert tree(dry) == tree(real)
    assert "shop/orders.py" not in tree(real) and "shop/orders/__init__.py" in tree(real)
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_orders.py"],
        cwd=real,
        capture_output=True,
        text=True,
    )
    assert tests.returncode == 0, tests.stdout
