"""Names doctest examples read from their module: what a split must keep importable where
the examples now run."""

from __future__ import annotations

import libcst as cst

from modularize.agents.engine.doctests import example_names


def _names(doc: str) -> set[str]:
    module = cst.parse_module(f'def f():\n    """{doc}"""\n')
    return example_names(module.body[0])


def test_examples_read_module_names() -> None:
    assert {"partial", "add"} <= _names("\n    >>> partial(add, 1)(2)\n    3\n    ")


def test_names_an_earlier_example_binds_are_not_the_modules() -> None:
    doc = (
        "\n    >>> from functools import partial, reduce\n"
        "    >>> total = reduce(add, [1, 2])\n"
        "    >>> partial(add, total)(1)\n    4\n    "
    )
    found = _names(doc)
    assert "add" in found  # the module's
    assert not {"partial", "reduce", "total"} & found  # the examples' own
