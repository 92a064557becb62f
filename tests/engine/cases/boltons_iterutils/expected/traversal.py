# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""remap: recursively transform a nested structure."""


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

# Imported above for the package and its other modules, which import it from
# here.
__all__ = ['Iterable']
