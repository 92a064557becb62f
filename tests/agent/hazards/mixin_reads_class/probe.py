import doctest
import importlib
import pkgutil

from pkg import big

r = big.build([3, 1, 2])
print(r.to_sorted(), r.copy() == r, r.merged(r.copy()).to_tuple(), r.kinds())
print(r.visit_name("x").to_list(), type(r.copy()).__name__)
mods = [big] + [
    importlib.import_module(f"pkg.big.{m.name}") for m in pkgutil.iter_modules(getattr(big, "__path__", []))
]
results = [doctest.testmod(m) for m in mods]  # the examples run where their method now is
print(sum(r.failed for r in results), sum(r.attempted for r in results))
