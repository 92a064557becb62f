# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""The frange, is_scalar and first functions."""

import math

from .utils import is_iterable


def is_scalar(obj):
    """A nice(r) alternative to :func:`is_iterable`.

    >>> is_scalar('hello')
    True
    """
    return not is_iterable(obj) or isinstance(obj, (str, bytes))


# TODO: a windowed_iter that does not build tuples


def frange(stop, start=None, step=1.0):
    """A :func:`range` for floats.

    >>> frange(3.0)
    [0.0, 1.0, 2.0]
    """
    if start is None:
        start, stop = 0.0, stop * 1.0
    count = int(math.ceil((stop - start) / step))
    return [start + i * step for i in range(count)]


def first(iterable, default=None, key=None):
    """Return first element of *iterable* that evaluates true.

    >>> first([0, False, None, [], (), 42])
    42
    """
    return next(filter(key, iterable), default)
