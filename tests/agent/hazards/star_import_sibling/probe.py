import pkg.big as big
c = big.fill(big.Canvas(2, 1))
print(big.colors_used(c), big.all_colors(), big.RED, big.brightest(big.all_colors()), big.DEFAULT.get(0, 0))
print(big.GREEN, big.BLUE)  # names the star import bound, used through the module
