# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Iteration helpers that the standard library does not have."""

import itertools
import math

try:
    from collections.abc import Iterable, Mapping, Sequence, Set
except ImportError:  # pragma: no cover
    from collections import Iterable, Mapping, Sequence, Set

_UNSET = object()


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


def is_scalar(obj):
    """A nice(r) alternative to :func:`is_iterable`.

    >>> is_scalar('hello')
    True
    """
    return not is_iterable(obj) or isinstance(obj, (str, bytes))


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
