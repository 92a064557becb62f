"""What the rest of the repository does with a module about to be split (``RepoUses``).

The engine keeps a name the module only imported (``os``, a typing name) when something reads
it through the module, and forwards assignments on the package only for names something sets
there. This module finds those uses: in Python files (``from pkg.big import X``, ``pkg.big.X``
through any alias, ``mock.patch("pkg.big.X")``, ``monkeypatch.setattr(big, "X", ...)``,
``pkg.big.X = ...``) and in the README and docs (``pkg.big.X``, ``from pkg.big import X``,
``big.X = ...``).
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from modularize.agents.core.config import Config
from modularize.agents.core.discovery import list_python_files, module_name_for
from modularize.agents.core.errors import SourceError
from modularize.agents.core.source import read_source
from modularize.agents.core.syntax import walk
from modularize.agents.engine.model import RepoUses

_DOC_SUFFIXES = (".md", ".rst", ".txt")
_PATCHERS = ("patch", "setattr", "delattr")  # call tails that set an attribute


_PROJECT_FILES = (".git", "pyproject.toml", "setup.py", "setup.cfg")


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding a project file (``.git``,
    ``pyproject.toml``, ``setup.py``, ``setup.cfg``): where its tests and docs are."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if any((folder / name).exists() for name in _PROJECT_FILES):
            return folder
    return here


def scan_repo_uses(root: Path, module: str, own_file: Path, run_root: Path) -> RepoUses:
    """Every use of ``module``'s names found under ``root`` outside ``own_file``. Patches
    in files outside ``run_root`` count as assignments: the run does not retarget them."""
    found = _Found()
    top, tail = module.partition(".")[0], module.rpartition(".")[2]
    own, run = own_file.resolve(), run_root.resolve()  # a resolve asks the file system
    for path in list_python_files([root], Config()):
        resolved = path.resolve()
        if resolved == own:
            continue
        try:
            text = read_source(path)
        except SourceError:
            continue
        if tail not in text:
            continue
        package = _package_of(path)
        # a read of __package__ counts whatever module it reads (see _scan_python)
        if top in text or _inside(package, top) or "__package__" in text:
            outside = not resolved.is_relative_to(run)
            patched = dict(found.patched)
            _scan_python(text, module, package, _rel(root, path), found)
            if outside:  # what this file patched must be forwarded instead
                for name in set(found.patched) - set(patched):
                    found.assigned.setdefault(name, found.patched.pop(name))
    for path in _doc_files(root):
        text = path.read_text(encoding="utf-8", errors="replace")
        if tail in text:
            _scan_doc(text, module, _rel(root, path), found)
    return found.result()


def uses_in_python(text: str, module: str, package: str | None = None) -> RepoUses:
    """The uses of ``module`` in one Python source (``scan_repo_uses`` for a single file)."""
    found = _Found()
    _scan_python(text, module, package, "<source>", found)
    return found.result()


class _Found:
    def __init__(self) -> None:
        self.read: set[str] = set()
        self.assigned: dict[str, str] = {}
        self.patched: dict[str, str] = {}
        self.package_read = ""
        self.shown: dict[str, str] = {}

    def result(self) -> RepoUses:
        return RepoUses(
            frozenset(self.read), self.assigned, self.patched, self.shown, self.package_read
        )


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(package: str | None, top: str) -> bool:
    """Is a file of ``package`` inside the top-level package ``top``? Only such a file can
    reach a module of ``top`` without naming ``top`` (by a relative import): the others are
    not parsed at all when their text names neither it nor ``__package__`` (most of a big
    repository's files)."""
    return package is not None and (package == top or package.startswith(top + "."))


def _package_of(path: Path) -> str | None:
    name, _ = module_name_for(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0] or None


def _doc_files(root: Path) -> list[Path]:
    docs = [p for p in root.iterdir() if p.is_file() and p.name.upper().startswith("README")]
    folder = root / "docs"
    if folder.is_dir():
        docs += [p for p in sorted(folder.rglob("*")) if p.suffix in _DOC_SUFFIXES]
    return [p for p in docs if p.is_file() and not p.is_symlink()]


def _scan_doc(text: str, module: str, rel: str, found: _Found) -> None:
    dotted = re.escape(module)
    for match in re.finditer(rf"(?<![\w.]){dotted}\.([A-Za-z_]\w*)", text):
        found.read.add(match.group(1))
    for match in re.finditer(rf"from {dotted} import \(?([\w\s,]+)", text):
        found.read.update(re.findall(r"\w+", match.group(1).split(" as ")[0]))
    tail = re.escape(module.rpartition(".")[2])
    assigned = rf"^\s*(?:>>> )?(?:{dotted}|{tail})\.([A-Za-z_]\w*)\s*=(?!=)"
    for match in re.finditer(assigned, text, re.MULTILINE):
        line = text.count("\n", 0, match.start()) + 1
        found.assigned.setdefault(match.group(1), f"{rel}:{line}: {match.group(0).strip()}")


class _Attribute(NamedTuple):
    """``owner.attr`` where ``owner`` is a dotted name, or any ``X.__package__``."""

    owner: str | None
    attr: str
    stores: bool  # assigned or deleted
    line: int
    package_of: str | None  # for ``X.__package__``: the first name of ``X``, as written


class _Patch(NamedTuple):
    """A call that may patch an attribute (``mock.patch``, ``monkeypatch.setattr``...)."""

    func: str
    target: str | None  # a string first argument
    owner: str | None  # else the dotted name of the first argument
    named: bool  # the second argument is a constant...
    name: object  # ...this one (made a string only when the owner is the module)
    line: int


class _String(NamedTuple):
    """A dotted string constant (only those can name ``pkg.big.X``)."""

    value: str
    line: int
    doc: bool  # a docstring-like statement: docs name paths, reprs show them


@dataclasses.dataclass(frozen=True)
class _Index:
    """What ``_scan_python`` reads of a file, in ``ast.walk`` order (the first use of a name
    found is the one reported): one parse of the file for every module a run splits. Records
    and the import statements, not the whole tree, so that a run can keep those of a whole
    repository."""

    imports: tuple[ast.Import | ast.ImportFrom, ...]
    uses: tuple[_Attribute | _Patch | _String, ...]
    imported: frozenset[str]  # first names bound by imports
    by_name: bool  # imports modules by name (``import_module(...)``)


_INDEXES: dict[bytes, _Index | None] = {}
_MAX_INDEXES = 20_000  # files; the records of 116,549 lines take 6.6 MiB


def _indexed(text: str) -> _Index | None:
    """The file's index (None when it does not parse), kept for the next split's scan: each
    file is scanned again for every module a run splits, always in the same order, so the
    first files indexed are kept (an LRU would evict each just before it is needed once a
    repository has more files than it holds). Shared: read-only."""
    key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if key in _INDEXES:
        return _INDEXES[key]
    index = _index(text)
    if len(_INDEXES) < _MAX_INDEXES:
        _INDEXES[key] = index
    return index


def _index(text: str) -> _Index | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    imports: list[ast.Import | ast.ImportFrom] = []
    uses: list[_Attribute | _Patch | _String] = []
    docs: set[int] = set()
    by_name = False
    for node in walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif isinstance(node, ast.Expr):
            docs.add(id(node.value))
        elif isinstance(node, ast.Attribute):
            owner = _dotted(node.value)
            if owner is not None or node.attr == "__package__":
                stores = isinstance(node.ctx, (ast.Store, ast.Del))
                first = None
                if node.attr == "__package__":
                    first = ast.unparse(node.value).split(".")[0]
                uses.append(_Attribute(owner, node.attr, stores, node.lineno, first))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "." in node.value:
                uses.append(_String(node.value, node.lineno, id(node) in docs))
        elif isinstance(node, ast.Call):
            dotted = _dotted(node.func) or ""
            if dotted.rpartition(".")[2] in _PATCHERS or dotted.endswith("patch.object"):
                uses.append(_patch(node, dotted))
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            by_name = by_name or name in ("import_module", "__import__")
    imported = frozenset((a.asname or a.name).partition(".")[0] for n in imports for a in n.names)
    return _Index(tuple(imports), tuple(uses), imported, by_name)


def _patch(node: ast.Call, func: str) -> _Patch:
    args = node.args
    first = args[0] if args else None
    target = first.value if isinstance(first, ast.Constant) else None
    second = args[1] if len(args) > 1 else None
    return _Patch(
        func,
        target if isinstance(target, str) else None,
        _dotted(first) if first is not None else None,
        isinstance(second, ast.Constant),
        second.value if isinstance(second, ast.Constant) else None,
        node.lineno,
    )


def _scan_python(text: str, module: str, package: str | None, rel: str, found: _Found) -> None:
    index = _indexed(text)
    if index is None:
        return
    aliases = _module_aliases(index.imports, module, package, found)
    for use in index.uses:
        if isinstance(use, _Attribute):
            if use.owner in aliases:
                found.read.add(use.attr)
                if use.stores:
                    where = f"{rel}:{use.line}: {use.owner}.{use.attr} = ..."
                    found.assigned.setdefault(use.attr, where)
            if use.package_of is not None and not found.package_read:
                # a read of an imported module's __package__ (tlz.curried.__package__), or any
                # in a loader mirroring modules (toolz's tlz imports them by name); that of
                # sys.modules["__main__"] (click: how Python was called) mirrors nothing
                if index.by_name or use.package_of in index.imported:
                    found.package_read = f"{rel}:{use.line}"
        elif isinstance(use, _Patch):
            _call(use, module, aliases, rel, found)
        else:
            name = _named_in(use.value, module)
            if name:
                found.read.add(name)
            if use.doc:  # docs name paths (``:class:`~pkg.big.X```), reprs show them
                continue
            for shown in _shown_in(use.value, module):
                found.shown.setdefault(shown, f"{rel}:{use.line}")


def _module_aliases(
    imports: Sequence[ast.Import | ast.ImportFrom], module: str, package: str | None, found: _Found
) -> dict[str, str]:
    """Local dotted prefixes that mean the module (``pkg.big``, ``big``, ``m``); names
    imported from it go to ``found.read``."""
    aliases: dict[str, str] = {}
    parent, _, tail = module.rpartition(".")
    for node in imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                _import_alias(alias, module, aliases)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, package)
            if source == module:
                found.read.update(a.name for a in node.names if a.name != "*")
            elif parent and source == parent:
                for alias in node.names:
                    if alias.name == tail:
                        aliases[alias.asname or tail] = module
    return aliases


def _import_alias(alias: ast.alias, module: str, aliases: dict[str, str]) -> None:
    """``import pkg`` / ``import pkg.other`` bind ``pkg``, so ``pkg.big.X`` reaches the module;
    ``import pkg.big as m`` makes ``m.X``, ``import pkg as p`` makes ``p.big.X``."""
    if alias.asname is None:
        root = alias.name.split(".")[0]
        if module == root or module.startswith(root + "."):
            aliases[module] = module
    elif alias.name == module:
        aliases[alias.asname] = module
    elif module.startswith(alias.name + "."):
        aliases[alias.asname + module[len(alias.name) :]] = module


def _absolute(node: ast.ImportFrom, package: str | None) -> str | None:
    if not node.level:
        return node.module
    if not package:
        return None
    parts = package.split(".")
    if node.level - 1 > len(parts) - 1:
        return None
    base = ".".join(parts[: len(parts) - (node.level - 1)])
    return f"{base}.{node.module}" if node.module else base


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    return ".".join([node.id, *parts]) if isinstance(node, ast.Name) else None


def _call(use: _Patch, module: str, aliases: dict[str, str], rel: str, found: _Found) -> None:
    where = f"{rel}:{use.line}: {use.func}(...)"
    if use.target is not None:
        name = _named_in(use.target, module)
        if name:
            found.patched.setdefault(name, where)
    elif use.owner in aliases and use.named:
        name = str(use.name)
        found.read.add(name)
        # builtin setattr(big, "X", v) is an assignment no rewrite can move to the reader
        target = found.assigned if use.func == "setattr" else found.patched
        target.setdefault(name, where)


def _shown_in(text: str, module: str) -> set[str]:
    """Names whose old dotted path ``text`` shows the way a repr or a traceback does
    (``<pkg.big.Tuple object``, ``<class 'pkg.big.X'>``, ``pkg.big.Error: ...`` at a line
    start), also written as a regex (``<pkg\\.big\\.Tuple``): output the repository matches."""
    if module not in text and re.escape(module) not in text:
        return set()
    found: set[str] = set()
    for path in (re.escape(module + "."), re.escape(re.escape(module + "."))):
        shown = rf"(?:(?<=<)|(?<=<class ')|(?<=^)){path}([A-Za-z_]\w*)(?:(?=[\s'>])|(?=: ))"
        found.update(m.group(1) for m in re.finditer(shown, text, re.MULTILINE))
    return found


def _named_in(text: str, module: str) -> str | None:
    """``X`` for ``"pkg.big.X"`` or ``"pkg.big.X.attr"``; None for anything else."""
    if not text.startswith(module + "."):
        return None
    name = text[len(module) + 1 :].split(".")[0]
    return name if name.isidentifier() else None
