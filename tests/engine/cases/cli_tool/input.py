#!/usr/bin/env python
"""A command-line tool that counts words."""
import argparse
import os
import sys

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
_cache = {}
verbose = False


def set_verbose(flag):
    global verbose
    verbose = flag


def read_words(path):
    if path in _cache:
        return _cache[path]
    with open(path) as handle:
        words = handle.read().split()
    _cache[path] = words
    return words


def count(path):
    words = read_words(path)
    if verbose:
        print("read", len(words), "words", file=sys.stderr)
    return len(words)


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


def data_file(name):
    return os.path.join(DATA_DIR, name)


def describe():
    return build_parser().description


if __name__ == "__main__":
    sys.exit(main())
