"""Constants shared by the package."""

__all__ = ["RED", "GREEN", "BLUE", "palette"]

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
_HIDDEN = "not exported"


def palette():
    return [RED, GREEN, BLUE]
