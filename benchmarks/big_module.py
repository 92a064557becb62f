"""A generated module of realistic shape, as large as asked (50,000 lines by default).

Top-level functions and classes of varied size, with docstrings, type hints, decorators,
constants, a logger, calls between definitions (mostly to recent ones, some far back) and
class inheritance, so the split planner has a real dependency graph to cut. Deterministic
for a given size. ``python benchmarks/big_module.py OUT.py [--lines N]`` writes one.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HEADER = '''"""Order processing for the warehouse (generated for a benchmark)."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 100
CODE_PATTERN = re.compile(r"^[A-Z]{3}-\\d+$")
'''

FOOTER = '''

def main(argv: list[str] | None = None) -> int:
    """Print a summary of the generated tables."""
    print(json.dumps({"limit": DEFAULT_LIMIT, "tables": len(REGISTRY)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
'''


class _Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.functions: list[str] = []
        self.classes: list[str] = []
        self.constants: list[str] = ["DEFAULT_LIMIT"]
        self.parts: list[str] = [HEADER, "\nREGISTRY: dict[str, Any] = {}\n"]

    def _callee(self) -> str | None:
        if not self.functions:
            return None
        recent = self.functions[-30:]  # most calls stay near; a few reach far back
        pool = recent if self.rng.random() < 0.85 else self.functions
        return self.rng.choice(pool)

    def function(self, index: int) -> None:
        name = f"process_{index}"
        steps = self.rng.randint(3, 14)
        body = [f'    """Step {index}: transform ``items`` and return a total."""', "    total = 0"]
        callee = self._callee()
        for step in range(steps):
            body.append(f"    for item in items[: {self.rng.choice(self.constants)}]:")
            body.append(f"        total += len(str(item)) * {step + 1}")
        if callee:
            body.append(f"    total += {callee}(list(items)[:2])")
        if self.rng.random() < 0.2:
            body.append(f'    logger.debug("{name}: %s", total)')
        body.append("    return total")
        decorator = "@functools.lru_cache(maxsize=None)\n" if self.rng.random() < 0.05 else ""
        signature = f"def {name}(items: Iterable[Any]) -> int:"
        if decorator:
            signature = f"def {name}(items: tuple[Any, ...]) -> int:"
            body[-1] = "    return total"
        self.parts.append("\n\n" + decorator + signature + "\n" + "\n".join(body) + "\n")
        if not decorator:
            self.functions.append(name)

    def klass(self, index: int) -> None:
        name = f"Record{index}"
        base = self.rng.choice(self.classes) if self.classes and self.rng.random() < 0.3 else ""
        lines = [f"class {name}({base}):" if base else f"@dataclasses.dataclass\nclass {name}:"]
        lines.append(f'    """A record of kind {index}."""')
        if not base:
            lines += ["", "    code: str", "    amount: int = 0"]
        for method in range(self.rng.randint(1, 5)):
            callee = self._callee()
            lines += ["", f"    def step_{method}(self, factor: int = 2) -> int:"]
            lines.append(f'        """Part {method} of the work on a {name}."""')
            lines.append("        value = self.amount * factor")
            for extra in range(self.rng.randint(0, 4)):
                lines.append(f"        value += len(self.code) + {extra}")
            if callee:
                lines.append(f"        value += {callee}([self.code])")
            lines.append("        return value")
        self.parts.append("\n\n" + "\n".join(lines) + "\n")
        self.classes.append(name)

    def constant(self, index: int) -> None:
        name = f"LIMIT_{index}"
        values = ", ".join(f'"{chr(65 + k % 26)}{k}": {k * index % 97}' for k in range(6))
        self.parts.append(
            f"\n\n{name} = {self.rng.randint(5, 50)}\nTABLE_{index}: Mapping[str, int] = "
            f"{{{values}}}\nREGISTRY[{f'table_{index}'!r}] = TABLE_{index}\n"
        )
        self.constants.append(name)

    def text(self) -> str:
        return "".join(self.parts) + FOOTER


def generate(lines: int = 50_000, seed: int = 15) -> str:
    """A module of about ``lines`` lines (never fewer)."""
    writer = _Writer(seed)
    index, total = 0, 0
    while total + FOOTER.count("\n") < lines:
        roll = writer.rng.random()
        if roll < 0.62:
            writer.function(index)
        elif roll < 0.92:
            writer.klass(index)
        else:
            writer.constant(index)
        total += writer.parts[-1].count("\n") + (HEADER.count("\n") if index == 0 else 0)
        index += 1
    return writer.text()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=50_000)
    args = parser.parse_args()
    args.out.write_text(generate(args.lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
