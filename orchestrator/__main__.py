"""``python -m modularize`` behaves exactly like the ``modularize`` command."""

from modularize.orchestrator.cli import main

if __name__ == "__main__":
    main()
