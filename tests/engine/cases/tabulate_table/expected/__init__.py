"""Pretty-print tabular data."""

from .base import MIN_PADDING as MIN_PADDING, Line as Line, DataRow as DataRow
from .build import (
    _DEFAULT_FLOATFMT as _DEFAULT_FLOATFMT,
    _DEFAULT_MISSINGVAL as _DEFAULT_MISSINGVAL, _format as _format,
    _build_row as _build_row, _build_line as _build_line,
)
from .formatting import simple_separated_format, tabulate
from .invisible import (
    PRESERVE_WHITESPACE as PRESERVE_WHITESPACE, _pipe_line as _pipe_line,
    _invisible_codes as _invisible_codes, _strip_invisible as _strip_invisible,
    _visible_width as _visible_width, _align_column as _align_column,
)
from .strategies import _main as _main
from .table import (
    TableFormat as TableFormat, _table_formats as _table_formats,
    tabulate_formats,
)

__all__ = ["tabulate", "tabulate_formats", "simple_separated_format"]


# Setting a name on this package (``pkg.big.NAME = ...``,
# ``monkeypatch.setattr``, ``mock.patch``) also sets it in the modules that
# read it, as when they were one module.
def _forward_assignments():
    import sys
    from types import ModuleType

    readers = {
        'PRESERVE_WHITESPACE': ('invisible',),
    }
    served = frozenset()
    package = __name__

    class Package(ModuleType):
        def __setattr__(self, name, value):
            if name not in served:
                super().__setattr__(name, value)
            for reader in readers.get(name, ()):
                setattr(sys.modules[f"{package}.{reader}"], name, value)

        def __delattr__(self, name):
            if name not in served:
                super().__delattr__(name)
            for reader in readers.get(name, ()):
                module = sys.modules[f"{package}.{reader}"]
                if name in vars(module):
                    delattr(module, name)

    sys.modules[package].__class__ = Package


_forward_assignments()
del _forward_assignments
