import inspect
import typing

import pkg.big as core
from pkg.big import Command, Context, Option, get_current_context

cmd = Command("greet", lambda name: f"hi {name} in {get_current_context().info_name}", [Option("name", default="you")])
print(cmd.main({}), get_current_context(silent=True))
ctx = cmd.make_context({"name": "x"})
print(ctx.get_parameter_source("name"), ctx.terminal_width)
core.DEFAULT_WIDTH = 16  # setting a documented default on the module
print(Context(cmd).terminal_width, cmd.main({}))
print(inspect.getsource(Context).splitlines()[0], core.batch([1, 2, 3, 4], 2))
print(sorted(typing.get_type_hints(Context.__init__)), sorted(typing.get_type_hints(Command.make_context)))
