import doctest
import inspect

import pkg.big as filters
from pkg.big import FILTERS, pass_context

print(sorted(FILTERS), FILTERS["title"]("hi there"), filters.do_sort(["b", "A"]))
print(list(filters.do_batch(range(5), 2)), filters.do_groupby([{"a": 1}], "x"), pass_context(1))
print(inspect.getsource(filters.do_round).splitlines()[0])
print(sum(len(doctest.DocTestFinder().find(f)[0].examples) for f in (filters.do_upper, filters.do_round)))
