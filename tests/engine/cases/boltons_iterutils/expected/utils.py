# -*- coding: utf-8 -*-
# Copyright (c) 2013, Example Authors
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the conditions are met.
"""Helpers shared by the other modules: is_iterable."""


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
