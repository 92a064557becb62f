"""``python -m modularize`` behaves exactly like the ``modularize`` command, whose entry point
this is. It loads the CLI only when called: every worker of a parallel run imports the
command's script again as it starts (multiprocessing's main-module fix-up), and with it this
module, which must stay cheap to import."""


def main() -> None:
    """Run the CLI (``orchestrator/cli.py``); it ends the process."""
    from modularize.orchestrator.cli import main as run

    run()


if __name__ == "__main__":
    main()
