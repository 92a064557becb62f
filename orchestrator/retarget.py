"""Retarget patch strings across the repository after a split (the pure rewrite is the
engine's ``retarget_source``): the one pass of a run that reads and writes files beyond the
split ones."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from modularize.agents.apply import atomic_write_text
from modularize.agents.core.config import Config
from modularize.agents.core.discovery import list_python_files, module_name_for
from modularize.agents.core.errors import SourceError
from modularize.agents.core.source import read_source
from modularize.agents.engine.retarget import Lookups, call_time_globals, retarget_source


@dataclasses.dataclass(frozen=True)
class RetargetResult:
    changed: dict[str, str]  # root-relative POSIX path -> new text
    notes: tuple[str, ...]  # "path:line: cannot retarget patch of pkg.big.X: read in ..."


def build_lookups(
    mapping: Mapping[str, Mapping[str, str]],
    sources: Mapping[str, str],
    forwarded: Mapping[str, frozenset[str]] | None = None,
) -> Lookups:
    """Who looks up what: ``mapping`` is {old module: {name: defining module}} (results'
    ``locations``), ``sources`` the text of each module of the new packages by dotted name.
    Names the new ``__init__`` forwards (``forwarded``, {old module: names}, the results'
    ``forwarded``) map to no reader: their patches already work."""
    lookups: dict[str, dict[str, frozenset[str]]] = {}
    for old, names in mapping.items():
        modules = sorted({old, *names.values()} & set(sources))
        reads = {m: call_time_globals(sources[m]) for m in modules}
        every = set(names).union(*reads.values()) if reads else set(names)
        passed = (forwarded or {}).get(old, frozenset())
        lookups[old] = {
            n: frozenset() if n in passed else frozenset(m for m in modules if n in reads[m])
            for n in every
        }
    return lookups


def retarget_repo(
    root: str | Path,
    mapping: Mapping[str, Mapping[str, str]],
    dry_run: bool,
    overlay: Mapping[str, str | None] | None = None,
    forwarded: Mapping[str, frozenset[str]] | None = None,
) -> RetargetResult:
    """Retarget patches in every .py file of the repository at ``root`` (git, or a walk).

    ``mapping`` is {old module: {name: defining module}}; ``overlay`` holds the files of a dry
    run ({root-relative path: text, or None when deleted}) that are not on disk;
    ``forwarded`` the names each new package forwards (left alone). Files are
    rewritten in place unless ``dry_run``; the result holds every changed text either way.
    """
    from modularize.agents.core.errors import SourceError

    top = Path(root).resolve()
    files = _RepoFiles(top, dict(overlay or {}))
    located = files.locate(mapping)
    skip = set(located.values())
    # Reading the new modules is needed only if some file may patch.
    texts = {
        rel: text
        for rel in files.listing
        if rel not in skip
        and (text := _read_or_none(files, rel)) is not None
        and _may_patch(text, mapping)
    }
    if not texts:
        return RetargetResult(changed={}, notes=())
    # Only the old modules some file may name: a file reaches no other (retarget_source).
    named = {
        old: names
        for old, names in mapping.items()
        if any(old.rpartition(".")[2] in text for text in texts.values())
    }
    wanted = {m for old, names in named.items() for m in (old, *names.values())}
    sources = {m: files.read(rel) for m, rel in located.items() if m in wanted}
    lookups = build_lookups(named, sources, forwarded)
    changed: dict[str, str] = {}
    notes: list[str] = []
    for rel, text in texts.items():
        try:
            new, found = retarget_source(text, lookups, _package_of(top / rel))
        except SourceError:
            continue  # not ours to judge: a file we cannot parse holds no patch we can move
        notes += [f"{rel}:{n.line}: {n.message}" for n in found]
        if new != text:
            changed[rel] = new
            if not dry_run:
                atomic_write_text(top / rel, new)
    return RetargetResult(changed=changed, notes=tuple(notes))


def _read_or_none(files: _RepoFiles, rel: str) -> str | None:

    try:
        return files.read(rel)
    except SourceError:
        return None


def _may_patch(text: str, mapping: Mapping[str, Mapping[str, str]]) -> bool:
    """A cheap text test: could ``text`` patch or set an attribute through an old module?"""
    if "patch" not in text and "setattr" not in text and "delattr" not in text:
        return False
    return any(old.rpartition(".")[2] in text for old in mapping)


class _RepoFiles:
    """The repository's .py files as the run left them (disk, overlaid by a dry run's files)."""

    def __init__(self, top: Path, overlay: dict[str, str | None]) -> None:

        self.top, self.overlay = top, overlay
        on_disk = {p.relative_to(top).as_posix() for p in list_python_files([top], Config())}
        added = {rel for rel, text in overlay.items() if text is not None}
        gone = {rel for rel, text in overlay.items() if text is None}
        self.listing = sorted((on_disk | added) - gone)

    def read(self, rel: str) -> str:

        text = self.overlay.get(rel)
        return text if text is not None else read_source(self.top / rel)

    def locate(self, mapping: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
        """Dotted module -> file, for each old module (now a package) and its submodules."""
        found: dict[str, str] = {}
        listed = set(self.listing)
        for old, names in mapping.items():
            where = self._package_base(old.split("."), listed)
            if where is None:
                continue
            base, inside = where
            for module in {old, *names.values()}:
                stem = base.joinpath(*module.split(".")[inside:])
                for rel in (f"{stem}.py", f"{stem}/__init__.py"):
                    rel = rel.removeprefix("./")
                    if rel in listed:
                        found[module] = rel
                        break
        return found

    def _package_base(self, parts: list[str], listed: set[str]) -> tuple[PurePosixPath, int] | None:
        """Where the package named ``parts`` lies: the folder its dotted path starts in, and
        how many of its leading parts are the root itself (1 when the run's root is the
        folder of package ``parts[0]``, with no repository above it)."""
        init = "/".join(parts) + "/__init__.py"
        hits = sorted((r for r in listed if r == init or r.endswith("/" + init)), key=len)
        if hits:
            return PurePosixPath(hits[0]).parents[len(parts)], 0
        for inside in range(1, len(parts)):
            rest = "/".join(parts[inside:]) + "/__init__.py"
            if self.top.parts[-inside:] == tuple(parts[:inside]) and rest in listed:
                return PurePosixPath("."), inside
        return None


def _package_of(path: Path) -> str | None:

    module, _ = module_name_for(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0] or None
