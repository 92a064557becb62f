# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""The remap, first, flatten and flatten_iter functions; the Iterable name.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""


try:
    from collections.abc import Iterable, Mapping, Sequence, Set
except ImportError:  # pragma: no cover
    from collections import Iterable, Mapping, Sequence, Set


def remap(root, visit=lambda p, k, v: (k, v)):
    """Recursively transform a nested structure.

    >>> remap({'a': [1, {'b': 2}]}, lambda p, k, v: (k, v * 10 if isinstance(v, int) else v))
    {'a': [1, {'b': 20}]}
    """
    if isinstance(root, Mapping):
        pairs = (visit((), k, remap(v, visit)) for k, v in root.items())
        return dict(p for p in pairs if p)
    if isinstance(root, (Sequence, Set)) and not isinstance(root, str):
        return type(root)(remap(v, visit) for v in root)
    return root


def first(iterable, default=None, key=None):
    """Return first element of *iterable* that evaluates true.

    >>> first([0, False, None, [], (), 42])
    42
    """
    return next(filter(key, iterable), default)


def flatten(iterable):
    """``flatten()`` returns a collapsed list of all the elements.

    >>> flatten([[1, 2], [3, [4]]])
    [1, 2, 3, 4]
    """
    return list(flatten_iter(iterable))


def flatten_iter(iterable):
    for item in iterable:
        if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
            yield from flatten_iter(item)
        else:
            yield item
