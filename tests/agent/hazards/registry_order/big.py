"""Event handlers and value types, registered at import time in the order they are tried."""

import dataclasses

HANDLERS = []


def register(cls):
    """Add a class to the registry; the first that accepts an event wins."""
    HANDLERS.append(cls)
    return cls


@register
class ClickHandler:
    def on_click(self, event):
        return "click"

    def accepts(self, event):
        return event == "click"


def dispatch(event):
    for cls in HANDLERS:
        if hasattr(cls, "accepts") and cls().accepts(event):
            return cls.__name__
    return None


def dispatch_all(events):
    return [dispatch(e) for e in events]


@register
@dataclasses.dataclass
class Point:
    x: int = 0
    y: int = 0


def handler_names():
    return [cls.__name__ for cls in HANDLERS]


def first_handler():
    return handler_names()[0]


class KeyHandler:
    def on_key(self, event):
        return "key"

    def accepts(self, event):
        return True


register(KeyHandler)
