"""``python -m orchestrator`` behaves exactly like the ``modularize`` command."""

from orchestrator.cli import main

if __name__ == "__main__":
    main()
