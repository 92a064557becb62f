"""Commands, contexts and parameters."""

# isort: skip_file
# Import order matters: the modules run in the order of ``big.py``.
from .current import push_context, get_current_context, batch, repeat
from .base import DEFAULT_WIDTH, ParameterSource
from .command_strategies import F, Command, command
from .parameters import augment_usage_errors, Parameter, Option
from .context import Context

# Names that functions of these modules use but could not import (that import
# would be circular): every module is imported now, so they are handed over.
from . import current, context, command_strategies, parameters
current.Context = context.Context
command_strategies.Context = context.Context
parameters.Context = context.Context

__all__ = [
    "F", "DEFAULT_WIDTH", "push_context", "get_current_context",
    "ParameterSource", "batch", "repeat", "augment_usage_errors", "Context",
    "Parameter", "Option", "Command", "command",
]


# Names rebound with ``global`` are read live from the module that rebinds
# them.
def __getattr__(name):
    if name in ('_current',):
        import sys

        return getattr(sys.modules[__name__ + '.current'], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    names = set(globals())
    for name in ('_current',):
        try:
            __getattr__(name)
        except AttributeError:
            continue
        names.add(name)
    return sorted(names)


# Setting a name on this package (``pkg.big.NAME = ...``,
# ``monkeypatch.setattr``, ``mock.patch``) also sets it in the modules that
# read it, as when they were one module.
def _forward_assignments():
    import sys
    from types import ModuleType

    readers = {
        'DEFAULT_WIDTH': ('base', 'command_strategies', 'context'),
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
