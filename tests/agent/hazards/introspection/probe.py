import inspect
import typing

import pkg.big as big

t = big.Tree("t")
t.add("a")
print(big.describe(t), sorted(typing.get_type_hints(big.Node)))
hints = typing.get_type_hints(big.first)
# classes now name their new module in reprs (the report says so): compare them by name
print(inspect.getsource(big.describe).splitlines()[0], {k: v.__qualname__ for k, v in hints.items()})
print(inspect.getsource(big.Tree).splitlines()[0])
