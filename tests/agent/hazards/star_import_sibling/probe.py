import pkg.big as big
c = big.fill(big.Canvas(2, 1))
print(big.colors_used(c), big.all_colors(), big.RED, big.brightest(big.all_colors()), big.DEFAULT.get(0, 0))
print(sorted(n for n in dir(big) if not n.startswith("_") and n.isupper()))
