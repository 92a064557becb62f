"""Functions for text: read_words."""


_cache = {}


def read_words(path):
    if path in _cache:
        return _cache[path]
    with open(path) as handle:
        words = handle.read().split()
    _cache[path] = words
    return words
