"""Caches, and decorators that use them (boltons cacheutils' shape)."""


class LRU(dict):
    """A dict that keeps at most ``max_size`` items, dropping the oldest."""

    def __init__(self, max_size=4):
        super().__init__()
        self.max_size = max_size

    def __setitem__(self, key, value):
        if key not in self and len(self) >= self.max_size:
            del self[next(iter(self))]
        super().__setitem__(key, value)


def cached(cache):
    """Memoize a function in ``cache``.

    >>> calls = []
    >>> @cached(LRU(max_size=2))
    ... def double(x):
    ...     calls.append(x)
    ...     return x * 2
    >>> double(3), double(3), calls
    (6, 6, [3])
    """

    def decorator(func):
        def wrapper(*args):
            if args not in cache:
                cache[args] = func(*args)
            return cache[args]

        return wrapper

    return decorator
