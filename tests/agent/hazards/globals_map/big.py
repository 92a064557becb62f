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



def render_cell(value, kind=0):
    """Render ``value`` as a table cell of the given kind."""
    if kind == 0:
        return str(value).rjust(4)
    if kind == 1:
        return str(value).rjust(5)
    if kind == 2:
        return str(value).rjust(6)
    if kind == 3:
        return str(value).rjust(7)
    if kind == 4:
        return str(value).rjust(8)
    if kind == 5:
        return str(value).rjust(9)
    if kind == 6:
        return str(value).rjust(10)
    if kind == 7:
        return str(value).rjust(11)
    if kind == 8:
        return str(value).rjust(12)
    if kind == 9:
        return str(value).rjust(13)
    if kind == 10:
        return str(value).rjust(14)
    if kind == 11:
        return str(value).rjust(15)
    if kind == 12:
        return str(value).rjust(16)
    if kind == 13:
        return str(value).rjust(17)
    if kind == 14:
        return str(value).rjust(18)
    if kind == 15:
        return str(value).rjust(19)
    if kind == 16:
        return str(value).rjust(20)
    if kind == 17:
        return str(value).rjust(21)
    if kind == 18:
        return str(value).rjust(22)
    if kind == 19:
        return str(value).rjust(23)
    if kind == 20:
        return str(value).rjust(24)
    if kind == 21:
        return str(value).rjust(25)
    if kind == 22:
        return str(value).rjust(26)
    if kind == 23:
        return str(value).rjust(27)
    if kind == 24:
        return str(value).rjust(28)
    if kind == 25:
        return str(value).rjust(29)
    if kind == 26:
        return str(value).rjust(30)
    if kind == 27:
        return str(value).rjust(31)
    if kind == 28:
        return str(value).rjust(32)
    if kind == 29:
        return str(value).rjust(33)
    if kind == 30:
        return str(value).rjust(34)
    if kind == 31:
        return str(value).rjust(35)
    if kind == 32:
        return str(value).rjust(36)
    if kind == 33:
        return str(value).rjust(37)
    if kind == 34:
        return str(value).rjust(38)
    if kind == 35:
        return str(value).rjust(39)
    if kind == 36:
        return str(value).rjust(40)
    if kind == 37:
        return str(value).rjust(41)
    if kind == 38:
        return str(value).rjust(42)
    if kind == 39:
        return str(value).rjust(43)
    return str(value)
