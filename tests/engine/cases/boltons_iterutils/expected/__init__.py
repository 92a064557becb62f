# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Iteration helpers that the standard library does not have."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from .base import (
    Iterable as Iterable, Mapping as Mapping, Sequence as Sequence, Set as Set,
    _UNSET as _UNSET,
)
from .utils import is_iterable as is_iterable, flatten_iter as flatten_iter
from .strategies_split_iter import (
    is_scalar as is_scalar, split as split, split_iter as split_iter,
)
from .strategies_chunked_iter import (
    chunked as chunked, chunked_iter as chunked_iter, frange as frange,
)
from .strategies_remap import (
    remap as remap, first as first, flatten as flatten,
)

__all__ = [
    'Iterable', 'Mapping', 'Sequence', 'Set', 'is_iterable', 'is_scalar',
    'split', 'split_iter', 'chunked', 'chunked_iter', 'frange', 'remap',
    'first', 'flatten', 'flatten_iter',
]
