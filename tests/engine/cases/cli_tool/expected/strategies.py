"""The data_file and describe functions; the DATA_DIR constant."""

import os

from .utils import build_parser

# The file this code was written in: __file__-relative paths stay the same.
_modularized_from = __file__[: -len('/strategies.py')] + '.py'


DATA_DIR = os.path.join(os.path.dirname(_modularized_from), "data")


def data_file(name):
    return os.path.join(DATA_DIR, name)


def describe():
    return build_parser().description
