"""Drawing on a canvas with the package's colours."""

from .consts import *


class Canvas:
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.pixels = {}

    def set(self, x, y, color=RED):
        self.pixels[(x, y)] = color

    def get(self, x, y):
        return self.pixels.get((x, y), BLUE)

    def count(self):
        return len(self.pixels)


def fill(canvas, color=GREEN):
    for x in range(canvas.width):
        for y in range(canvas.height):
            canvas.set(x, y, color)
    return canvas


def colors_used(canvas):
    return sorted(set(canvas.pixels.values()))


def all_colors():
    return palette()


def brightness(color):
    return sum(color) / 3


def brightest(colors):
    return max(colors, key=brightness)


def darkest(colors):
    return min(colors, key=brightness)


DEFAULT = Canvas(2, 2)
