"""modularize: split oversized Python modules into small, focused packages.

Installed, the project is one import namespace, ``modularize``, with one dependency direction
(checked by ``tests/architecture/test_layers.py``, imports inside functions included):

    modularize.orchestrator.cli      the command line (Typer), the only user of the layers below
    modularize.orchestrator          scanning, planning, scheduling, state, git, ruff, reports
    modularize.agents                one module per agent type; the state store is passed in
    modularize.agents.engine         the pure split engine (LibCST): source text in, texts out
    modularize.agents.core           configuration, budgets, errors, line counting, discovery

``modularize.templates`` is data that any layer may read.
"""

__version__ = "0.1.0"
