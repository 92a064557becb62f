import inspect
import typing

import pkg.big as big

t = big.Tree("t")
t.add("a")
print(big.describe(t), sorted(typing.get_type_hints(big.Node)))
print(inspect.getsource(big.describe).splitlines()[0], typing.get_type_hints(big.first))
