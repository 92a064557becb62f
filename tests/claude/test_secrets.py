"""Secrets stay home: the real CLI, the real SDK, our fake Messages API, and what it received."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.claude.fake_api import FakeAnthropic, error_reply, tool_reply
from tests.claude.helpers import BUDGETS, FAKE_KEY, GOOD_PROPOSAL, write_shop

pytestmark = pytest.mark.slow

PASSWORD = "Tr0ub4dor&3-horse"
PEM_BLOCK = "-----BEGIN " + "PRIVATE KEY-----\\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\\n"


@pytest.fixture
def fake() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        yield server


def _project(root: Path) -> Path:
    budgets = "\n".join(f"{k} = {v}" for k, v in BUDGETS.items())
    root.mkdir()
    (root / "pyproject.toml").write_text(
        f"[tool.modularize]\nthreshold = 150\n\n[tool.modularize.budgets]\n{budgets}\n\n"
        "[tool.modularize.claude]\ntimeout = 5.0\nmax_attempts = 2\nbackoff = 0.05\n",
        encoding="utf-8",
    )
    write_shop(root)  # pkg/shop.py: nothing secret, its source may go
    for name in ("api_keys.py", "passwords.py", "server_pem.py"):
        write_shop(root, filename=name)  # named like secrets: not asked about at all
    (root / "config").mkdir()
    (root / "config" / "__init__.py").write_text("", encoding="utf-8")
    (root / "config" / "keys.py").write_text((root / "pkg" / "shop.py").read_text())
    vault = write_shop(root, filename="vault.py")
    vault.write_text(vault.read_text() + f'\nDB_PASSWORD = "{PASSWORD}"\n', encoding="utf-8")
    certs = write_shop(root, filename="certs.py")
    certs.write_text(certs.read_text() + f'\nSERVER_KEY = "{PEM_BLOCK}"\n', encoding="utf-8")
    return root


def _run_claude(project: Path, *flags: str, base_url: str) -> subprocess.CompletedProcess[str]:
    """``modularize run --agent claude --dry-run FLAGS .`` against ``base_url``."""
    return subprocess.run(
        [sys.executable, "-m", "modularize", "run", "--agent", "claude", "--dry-run", *flags, "."],
        cwd=project,
        env={**os.environ, "ANTHROPIC_API_KEY": FAKE_KEY, "ANTHROPIC_BASE_URL": base_url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_send_source_withholds_secret_files_and_lists_them(
    fake: FakeAnthropic, tmp_path: Path
) -> None:
    project = _project(tmp_path / "proj")
    fake.default = tool_reply(GOOD_PROPOSAL)
    report = tmp_path / "r.md"
    done = _run_claude(project, "--send-source", "--report", str(report), base_url=fake.url)
    assert done.returncode == 0, done.stdout + done.stderr
    bodies = [json.dumps(seen.body) for seen in fake.requests()]
    assert len(bodies) == 3  # shop, vault and certs; the files named like secrets: never
    for name in ("api_keys", "passwords", "server_pem", "config/keys"):
        assert not [b for b in bodies if name in b]
    assert len([b for b in bodies if "def revenue" in b]) == 1  # only shop's source went
    assert not [b for b in bodies if PASSWORD in b or "PRIVATE KEY" in b]
    text = report.read_text(encoding="utf-8")
    for path in ("pkg/api_keys.py", "pkg/passwords.py", "pkg/server_pem.py", "config/keys.py"):
        assert f"`{path}`: withheld from Claude: {path}: its name looks like" in text
    assert "`pkg/vault.py`: withheld from Claude: line " in text and "`DB_PASSWORD`" in text
    assert "`pkg/certs.py`: withheld from Claude: line " in text and "private key block" in text
    assert "`pkg/shop.py`: withheld" not in text


def test_a_password_in_the_base_url_is_never_stored_or_shown(
    fake: FakeAnthropic, tmp_path: Path
) -> None:
    project = _project(tmp_path / "proj")
    fake.default = error_reply(503, "overloaded_error", "busy")  # failures reach the breaker
    secret = "pw-Zq81-not-to-be-kept"
    host = fake.url.removeprefix("http://")
    state = tmp_path / "state" / "run.db"
    report = tmp_path / "r.md"
    done = _run_claude(
        project,
        *("--state", f"sqlite:///{state}", "--report", str(report)),
        base_url=f"http://proxyuser:{secret}@{host}",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert fake.requests(), "the API was asked"
    with sqlite3.connect(state) as conn:
        keys = [k for (k,) in conn.execute("SELECT key FROM kv WHERE namespace = 'breaker'")]
    assert keys == [f"claude http://{host}"]  # the circuit is kept, by host only
    stored = b"".join(p.read_bytes() for p in state.parent.iterdir())
    assert secret.encode() not in stored and b"proxyuser" not in stored
    assert secret not in done.stdout + done.stderr + report.read_text(encoding="utf-8")
