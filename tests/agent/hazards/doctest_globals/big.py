"""Text helpers; the examples in the docstrings are the documentation's tests."""

import functools
import re

WORD = re.compile(r"\w+")


def words(text):
    """The words of ``text``.

    >>> words("a b")
    ['a', 'b']
    """
    return WORD.findall(text)


def count_words(text):
    """How many words.

    >>> count_words("one two")
    2
    """
    return len(words(text))


class Slug:
    """A URL slug.

    >>> Slug("Hello World").value
    'hello-world'
    """

    def __init__(self, text):
        self.value = "-".join(w.lower() for w in words(text))

    def __str__(self):
        return self.value


def traced(func):
    """Count the calls of ``func``."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        wrapper.calls += 1
        return func(*args, **kwargs)

    wrapper.calls = 0
    return wrapper


@traced
def title(text):
    """Title case, built with the helpers of this module.

    >>> title("a b") == " ".join(w.capitalize() for w in words("a b"))
    True
    >>> str(Slug(title("x y")))
    'x-y'
    """
    return text.title()


def shout(text):
    """Upper case.

    >>> shout("hi")
    'HI'
    """
    return text.upper()


def whisper(text):
    return text.lower()
