"""The discovery helpers other commands build on: tables on the pure parts, real trees for the rest."""

from __future__ import annotations

import io
from pathlib import Path, PurePath

import pytest

from modularize.agents.core.config import Config, load_config
from modularize.agents.core.discovery import (
    anchor_glob,
    find_big_files,
    is_excluded,
    is_test_file,
    module_name_for,
    repo_root,
    skip_reason,
    split_candidates,
)
from modularize.agents.core.source import count_lines
from tests.support import big_source, git, write


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        pytest.param("test_models.py", True, id="test_prefix"),
        pytest.param("pkg/models_test.py", True, id="test_suffix"),
        pytest.param("conftest.py", True, id="conftest"),
        pytest.param("tests/helpers.py", True, id="under-tests"),
        pytest.param("src/pkg/test/data.py", True, id="under-test"),
        pytest.param("pkg/testing.py", False, id="testing-module"),
        pytest.param("pkg/contest.py", False, id="contest"),
        pytest.param("latest/models.py", False, id="latest-dir"),
        pytest.param("pkg/test_data.txt", False, id="not-python"),
    ],
)
def test_is_test_file(relpath: str, expected: bool) -> None:
    assert is_test_file(PurePath(relpath)) is expected


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        pytest.param(b"", 0, id="empty"),
        pytest.param(b"a\n", 1, id="one"),
        pytest.param(b"a\nb", 2, id="no-final-newline"),
        pytest.param(b"a\r\nb\r\n", 2, id="crlf"),
        pytest.param(b"a\rb\rc", 3, id="old-mac"),
        pytest.param(b"\n\n\n", 3, id="blank-lines"),
        pytest.param(b"a\n\x0cb\n", 2, id="form-feed-is-not-a-line-break"),
        pytest.param(b"a\rb\r", 2, id="lone-cr-ends-lines"),
        pytest.param(b"a\r\nb\rc\n", 3, id="mixed-endings"),
        pytest.param(b"a\x1cb\xe2\x80\xa8c\n", 1, id="unicode-separators-are-not-breaks"),
    ],
)
def test_count_lines(data: bytes, lines: int) -> None:
    """One counter for every layer: bytes and text agree, and match universal newlines."""
    assert count_lines(data) == lines
    text = data.decode("utf-8")
    assert count_lines(text) == lines
    assert count_lines(text) == len(io.StringIO(text, newline=None).readlines())


@pytest.mark.parametrize(
    ("glob", "path", "excluded"),
    [
        pytest.param("vendor", "/r/vendor/a.py", True, id="name-top"),
        pytest.param("vendor", "/r/src/vendor/x/a.py", True, id="name-deep"),
        pytest.param("vendor", "/r/vendored/a.py", False, id="name-prefix-only"),
        pytest.param("*_pb2.py", "/r/api/user_pb2.py", True, id="name-glob"),
        pytest.param("gen/*.py", "/r/gen/a.py", True, id="anchored"),
        pytest.param("gen/*.py", "/r/gen/sub/a.py", False, id="star-stays-in-folder"),
        pytest.param("gen/**/*.py", "/r/gen/sub/deep/a.py", True, id="double-star"),
        pytest.param("gen/*.py", "/r/src/gen/a.py", False, id="anchored-not-deep"),
        pytest.param("./build/", "/r/build/x.py", True, id="dot-slash-and-trailing-slash"),
        pytest.param("mod[0-9].py", "/r/mod3.py", True, id="char-class"),
    ],
)
def test_anchored_globs(glob: str, path: str, excluded: bool) -> None:
    assert is_excluded(Path(path), Path("/r"), [anchor_glob(glob, Path("/r"))]) is excluded


def test_the_named_root_itself_is_never_excluded() -> None:
    glob = anchor_glob("examples", Path("/r"))
    assert is_excluded(Path("/r/examples/shop/a.py"), Path("/r"), [glob])
    assert not is_excluded(Path("/r/examples/shop/a.py"), Path("/r/examples"), [glob])


def test_pyproject_globs_are_anchored_at_its_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.modularize]\nexclude = ["gen/*", "/abs/x.py"]\n')
    config = load_config(tmp_path / "deep" / "er")
    assert config.exclude == (f"{tmp_path.resolve().as_posix()}/gen/*", "/abs/x.py")


@pytest.mark.parametrize(
    ("files", "target", "module", "root"),
    [
        pytest.param(["six.py"], "six.py", "six", ".", id="top-level-module"),
        pytest.param(
            ["pkg/__init__.py", "pkg/big.py"], "pkg/big.py", "pkg.big", ".", id="in-package"
        ),
        pytest.param(
            ["src/pkg/__init__.py", "src/pkg/sub/__init__.py", "src/pkg/sub/big.py"],
            "src/pkg/sub/big.py",
            "pkg.sub.big",
            "src",
            id="src-layout",
        ),
        pytest.param(["pkg/__init__.py"], "pkg/__init__.py", "pkg", ".", id="package-init"),
        pytest.param(["ns/big.py"], "ns/big.py", "big", "ns", id="no-init-stops"),
    ],
)
def test_module_name_for(
    tmp_path: Path, files: list[str], target: str, module: str, root: str
) -> None:
    for name in files:
        write(tmp_path / name, "")
    assert module_name_for(tmp_path / target) == (module, (tmp_path / root).resolve())


def test_repo_root_inside_and_outside_git(tmp_path: Path) -> None:
    write(tmp_path / "plain" / "a" / "x.py", "")
    assert repo_root(tmp_path / "plain" / "a" / "x.py") == (tmp_path / "plain" / "a").resolve()
    git(tmp_path / "plain", "init", "-q")
    assert repo_root(tmp_path / "plain" / "a" / "x.py") == (tmp_path / "plain").resolve()


@pytest.mark.parametrize(
    ("name", "head", "reason"),
    [
        pytest.param("pkg/big.py", "", None, id="plain"),
        pytest.param("setup.py", "", "setup.py", id="setup"),
        pytest.param("pkg/api_pb2.py", "", "protobuf", id="pb2"),
        pytest.param("pkg/gen.py", "# Code @generated by tool\n", "@generated", id="marker"),
        pytest.param("pkg/late.py", "\n" * 20 + "# @generated\n", None, id="marker-too-late"),
        pytest.param("tests/test_x.py", "", "--include-tests", id="test-file"),
    ],
)
def test_skip_reason(tmp_path: Path, name: str, head: str, reason: str | None) -> None:
    git(tmp_path, "init", "-q")
    found = skip_reason(tmp_path / name, head + "x = 1\n", Config())
    assert found is None if reason is None else reason in found


def test_split_candidates_leave_out_what_a_run_skips(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    for name in ("pkg/big.py", "setup.py", "tests/test_big.py", "pkg/other_pb2.py"):
        write(tmp_path / name, big_source(90))
    write(tmp_path / "pkg" / "small.py", big_source(5))
    config = Config()
    assert len(find_big_files([tmp_path], config)) == 4
    assert split_candidates([tmp_path], config) == [(tmp_path / "pkg" / "big.py").resolve()]
    with_tests = split_candidates([tmp_path], Config(include_tests=True))
    assert [p.name for p in with_tests] == ["big.py", "test_big.py"]
