"""A record of visited values whose methods build new records by the class's name."""


class Record:
    """Visited values, in order."""

    def __init__(self, items=()):
        self.items = list(items)

    def __repr__(self):
        return f"Record({self.items!r})"

    def __eq__(self, other):
        return isinstance(other, Record) and self.items == other.items

    def copy(self):
        return Record(self.items)

    def merged(self, other):
        """A new record with both.

        >>> Record([("a", 1)]).merged(Record()).items
        [('a', 1)]
        """
        return Record(self.items + other.items)

    def kinds(self):
        """The kinds seen.

        >>> Record([("a", 1)]).kinds()
        ['a']
        """
        return [k for k, _ in self.items]

    def visit_name(self, value):
        """Record a name."""
        self.items.append(("name", value))
        return self

    def visit_number(self, value):
        """Record a number."""
        self.items.append(("number", value))
        return self

    def visit_string(self, value):
        """Record a string."""
        self.items.append(("string", value))
        return self

    def visit_list(self, value):
        """Record a list."""
        self.items.append(("list", value))
        return self

    def visit_dict(self, value):
        """Record a dict."""
        self.items.append(("dict", value))
        return self

    def visit_call(self, value):
        """Record a call."""
        self.items.append(("call", value))
        return self

    def visit_attr(self, value):
        """Record a attr."""
        self.items.append(("attr", value))
        return self

    def visit_const(self, value):
        """Record a const."""
        self.items.append(("const", value))
        return self

    def visit_slice(self, value):
        """Record a slice."""
        self.items.append(("slice", value))
        return self

    def visit_lambda(self, value):
        """Record a lambda."""
        self.items.append(("lambda", value))
        return self

    def visit_yield(self, value):
        """Record a yield."""
        self.items.append(("yield", value))
        return self

    def visit_await(self, value):
        """Record a await."""
        self.items.append(("await", value))
        return self

    def visit_starred(self, value):
        """Record a starred."""
        self.items.append(("starred", value))
        return self

    def to_list(self):
        """The items as list."""
        return list(v for _, v in self.items)

    def to_tuple(self):
        """The items as tuple."""
        return tuple(v for _, v in self.items)

    def to_set(self):
        """The items as set."""
        return set(v for _, v in self.items)

    def to_frozenset(self):
        """The items as frozenset."""
        return frozenset(v for _, v in self.items)

    def to_sorted(self):
        """The items as sorted."""
        return sorted(v for _, v in self.items)

    def to_reversed(self):
        """The items as reversed."""
        return reversed(v for _, v in self.items)


def build(values):
    record = Record()
    for value in values:
        record.visit_number(value)
    return record
