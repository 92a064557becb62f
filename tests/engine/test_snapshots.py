"""The import-surface checks name what failed and on which name (pure: snapshots as data)."""

from __future__ import annotations

import pytest

from modularize.agents.engine.snapshots import compare_snapshots, unstable_doctests


def _snap(names: dict, doctests: list | None = None, **extra: object) -> dict:
    snap = {"names": names, "star": sorted(n for n in names if not n.startswith("_")), **extra}
    if doctests is not None:
        snap["doctests"] = doctests
    return snap


def _list(items: list[str], digest: str) -> dict:
    return {"kind": "list", "qualname": None, "size": len(items), "items": digest, "preview": items}


def _cls(**checks: bool) -> dict:
    return {"kind": "class", "qualname": "Thing", **checks}


def _test(module: str, test: str, outcome: str) -> dict:
    return {"module": module, "test": test, "outcome": outcome}


@pytest.mark.parametrize(
    ("before", "after", "problems"),
    [
        pytest.param(
            _snap({"REG": _list(["<A>", "<B>"], "d1")}),
            _snap({"REG": _list(["<B>", "<A>"], "d2")}),
            [
                "pkg.big.REG: the content or order of its items differs after the split "
                "(it began ['<A>', '<B>'], now ['<B>', '<A>'])"
            ],
            id="registry-order",
        ),
        pytest.param(
            _snap({"REG": _list(["<A>"], "d1")}, unstable=["REG"]),
            _snap({"REG": _list(["<B>"], "d2")}),
            [],
            id="unstable-values-are-not-compared",
        ),
        pytest.param(
            _snap({"Thing": _cls(getsource=True, get_type_hints=True)}),
            _snap({"Thing": _cls(getsource=False, get_type_hints=False)}),
            [
                "inspect.getsource(pkg.big.Thing) fails after the split",
                "typing.get_type_hints(pkg.big.Thing) fails after the split",
            ],
            id="introspection-broken",
        ),
        pytest.param(
            _snap({"Thing": _cls(getsource=False)}),
            _snap({"Thing": _cls(getsource=False)}),
            [],
            id="failing-before-is-no-problem",
        ),
        pytest.param(
            _snap(
                {}, [_test("pkg.big", "f", "0 of 2 failed"), _test("pkg.big", "g", "0 of 1 failed")]
            ),
            _snap({}, [_test("pkg.big.utils", "f", "1 of 2 failed")]),
            [
                "doctest pkg.big.f: 0 of 2 failed before the split, 1 of 2 failed after",
                "doctest pkg.big.g is no longer collected after the split",
            ],
            id="doctest-outcome-and-collection",
        ),
        pytest.param(
            _snap({}, [_test("pkg.big", "f", "0 of 2 failed")]),
            _snap({}, [_test("pkg.big.utils", "f", "0 of 2 failed")]),
            [],
            id="doctest-moved-to-a-new-module",
        ),
        pytest.param(
            _snap({}, [_test("pkg.big", "f", "0 of 2 failed")]),
            _snap({}, [_test("pkg.big.utils", "f", "not run")]),
            [],
            id="doctest-out-of-time-is-not-compared",
        ),
        pytest.param(
            _snap({}, [_test("pkg.big", "Dict.sorted", "0 of 3 failed")]),
            _snap({}, [_test("pkg.big.utils", "_DictSorting.sorted", "0 of 3 failed")]),
            [],
            id="doctest-of-a-method-moved-into-a-mixin",
        ),
        pytest.param(
            _snap({}, [_test("pkg.big", "Dict.sorted", "0 of 3 failed")]),
            _snap({}, [_test("pkg.big.utils", "_DictSorting.sorted", "1 of 3 failed")]),
            ["doctest pkg.big.Dict.sorted: 0 of 3 failed before the split, 1 of 3 failed after"],
            id="doctest-in-a-mixin-still-compared",
        ),
    ],
)
def test_compare_snapshots(before: dict, after: dict, problems: list[str]) -> None:
    assert compare_snapshots("pkg.big", before, after, {"utils"}) == problems


def test_a_doctest_whose_outcome_varies_in_the_original_is_unstable() -> None:
    first = _snap({}, [_test("pkg.big", "now", "0 of 1 failed")])
    second = _snap({}, [_test("pkg.big", "now", "1 of 1 failed")])
    assert unstable_doctests("pkg.big", first, second) == ["now"]
