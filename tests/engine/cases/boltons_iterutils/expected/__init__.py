# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Iteration helpers that the standard library does not have."""

from .combining import flatten, flatten_iter
from .grouping import _UNSET as _UNSET, chunked, chunked_iter
from .splitting import split, split_iter
from .strategies import is_scalar, frange, first
from .traversal import remap
from .utils import is_iterable

__all__ = [
    'is_iterable', 'is_scalar', 'split', 'split_iter', 'chunked',
    'chunked_iter', 'frange', 'remap', 'first', 'flatten', 'flatten_iter',
]
