# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Functions for grouping and partitioning: chunked_iter and chunked."""

import itertools

from .utils import is_iterable


_UNSET = object()


def chunked(src, size, count=None, **kw):
    """Returns a list of *count* chunks, each with *size* elements.

    >>> chunked(range(10), 3)
    [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    """
    chunk_iter = chunked_iter(src, size, **kw)
    if count is None:
        return list(chunk_iter)
    return list(itertools.islice(chunk_iter, count))


def chunked_iter(src, size, **kw):
    if not is_iterable(src):
        raise TypeError('expected an iterable')
    size = int(size)
    if size <= 0:
        raise ValueError('expected a positive integer chunk size')
    fill_val = kw.pop('fill', _UNSET)
    src_iter = iter(src)
    while True:
        cur_chunk = list(itertools.islice(src_iter, size))
        if not cur_chunk:
            break
        if fill_val is not _UNSET and len(cur_chunk) < size:
            cur_chunk += [fill_val] * (size - len(cur_chunk))
        yield cur_chunk
