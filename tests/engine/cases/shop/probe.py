import pickle
import pkg.big as shop
from pkg.big import *  # noqa: F403

cart = Cart(DiscountStrategy(10))
cart.add(Item("tea", 250, 2))
print(cart.checkout(), cart.describe(), Cart().checkout())
print(repr(shop.Currency.EUR), shop.Item.__module__, shop.log.name, shop.format_price(5))
ns = {}
exec("from pkg.big import *", ns)
print(pickle.loads(pickle.dumps(Item("x", 1))) == Item("x", 1), sorted(k for k in ns if k[0] != "_"))
