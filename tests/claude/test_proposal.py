"""Claude's proposal is untrusted input: a table of bad proposals and why each is rejected."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest

from modularize.agents.claude_agent import MAX_WAIT, backoff, retry_after
from modularize.agents.claude_proposal import (
    TOOL_NAME,
    ProposalRejected,
    build_request,
    outline,
    plan_from_proposal,
    tool_definition,
)
from modularize.agents.engine import EngineConfig, plan_split, split
from modularize.agents.secrets import secret_in_name, secret_in_source
from tests.claude.helpers import BUDGETS, GOOD_PROPOSAL, SHOP, make_config, make_task

ENGINE = EngineConfig(module="pkg.shop", budgets=BUDGETS, threshold=150)
FALLBACK = plan_split(SHOP, ENGINE)


def _modules(*mods: tuple[str, str, list[str]]) -> dict[str, Any]:
    return {"modules": [{"name": n, "role": r, "units": u} for n, r, u in mods]}


def _renamed(name: str) -> dict[str, Any]:
    bad = copy.deepcopy(GOOD_PROPOSAL)
    bad["modules"][1]["name"] = name
    return bad


def _documented(doc: Any) -> dict[str, Any]:
    bad = copy.deepcopy(GOOD_PROPOSAL)
    bad["modules"][1]["doc"] = doc
    return bad


_MODELS = GOOD_PROPOSAL["modules"][0]["units"]
_PRICING = GOOD_PROPOSAL["modules"][1]["units"]


@pytest.mark.parametrize(
    ("proposal", "reason"),
    [
        pytest.param({}, "no list of modules", id="no-modules"),
        pytest.param({"modules": "base"}, "no list of modules", id="modules-not-a-list"),
        pytest.param(
            {"modules": [{"name": "x", "role": "base", "units": "Shop"}]},
            "is not {name, role, units",
            id="units-not-a-list",
        ),
        pytest.param(
            _modules(("models", "boss", _MODELS)), "role 'boss' is not one of", id="unknown-role"
        ),
        pytest.param(
            _modules(("models", "base", _MODELS), ("empty", "utils", [])),
            "has no units",
            id="empty-module",
        ),
        pytest.param(
            _modules(
                ("models", "base", _MODELS),
                ("pricing", "strategies", _PRICING),
                ("service", "manager", ["Shop", "total"]),
            ),
            "unit `total` is in 2 modules; put it in exactly one",
            id="unit-twice",
        ),
        pytest.param(
            _modules(("models", "base", _MODELS), ("pricing", "strategies", _PRICING)),
            "unit `Shop` is in no module",
            id="unit-missing",
        ),
        pytest.param(
            _modules(
                ("models", "base", _MODELS),
                ("pricing", "strategies", _PRICING),
                ("service", "manager", ["Shop", "os.system"]),
            ),
            "the plan names unit `os.system`, which the file does not have",
            id="unit-invented",
        ),
        pytest.param(_renamed("class"), "is a Python keyword", id="name-keyword"),
        pytest.param(_renamed("match"), "is a Python keyword", id="name-soft-keyword"),
        pytest.param(_renamed("__init__"), "is a dunder name", id="name-dunder"),
        pytest.param(_renamed("../evil"), "path separator", id="name-path-traversal"),
        pytest.param(_renamed("sub/mod"), "path separator", id="name-slash"),
        pytest.param(_renamed("pkg.sub"), "path separator or dot", id="name-dotted"),
        pytest.param(_renamed("2fast"), "not an ASCII Python identifier", id="name-not-identifier"),
        pytest.param(
            _renamed("total"), "is already bound in the original", id="name-bound-function"
        ),
        pytest.param(
            _renamed("logging"), "is already bound in the original", id="name-bound-import"
        ),
        pytest.param(_renamed("Models"), "collide", id="name-case-collision"),
        pytest.param(_renamed("models_2"), "is numbered", id="name-numbered"),
        pytest.param(_documented("Prices.\nAnd more."), "one line", id="doc-two-lines"),
        pytest.param(_documented("   "), "one line", id="doc-empty"),
        pytest.param(_documented(7), "one line", id="doc-not-text"),
        pytest.param(_documented('Prices."""; import os'), "plain text", id="doc-breaks-out"),
        pytest.param(_documented("Prices " * 30), "plain text", id="doc-too-long"),
        pytest.param(_documented(GOOD_PROPOSAL["modules"][0]["doc"]), "repeats", id="doc-repeated"),
        pytest.param(
            _modules(
                ("models", "base", [*_MODELS, "round_price"]),
                ("pricing", "strategies", _PRICING[1:]),
                ("service", "manager", ["Shop"]),
            ),
            None,
            id="valid-variant",
        ),
        pytest.param(
            _modules(
                ("models", "base", [u for u in _MODELS if u != "MAX_ITEMS"]),
                ("pricing", "strategies", [*_PRICING, "MAX_ITEMS"]),
                ("service", "manager", ["Shop"]),
            ),
            None,
            id="call-time-references-both-ways-are-fine",
        ),
        pytest.param(
            _modules(
                ("models", "base", [u for u in _MODELS if u not in ("Color", "FREE_ITEM")]),
                ("pricing", "strategies", [*_PRICING, "Color", "FREE_ITEM"]),
                ("service", "manager", ["Shop"]),
            ),
            "modules `models` and `pricing` need each other while they import",
            id="import-time-cycle",
        ),
        pytest.param(
            _modules(("everything", "base", [*_MODELS, *_PRICING, "Shop"])),
            "base modules must stay under 80",
            id="over-budget",
        ),
    ],
)
def test_proposals(proposal: dict[str, Any], reason: str | None) -> None:
    if reason is None:
        plan = plan_from_proposal(proposal, FALLBACK, SHOP, ENGINE)
        assert {m.name for m in plan.modules} == {m["name"] for m in proposal["modules"]}
        return
    with pytest.raises(ProposalRejected) as info:
        plan_from_proposal(proposal, FALLBACK, SHOP, ENGINE)
    assert reason in info.value.reason


def test_good_proposal_becomes_the_plan_the_engine_writes() -> None:
    plan = plan_from_proposal(GOOD_PROPOSAL, FALLBACK, SHOP, ENGINE)
    assert [(m.name, m.role) for m in plan.modules] == [
        ("models", "base"),
        ("pricing", "strategies"),
        ("service", "manager"),
    ]
    assert plan.locations()["Shop"] == "pkg.shop.service"
    files = split(SHOP, plan, ENGINE)
    pricing = files[__import__("pathlib").PurePosixPath("pricing.py")]
    assert "def discount(" in pricing
    assert pricing.startswith('"""Prices of orders: rounding, tax, discounts and totals."""\n')


def test_outline_lists_every_unit_with_its_dependencies() -> None:
    units = {u["id"]: u for u in outline(SHOP, ENGINE)["units"]}
    assert set(units) == {u for m in FALLBACK.modules for u in m.units}
    assert units["Item"]["needs"] == ["Color"]  # a default value: needed at import time
    assert "total" in units["Shop"]["calls"] and units["Shop"]["kind"] == "class"


def test_request_forces_the_tool_and_sends_no_source_by_default(tmp_path: Any) -> None:
    config = make_config("memory://")
    request = build_request(make_task(tmp_path), config, SHOP, FALLBACK, ENGINE)
    assert request["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert request["tools"] == [tool_definition()]
    assert request["model"] == config.claude.model
    prompt = request["messages"][0]["content"]
    assert '"id": "Shop"' in prompt and "def revenue" not in prompt
    with_source = config.with_overrides(claude_send_source=True)
    prompt = build_request(make_task(tmp_path), with_source, SHOP, FALLBACK, ENGINE)["messages"][0][
        "content"
    ]
    assert "def revenue" in prompt
    json.dumps(request)  # the whole request is plain JSON


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        pytest.param(".env", True, id="dotenv"),
        pytest.param("config/.env.production", True, id="dotenv-variant"),
        pytest.param("app/prod.env", True, id="env-suffix"),
        pytest.param("pkg/secrets.py", True, id="secret"),
        pytest.param("pkg/aws_credentials.py", True, id="credential"),
        pytest.param("pkg/TokenStore.py", True, id="token-any-case"),
        pytest.param("pkg/shop.py", False, id="ordinary"),
        pytest.param("pkg/environment.py", False, id="env-word-inside-name"),
        pytest.param("pkg/api_keys.py", True, id="api-keys"),
        pytest.param("pkg/private_keys.py", True, id="private-keys"),
        pytest.param("pkg/passwords.py", True, id="passwords"),
        pytest.param("pkg/server_pem.py", True, id="pem"),
        pytest.param("config/keys.py", True, id="keys-module"),
        pytest.param("pkg/apiKey.py", True, id="camel-case-key"),
        pytest.param("pkg/keyboard.py", False, id="key-inside-a-word"),
        pytest.param("pkg/monkey.py", False, id="key-at-the-end-of-a-word"),
    ],
)
def test_secret_looking_paths(path: str, secret: bool) -> None:
    assert (secret_in_name(path) is not None) is secret


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        pytest.param({"retry-after": "3"}, 3.0, id="seconds"),
        pytest.param({"retry-after": "0.5"}, 0.5, id="fraction"),
        pytest.param({"retry-after-ms": "250", "retry-after": "9"}, 0.25, id="ms-wins"),
        pytest.param({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0, id="date-in-past"),
        pytest.param({"retry-after": "soon"}, None, id="garbage"),
        pytest.param({}, None, id="absent"),
    ],
)
def test_retry_after(headers: dict[str, str], seconds: float | None) -> None:
    assert retry_after(headers) == seconds


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [
        pytest.param(1, 0.5, 1.0, id="first-retry"),
        pytest.param(3, 2.0, 4.0, id="doubles"),
        pytest.param(30, MAX_WAIT / 2, MAX_WAIT, id="capped"),
    ],
)
def test_backoff_has_bounded_jitter(attempt: int, low: float, high: float) -> None:
    rng = random.Random(7)
    waits = {backoff(attempt, 1.0, rng) for _ in range(50)}
    assert all(low <= w <= high for w in waits) and len(waits) > 1


def test_the_deterministic_plan_passes_as_a_proposal() -> None:
    """The validator accepts what the engine itself would do (it is no stricter than needed)."""
    proposal = {
        "modules": [
            {"name": m.name, "role": m.role, "units": list(m.units)}
            for m in FALLBACK.modules
            if m.name != "__main__"
        ]
    }
    plan = plan_from_proposal(proposal, FALLBACK, SHOP, ENGINE)
    assert [m.units for m in plan.modules] == [m.units for m in FALLBACK.modules]


def _random_key(length: int, seed: int) -> str:
    """A key-like random string, made here so that no real-looking key sits in the repo."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


PEM = "-----BEGIN " + "RSA PRIVATE KEY-----"


@pytest.mark.parametrize(
    ("line", "found"),
    [
        pytest.param(f'KEY = """{PEM}\nMIIE...', "private key block", id="pem-block"),
        pytest.param(f"ACCESS = '{'AKIA' + 'Q7' * 8}'", "AWS access key id", id="aws-key-id"),
        pytest.param(
            f'AWS_SECRET_ACCESS_KEY = "{_random_key(40, 1)}"', "AWS_SECRET_ACCESS_KEY", id="aws"
        ),
        pytest.param('DB_PASSWORD = "hunter2!x"', "DB_PASSWORD", id="literal-password"),
        pytest.param('connect(host="db", password="Tr0ub4dor&3")', "password", id="keyword-arg"),
        pytest.param(f'{{"api_token": "{_random_key(32, 2)}"}}', "api_token", id="dict-entry"),
        pytest.param(f"secret_key: str = '{_random_key(24, 3)}'", "secret_key", id="annotated"),
        pytest.param('PASSWORD_PROMPT = "Enter your password: "', None, id="prompt"),
        pytest.param('password_field = "password"', None, id="field-name"),
        pytest.param('password = ""', None, id="empty"),
        pytest.param('password = os.environ["DB_PASSWORD"]', None, id="from-environment"),
        pytest.param('SORT_KEY = "created_at"', None, id="ordinary-key"),
        pytest.param('cache_key = "user:profile:v2"', None, id="cache-key"),
        pytest.param('TOKEN_TYPE = "Bearer"', None, id="token-type"),
        pytest.param(f"KEY = '{'sk-ant-api03-' + _random_key(30, 4)}'", "API secret key", id="sk"),
        pytest.param('HELP = "see sk-learn-compatible-estimators"', None, id="sk-words"),
        pytest.param(SHOP, None, id="ordinary-module"),
    ],
)
def test_secrets_in_source(line: str, found: str | None) -> None:
    reason = secret_in_source(f'"""A module."""\n\n{line}\n')
    if found is None:
        assert reason is None
    else:
        assert reason is not None and found in reason and reason.startswith("line 3 ")
