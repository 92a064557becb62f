import doctest
import pkgutil
import importlib
import pkg.big as big
mods = [big] + [importlib.import_module("pkg.big." + m.name) for m in pkgutil.iter_modules(getattr(big, "__path__", []))]
results = {}
for mod in mods:
    for test in doctest.DocTestFinder().find(mod):
        if not test.examples:  # a docstring without examples tests nothing
            continue
        r = doctest.DocTestRunner().run(test, out=lambda s: None)
        results[test.name.rpartition(".")[2]] = tuple(r)
print(sorted(results.items()))
