# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from .base import Iterable


def is_iterable(obj):
    """Similar in nature to :func:`callable`.

    >>> is_iterable([])
    True
    >>> is_iterable(object())
    False
    """
    try:
        iter(obj)
    except TypeError:
        return False
    return True


def flatten_iter(iterable):
    for item in iterable:
        if isinstance(item, Iterable) and not isinstance(item, (str, bytes)):
            yield from flatten_iter(item)
        else:
            yield item
