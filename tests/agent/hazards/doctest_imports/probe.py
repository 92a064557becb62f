import doctest
import importlib
import pkgutil

import pkg.big as big

modules = [big] + [
    importlib.import_module("pkg.big." + m.name) for m in pkgutil.iter_modules(getattr(big, "__path__", []))
]
# each docstring's examples run in the globals of the module that holds them
print(sorted((t.name.rsplit(".", 1)[-1], doctest.DocTestRunner().run(t, out=lambda s: None).failed)
             for m in modules for t in doctest.DocTestFinder().find(m) if t.examples and t.name.startswith(m.__name__ + ".") and t.name.count(".") == m.__name__.count(".") + 1 and getattr(m, t.name.rsplit(".", 1)[-1]).__module__ == m.__name__))
