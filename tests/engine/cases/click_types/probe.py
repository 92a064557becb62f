import doctest
import inspect
import typing

import pkg.big as types
from pkg.big import INT, BadParameter, Path, convert_type

print(convert_type(int) is INT, convert_type(None, 1.5).name, types.BOOL.convert("Yes", None, None))
try:
    INT.convert("x", None, None)
except BadParameter as exc:
    print("bad:", exc)
print(Path().split_envvar_value("a:b"), inspect.getsource(Path).splitlines()[0])
print(typing.get_type_hints(Path.__init__), typing.get_type_hints(convert_type)["return"].__name__)
print(sum(len(t.examples) for t in doctest.DocTestFinder().find(types.IntParamType)))
