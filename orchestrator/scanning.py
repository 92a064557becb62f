"""``modularize scan``: which files are over the limit, what is in them, and how they would split.

Only files over the threshold are decoded and parsed (with ``ast``, which is fast); the rest are
just line-counted. A file that does not decode or parse becomes an entry under ``errors`` and
never stops the scan. The output is data (``ScanReport``); rendering lives in console.py
(terminal table) and markdown.py (CI summaries), JSON is ``ScanReport.to_json``.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from modularize.agents.core import discovery
from modularize.agents.core.config import Config
from modularize.agents.core.errors import ExitCode, SourceError, exit_code_for
from modularize.agents.core.source import count_file_lines, count_lines, decode_source

SCHEMA_VERSION = 1
# Prefilters that decide whether a file needs the statement walk at all. Each starts with a
# literal so `re` can skip ahead fast; a false positive only costs the (exact) walk.
_STAR_IMPORT = re.compile(r"import[ \t]*\*")
_GLOBAL_STMT = re.compile(r"global[ \t]+[A-Za-z_]")
_FILE_NAME = re.compile(r"__file__")
_BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


@dataclasses.dataclass(frozen=True)
class FileScan:
    """One file over the threshold."""

    path: str
    lines: int
    classes: int = 0
    functions: int = 0
    warnings: tuple[str, ...] = ()
    plan: tuple[tuple[str, int], ...] = ()  # (module file name, lines) from the split planner
    skip: str | None = None  # why a run leaves it alone by rule (test, setup.py, generated)
    refused: str | None = None  # why the split planner would not split it

    def to_json(self) -> dict[str, Any]:
        """The entry as documented in templates/scan.schema.json."""
        return {
            "path": self.path,
            "lines": self.lines,
            "classes": self.classes,
            "functions": self.functions,
            "warnings": list(self.warnings),
            "plan": [{"module": name, "lines": lines} for name, lines in self.plan],
            "skip": self.skip,
            "refused": self.refused,
        }


@dataclasses.dataclass(frozen=True)
class ScanError:
    path: str
    error: str


@dataclasses.dataclass(frozen=True)
class ScanReport:
    """Everything a scan found; ``files`` holds non-test files, ``tests`` the test files."""

    threshold: int
    scanned: int
    files: tuple[FileScan, ...] = ()
    tests: tuple[FileScan, ...] = ()
    errors: tuple[ScanError, ...] = ()

    @property
    def over(self) -> tuple[FileScan, ...]:
        """Files that fail ``--check``: over the limit and not skipped by rule (refused count)."""
        return tuple(f for f in self.files if f.skip is None)

    def to_json(self) -> dict[str, Any]:
        """Version 1 of the documented JSON output."""
        return {
            "version": SCHEMA_VERSION,
            "threshold": self.threshold,
            "scanned": self.scanned,
            "files": [f.to_json() for f in self.files],
            "tests": [f.to_json() for f in self.tests],
            "errors": [{"path": e.path, "error": e.error} for e in self.errors],
        }


def parse_source(source: str) -> ast.Module:
    """The ``ast`` of a module, or SourceError with the line and the reason."""
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise SourceError(f"line {exc.lineno}: syntax error: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SourceError(f"cannot parse: {exc or type(exc).__name__}") from None


def _definition_start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _long_definitions(tree: ast.Module, threshold: int) -> Iterator[tuple[int, str]]:
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            start = _definition_start(node)
            size = (node.end_lineno or node.lineno) - start + 1
            if size > threshold:
                yield (
                    start,
                    (
                        f"`{node.name}` is {size} lines, over the limit by itself: "
                        "it needs a class split"
                    ),
                )


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    sides = [node.test.left, *node.test.comparators]
    names = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return names and main and len(sides) == 2


def _main_blocks(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in tree.body:
        if _is_main_guard(node):
            yield node.lineno, 'has an `if __name__ == "__main__":` block (moves to __main__.py)'


def _statements(
    body: list[ast.stmt], func: ast.AST | None = None
) -> Iterator[tuple[ast.stmt, ast.AST | None]]:
    """Every statement with the function it belongs to (None at module or class level).

    Walks statement blocks only, never expressions: a tenth of the nodes of ``ast.walk``.
    """
    for node in body:
        yield node, func
        inner = node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
        if isinstance(node, ast.ClassDef):
            inner = None
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, None) or [], inner)
        for block in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            yield from _statements(block.body, inner)


def _star_imports(statements: list[tuple[ast.stmt, ast.AST | None]]) -> Iterator[tuple[int, str]]:
    for node, _ in statements:
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*":
            target = "." * node.level + (node.module or "")
            yield node.lineno, f"star import `from {target} import *`"


def _own_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """Expression nodes of one statement (a header, for compound ones), not its nested blocks."""
    for name, value in ast.iter_fields(stmt):
        if name in _BLOCK_FIELDS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                yield from ast.walk(item)


def _match_lines(pattern: re.Pattern[str], source: str) -> set[int]:
    """Line numbers of the matches, counting newlines once through the source."""
    lines, line, offset = set(), 1, 0
    for match in pattern.finditer(source):
        line += source.count("\n", offset, match.start())
        offset = match.start()
        lines.add(line)
    return lines


def _file_uses(
    statements: list[tuple[ast.stmt, ast.AST | None]], source: str
) -> Iterator[tuple[int, str]]:
    candidates = _match_lines(_FILE_NAME, source)
    if not candidates:
        return
    lines = sorted(
        node.lineno
        for stmt, _ in statements
        if any(stmt.lineno <= c <= (stmt.end_lineno or stmt.lineno) for c in candidates)
        for node in _own_expressions(stmt)
        if isinstance(node, ast.Name) and node.id == "__file__"
    )
    if lines:
        yield lines[0], f"uses `__file__` ({len(lines)} place(s)): paths must stay valid"


def _own_scope(func: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function body, not entering nested functions, lambdas or classes."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _global_rebinds(statements: list[tuple[ast.stmt, ast.AST | None]]) -> Iterator[tuple[int, str]]:
    declared: dict[ast.AST, set[str]] = {}
    for node, func in statements:
        if isinstance(node, ast.Global) and func is not None:
            declared.setdefault(func, set()).update(node.names)
    seen: set[str] = set()
    for func, names in declared.items():  # only the few functions that declare a global
        for node in _own_scope(func):
            bound = isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
            if bound and node.id in names and node.id not in seen:
                seen.add(node.id)
                yield node.lineno, f"`{node.id}` is rebound with `global` in `{func.name}()`"


def analyse(source: str, threshold: int) -> tuple[int, int, tuple[str, ...]]:
    """(top-level classes, top-level functions, warnings) of a module; SourceError if bad."""
    tree = parse_source(source)
    classes = sum(isinstance(n, ast.ClassDef) for n in tree.body)
    functions = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in tree.body)
    found = [*_long_definitions(tree, threshold), *_main_blocks(tree)]
    # These need a walk of the statements; the regexes skip it for most files.
    if any(p.search(source) for p in (_STAR_IMPORT, _GLOBAL_STMT, _FILE_NAME)):
        statements = list(_statements(tree.body))
        found += [
            *_star_imports(statements),
            *_global_rebinds(statements),
            *_file_uses(statements, source),
        ]
    return classes, functions, tuple(f"line {line}: {text}" for line, text in sorted(found))


def plan_modules(
    path: Path, source: str, config: Config
) -> tuple[tuple[tuple[str, int], ...], str | None, tuple[str, ...]]:
    """The planned modules ``(file name, lines)``, the planner's refusal reason (or None) and
    its warnings (class splits: mixins, their methods and sizes).

    Empty when the split engine is not part of this build.
    """
    try:
        from modularize.agents.engine import EngineConfig, Refusal, plan_split
    except ImportError as exc:
        if exc.name not in ("agents", "agents.engine"):
            raise  # the engine exists but is broken: that is a bug to report
        return (), None, ()
    module, _ = discovery.module_name_for(path)
    is_init = path.name == "__init__.py"
    siblings = frozenset(p.stem for p in path.parent.iterdir()) if is_init else frozenset()
    engine_config = EngineConfig(
        module=module,
        is_package_init=is_init,
        budgets=config.budgets,
        threshold=config.threshold,
        keep_logger_names=config.keep_logger_names,
        existing_names=siblings,
    )
    try:
        plan = plan_split(source, engine_config)
    except Refusal as refusal:
        return (), refusal.reason, ()
    names = [(m.name if m.name.endswith(".py") else f"{m.name}.py", m.lines) for m in plan.modules]
    return tuple(names), None, plan.warnings


def display_path(path: Path) -> str:
    """POSIX path relative to the current directory when below it, else absolute."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def scan_file(path: Path, shown: str, config: Config, plan: bool = True) -> FileScan | ScanError:
    """One file over the threshold: its entry, or its error (``shown`` is its display path).

    Runs in a worker process when scanning in parallel, so it returns data and never prints.
    """
    try:
        data = path.read_bytes()
        source = decode_source(data)
        classes, functions, warnings = analyse(source, config.threshold)
    except OSError as exc:
        return ScanError(shown, f"cannot read: {exc.strerror or exc}")
    except SourceError as exc:
        return ScanError(shown, str(exc))
    entry = FileScan(shown, count_lines(data), classes, functions, warnings)
    skip = discovery.skip_reason(path, source, config)
    if skip is None and plan:
        modules, refused, notes = plan_modules(path, source, config)
        entry = dataclasses.replace(
            entry, plan=modules, refused=refused, warnings=(*entry.warnings, *notes)
        )
    return dataclasses.replace(entry, skip=skip)


def _over_threshold(files: list[Path], config: Config) -> tuple[list[Path], list[ScanError]]:
    """Files over the limit, found by counting newlines only (nothing else is parsed)."""
    big: list[Path] = []
    errors: list[ScanError] = []
    for path in files:
        try:
            lines = count_file_lines(path)
        except OSError as exc:
            errors.append(ScanError(display_path(path), f"cannot read: {exc.strerror or exc}"))
            continue
        if lines > config.threshold:
            big.append(path)
    return big, errors


def _scan_all(big: list[Path], config: Config, plan: bool) -> list[FileScan | ScanError]:
    shown = [display_path(p) for p in big]  # here: a worker's current directory may differ
    if config.parallel <= 1 or len(big) <= 1:
        return [scan_file(p, s, config, plan) for p, s in zip(big, shown, strict=True)]
    from modularize.orchestrator.scheduler import executor_for

    with executor_for(config.parallel, len(big)) as pool:
        futures = [
            pool.submit(scan_file, p, s, config, plan) for p, s in zip(big, shown, strict=True)
        ]
        return [f.result() for f in futures]


def scan_paths(paths: Iterable[Path], config: Config, *, plan: bool = True) -> ScanReport:
    """Scan every Python file under ``paths``; never raises for a bad file.

    ``plan=False`` leaves out the split planner (the slow part) for quick gates.
    """
    files = discovery.list_python_files(paths, config)
    big, errors = _over_threshold(files, config)
    found: list[FileScan] = []
    tests: list[FileScan] = []
    for path, result in zip(big, _scan_all(big, config, plan), strict=True):
        if isinstance(result, ScanError):
            errors.append(result)
            continue
        is_test = discovery.is_test_file(discovery.repo_relative(path))
        (tests if is_test and not config.include_tests else found).append(result)
    errors.sort(key=lambda e: e.path)
    return ScanReport(config.threshold, len(files), tuple(found), tuple(tests), tuple(errors))


def scan_command(
    roots: tuple[Path, ...],
    config: Config,
    *,
    fmt: str = "table",
    check: bool = False,
    summary: bool = False,
    plan: bool = True,
) -> ExitCode:
    """Scan, print in the chosen format, append the Markdown summary if asked; the exit code."""
    from modularize.orchestrator import markdown

    report = scan_paths(roots, config, plan=plan)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(markdown.scan_markdown(report))
    else:
        from modularize.orchestrator import console

        console.print_scan(report, console.make_console())
    if summary:
        markdown.append_step_summary(markdown.scan_markdown(report), os.environ)
    return exit_code_for(failed=len(report.errors), findings=len(report.over) if check else 0)
