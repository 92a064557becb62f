import pkg.big as big

order = big.Order([big.LineItem(big.Product("pen", big.Money(3)), 2)], big.Money(1))
print(order.total(), [f.name for f in big.dataclasses.fields(big.Order)])
# a dataclass's generated __doc__ names the classes' modules: what it describes must not change
print(big.Order.__doc__.replace("pkg.big.", "").split("(")[0])
