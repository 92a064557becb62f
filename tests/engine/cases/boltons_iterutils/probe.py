import doctest
import importlib
import pkgutil

import pkg.big as iterutils
from pkg.big import chunked, remap, split

print(split(["a", None, "b"]), chunked("abcde", 2, fill="-"), remap({"x": (1, 2)}))
print(iterutils.first([0, 3]), iterutils.flatten([[1], [[2]]]), iterutils.frange(1, 0, 0.5))
mods = [iterutils] + [importlib.import_module(f"pkg.big.{m.name}") for m in pkgutil.iter_modules(getattr(iterutils, "__path__", []))]
finder = doctest.DocTestFinder()
tests = [t for m in mods for t in finder.find(m)]
print(sum(len(t.examples) for t in tests))
runner = doctest.DocTestRunner()
for test in tests:
    runner.run(test)
print(runner.summarize(verbose=False))
