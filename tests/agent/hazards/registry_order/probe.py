import pkg.big as big
print(big.handler_names(), big.dispatch_all(["click", "x"]))
