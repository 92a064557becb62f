import pkg.big as tab
from pkg.big import *  # noqa: F403

print(tabulate_formats, sorted(k for k in dir() if not k.startswith("_")))
print(tabulate([["x ", 1.5]], tablefmt="pipe"))
tab.PRESERVE_WHITESPACE = True  # as the README documents
print(repr(tab.tabulate([[" x ", 1]])))
