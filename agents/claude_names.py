"""Claude's module names and one-line docstrings, checked like the rest of its proposal."""

from __future__ import annotations

import keyword
from typing import Any

from modularize.agents.engine.docstrings import safe_doc

_DOC_LIMIT = 100  # characters of a module's one-line docstring


class ProposalRejected(Exception):
    """Claude's plan cannot be used; ``reason`` says why, for the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def name_problem(name: str, taken: set[str]) -> str | None:
    """Why ``name`` cannot be a new module's name, or None when it can."""
    if any(sep in name for sep in ("/", "\\", ".")) or name in ("", "..") or "\0" in name:
        return f"module name {name!r} contains a path separator or dot"
    if not name.isidentifier() or not name.isascii():
        return f"module name {name!r} is not an ASCII Python identifier"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"module name {name!r} is a Python keyword"
    if name.startswith("__") and name.endswith("__"):
        return f"module name {name!r} is a dunder name"
    if name in taken:
        return f"module name {name!r} is already bound in the original module or package"
    if name.rstrip("0123456789") != name and name.rstrip("0123456789").endswith("_"):
        return f"module name {name!r} is numbered: name it for what it holds"
    return None


def check_names(names: list[str], taken: set[str]) -> None:
    """Every proposed module name usable, and no two that a case-insensitive file system
    would merge."""
    folded: dict[str, str] = {}
    for name in names:
        problem = name_problem(name, taken)
        if problem:
            raise ProposalRejected(problem)
        if name.lower() in folded:  # case-insensitive file systems would merge them
            raise ProposalRejected(f"module names {folded[name.lower()]!r} and {name!r} collide")
        folded[name.lower()] = name


def proposal_docs(tool_input: Any) -> dict[str, str]:
    """Module name -> the one-line docstring Claude wrote for it (optional; when missing the
    engine describes the module). A line that is empty, long, several lines, repeated or
    that would break out of a docstring is rejected."""
    docs: dict[str, str] = {}
    for mod in tool_input["modules"]:
        doc = mod.get("doc")
        if doc is None:
            continue
        name = mod["name"]
        if not isinstance(doc, str) or not doc.strip() or "\n" in doc.strip():
            raise ProposalRejected(f"module {name!r}: its doc must be one line of text")
        doc = doc.strip()
        if len(doc) > _DOC_LIMIT or not safe_doc(doc):
            raise ProposalRejected(
                f"module {name!r}: its doc must be plain text under {_DOC_LIMIT} characters"
            )
        if doc in docs.values():
            raise ProposalRejected(f"module {name!r}: its doc repeats another module's")
        docs[name] = doc if doc.endswith((".", "!", "?")) else doc + "."
    return docs
