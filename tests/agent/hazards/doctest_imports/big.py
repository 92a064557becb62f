"""Machines and timestamps (boltons timeutils' shape): an example reads an import that only
another definition's code uses."""

import time
from datetime import datetime, timezone


class Machine:
    """The machine the program runs on, as the program sees it."""

    def __init__(self, offset=0):
        self.offset = offset

    def now(self):
        return time.time() + self.offset

    def later(self, seconds):
        return self.now() + seconds

    def earlier(self, seconds):
        return self.now() - seconds

    def since(self, stamp):
        return self.now() - stamp

    def __repr__(self):
        return f"Machine(offset={self.offset})"


def to_timestamp(dt):
    """Seconds since the epoch of an aware datetime.

    >>> stamp = int(time.time())
    >>> stamp - to_timestamp(datetime.fromtimestamp(stamp, timezone.utc))
    0.0
    """
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (dt - epoch).total_seconds()
