"""A command-line tool that counts words."""

import argparse

from .verbose_utils import count, set_verbose


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    set_verbose(args.verbose)
    print(count(args.path))
    return 0
