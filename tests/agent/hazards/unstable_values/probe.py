import pkg.big as big
q = big.Queue()
q.add(big.Job("a"))
q.add(big.Job("b", retries=1))
print(q.names(), big.run_all(q, lambda n: n == 2), big.RETRIES, len(big.RUN_ID))
print(big.tag("x").startswith("x@"), big.lookup({"k": 1}, "k"))
