import pkg.big as big
big.configure("example.org", 8080)
print(big.host, big.port, big.Client().address())
