import pathlib
import pkg.big as tool

pathlib.Path("words.txt").write_text("a b c\n")
tool.set_verbose(True)
print(tool.verbose, tool.count("words.txt"), tool.describe())
print(tool.data_file("x").endswith("pkg/data/x"), "verbose" in dir(tool))
