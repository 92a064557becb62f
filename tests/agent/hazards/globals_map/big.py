"""Command handlers; ``COMMANDS`` maps each command name to its handler."""

import sys


def cmd_status(args):
    """Show the status."""
    return "status " + " ".join(args)


def cmd_push(args):
    """Push changes."""
    return "push " + " ".join(args)


def cmd_pull(args):
    """Pull changes."""
    return "pull " + " ".join(args)


def cmd_log(args):
    """Show the log."""
    return "log"


COMMANDS = {name[4:]: func for name, func in globals().items() if name.startswith("cmd_")}


def run(argv):
    """Run the command named by argv[0]."""
    name, *args = argv
    handler = COMMANDS.get(name)
    if handler is None:
        return "unknown command " + name
    return handler(args)


def usage():
    return "commands: " + ", ".join(sorted(COMMANDS))


class Shell:
    def __init__(self, out=sys.stdout):
        self.out = out

    def one(self, line):
        return run(line.split())

    def many(self, lines):
        return [self.one(line) for line in lines]

    def help(self):
        return usage()
