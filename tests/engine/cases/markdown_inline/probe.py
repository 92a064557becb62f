import inspect
import typing

import pkg.big as inline

reg = inline.build_inlinepatterns(None)
print([(p, n, type(i).__name__) for p, n, i in reg.items])
m = reg.items[1][2].compiled_re.match("a **b&c** d")
el = reg.items[1][2].handleMatch(m)
print(el.tag, el.text, inline.dequote('"q"'), inline.EmStrongItem._fields)
print(sorted(typing.get_type_hints(inline.SimpleTagPattern.handleMatch)))
print(inspect.getsource(inline.Pattern.type).strip().splitlines()[0])
