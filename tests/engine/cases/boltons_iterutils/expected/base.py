# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""


try:
    from collections.abc import Iterable, Mapping, Sequence, Set
except ImportError:  # pragma: no cover
    from collections import Iterable, Mapping, Sequence, Set

_UNSET = object()

# Imported above for the package and its other modules, which import it from
# here.
__all__ = ['Iterable', 'Mapping', 'Sequence', 'Set']
