"""The report names each piece of the compatibility layer with the finding behind it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from modularize.agents.base import AgentResult, ModuleOutput, Status
from modularize.orchestrator.reports import RunReport, to_json, to_markdown

SCHEMA = Path(__file__).parents[2] / "templates" / "reports" / "run.schema.json"
NOTE = (
    "assignments of `PRESERVE_WHITESPACE` on the package are forwarded to utils: "
    "README.md:12: tabulate.PRESERVE_WHITESPACE = True sets it there"
)


def _report() -> RunReport:
    result = AgentResult(
        path="tabulate.py",
        status=Status.SPLIT,
        agent="libcst",
        modules=(ModuleOutput("tabulate/__init__.py", 40), ModuleOutput("tabulate/utils.py", 90)),
        lines_before=130,
        compat=(NOTE,),
    )
    return RunReport(run_id="r1", status="done", dry_run=False, results=(result,))


def test_markdown_and_json_list_the_layer_with_its_findings() -> None:
    report = _report()
    assert f"Compatibility layer (`__init__.py`):\n\n- {NOTE}" in to_markdown(report)
    data = to_json(report)
    assert data["files"][0]["compat"] == [NOTE]
    jsonschema.validate(json.loads(json.dumps(data)), json.loads(SCHEMA.read_text()))
