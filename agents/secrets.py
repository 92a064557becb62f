"""What must never leave the machine: files named like secrets, and sources that hold one.

Pure functions of a path or a source text. ``secret_in_name`` decides which files the claude
agent does not ask about at all; ``secret_in_source`` which files' source ``--send-source``
withholds: private-key blocks, well-known key formats, and long random-looking strings (or a
literal password) assigned to a password, secret, token or key name.
"""

from __future__ import annotations

import math
import re
from pathlib import PurePosixPath

_NAME_WORDS = ("secret", "credential", "token", "password", "passwd")  # anywhere in a name
_NAME_TOKENS = frozenset(  # whole words of a file or folder name
    {"key", "keys", "apikey", "apikeys", "privkey", "keyfile", "keystore", "pem", "creds"}
)
_PASSWORD_NAMES = frozenset({"password", "passwd", "pwd", "pass", "passphrase"})
_SECRET_NAMES = frozenset(
    {"secret", "token", "key", "apikey", "privkey", "credential", "credentials", "creds", "auth"}
)
_PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
_KNOWN_FORMATS = (
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("an API secret key", re.compile(r"\bsk-(?:ant-|proj-)?(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{20,}")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
)
# NAME = "v", name: str = "v", f(name="v"), {"name": "v"}: the name, then the quoted value
# (the annotation is bounded so that a long line costs linear time).
_ASSIGNED = re.compile(
    r"""(?<![A-Za-z0-9_])(?P<name>[A-Za-z_][A-Za-z0-9_]*)["']?\s*(?::\s*[A-Za-z_][\w\[\], .|]{0,80})?[=:]\s*"""
    r"""[rRbBuU]{0,2}(?P<q>["'])(?P<value>[^"'\n]*)(?P=q)"""
)
_RANDOM_CHARS = re.compile(r"[A-Za-z0-9+/=_\-.~]+")


def _words(name: str) -> list[str]:
    """``apiKeys`` / ``API_KEYS`` / ``api-keys`` -> ["api", "keys"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def secret_in_name(path: str) -> str | None:
    """Why the name of ``path`` says it holds secrets (.env files, api_keys.py...), or None."""
    lowered = PurePosixPath(path.lower())
    for part in lowered.parts:
        if part == ".env" or part.startswith(".env.") or part.endswith(".env"):
            return f"{path}: an environment file"
    if any(word in lowered.as_posix() for word in _NAME_WORDS):
        return f"{path}: its name looks like it holds secrets"
    stems = [PurePosixPath(p).stem for p in PurePosixPath(path).parts]
    if any(word in _NAME_TOKENS for stem in stems for word in _words(stem)):
        return f"{path}: its name looks like it holds keys"
    return None


def _entropy(text: str) -> float:
    counts = {c: text.count(c) for c in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(value: str) -> bool:
    """A long string of key-like characters that mixes cases or digits, like a generated key."""
    if len(value) < 16 or not _RANDOM_CHARS.fullmatch(value):
        return False
    kinds = sum(any(test(c) for c in value) for test in (str.islower, str.isupper, str.isdigit))
    return kinds >= 2 and _entropy(value) >= 3.0


def _literal_password(value: str, words: list[str]) -> bool:
    """A value that reads as a password itself, not a placeholder, a prompt or a field name."""
    if len(value) < 6 or any(c.isspace() for c in value) or value[0] in "$%{<*":
        return False
    return len(set(value)) > 2 and value.lower() not in {*words, "password", "changeme"}


def _assigned_secret(name: str, value: str) -> bool:
    words = _words(name)
    if not words:
        return False
    if words[-1] in _PASSWORD_NAMES:
        return _literal_password(value, words)
    secretish = words[-1] in _SECRET_NAMES or "secret" in words
    return secretish and looks_random(value)


def secret_in_source(source: str) -> str | None:
    """Why ``source`` must not be sent anywhere (which line holds what), or None."""
    for number, line in enumerate(source.splitlines(), 1):
        if _PRIVATE_KEY.search(line):
            return f"line {number} holds a private key block"
        for what, pattern in _KNOWN_FORMATS:
            if pattern.search(line):
                return f"line {number} holds {what}"
        for match in _ASSIGNED.finditer(line):
            if _assigned_secret(match["name"], match["value"]):
                return f"line {number} assigns a secret-looking value to `{match['name']}`"
    return None
