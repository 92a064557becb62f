"""The engine's fixed vocabularies: what a top-level statement is (``Kind``), and when a
statement reads a top-level name (``Edge``).

Members are strings too (``Edge.IMPORT == "I"``), so analyses stay JSON- and pickle-friendly;
order them with :attr:`Edge.rank` or :func:`stronger`, never by comparing the letters.
"""

from __future__ import annotations

import enum


class Kind(str, enum.Enum):
    """What a top-level statement is, decided by ``statements.classify``; where it goes."""

    DOC = "doc"  # the module docstring: stays in __init__
    FUTURE = "future"  # ``from __future__ import ...``: repeated in every module
    IMPORT = "import"  # a plain import line: recomputed per module
    TYPING = "typing"  # ``if TYPE_CHECKING:`` imports: recomputed per module, under it
    MAIN = "main"  # ``if __name__ == "__main__":``: __main__.py
    ALL = "all"  # ``__all__ = ...``: stays in __init__, verbatim
    ALL_UPDATE = "allupdate"  # only literal ``__all__`` updates: __init__, verbatim
    INIT = "init"  # module ``__getattr__``/``__dir__``: __init__ (PEP 562 hooks of the package)
    CODE = "code"  # everything else: grouped into units and moved

    def __str__(self) -> str:
        return self.value


class Edge(str, enum.Enum):
    """How a statement reads a name, weakest first."""

    TYPING = "T"  # may not exist at run time, read only in annotations: TYPE_CHECKING import
    ANNOTATION = "A"  # read only in an annotation that is not evaluated at import time
    CALL = "C"  # read inside a function or lambda body
    IMPORT = "I"  # read while the module executes (bases, decorators, defaults, module code)
    IMPORT_CALL = "X"  # called at import time: what the callee reads is read at import too

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """Strength of the edge: a stronger edge needs the name earlier."""
        return _RANK[self]

    @property
    def at_import(self) -> bool:
        """The name must exist while the reading module is being imported."""
        return self in (Edge.IMPORT, Edge.IMPORT_CALL)


_RANK = {kind: rank for rank, kind in enumerate(Edge)}


def stronger(old: Edge | None, new: Edge) -> Edge:
    """The stronger of two edges to the same name (``old`` None: none yet)."""
    return new if old is None or new.rank > old.rank else old
