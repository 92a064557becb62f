# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Functions for combining sequences: flatten and flatten_iter."""

from .traversal import Iterable


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
