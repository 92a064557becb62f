import pkg.big as big
print(list(big.COMMANDS), big.run(["push", "a"]), big.Shell().many(["log", "x"]), big.usage())
