"""A tree of nodes; the annotations are read by a serializer at run time."""

from __future__ import annotations

import dataclasses
import typing


@dataclasses.dataclass
class Node:
    name: str
    owner: typing.Optional[Tree] = None

    def path(self) -> str:
        return self.name if self.owner is None else self.owner.name + "/" + self.name


class Tree:
    """Holds nodes."""

    EMPTY = Node("")

    def __init__(self, name: str) -> None:
        self.name = name
        self.nodes: list[Node] = []

    def add(self, name: str) -> Node:
        node = Node(name, self)
        self.nodes.append(node)
        return node

    def names(self) -> list[str]:
        return [n.name for n in self.nodes]

    def paths(self) -> list[str]:
        return [n.path() for n in self.nodes]


def fields_of(cls) -> dict:
    return typing.get_type_hints(cls)


def describe(tree: Tree) -> str:
    return ", ".join(tree.paths())


def first(tree: Tree) -> Node:
    return tree.nodes[0]
