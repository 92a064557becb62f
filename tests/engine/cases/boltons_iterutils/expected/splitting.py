# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Functions for splitting and stripping: split_iter and split."""

from .utils import is_iterable


def split(src, sep=None, maxsplit=None):
    """Split an iterable on a separator.

    >>> split(['hi', 'hello', None, None, 'sup', None])
    [['hi', 'hello'], ['sup']]
    """
    return list(split_iter(src, sep, maxsplit))


def split_iter(src, sep=None, maxsplit=None):
    if not is_iterable(src):
        raise TypeError('expected an iterable')
    if maxsplit is not None:
        maxsplit = int(maxsplit)
        if maxsplit == 0:
            yield [src]
            return
    sep_func = sep if callable(sep) else (lambda x: x in (None,) if sep is None else x == sep)
    cur_group, split_count = [], 0
    for s in src:
        if maxsplit is not None and split_count >= maxsplit:
            sep_func = lambda x: False  # noqa: E731
        if sep_func(s):
            if sep is None and not cur_group:
                continue
            split_count += 1
            yield cur_group
            cur_group = []
        else:
            cur_group.append(s)
    if cur_group or sep is not None:
        yield cur_group
