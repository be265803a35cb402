"""Rules the generated sources keep, read without synthesizing (failures of the analyses)."""

import ast
import re
import subprocess
import sys

import pytest

from rendering import ALL_SERVICES, COPIER_YML, render, service_answers
from tap_template.findings import ERROR, RULES, WARNING, Settings

STATE_RULES = ("remote-backend", "state-encryption", "state-locking")

PLACEHOLDERS = {
    "a literal region": re.compile("|".join(COPIER_YML["_aws_regions"])),
    "an account id": re.compile(r"\b\d{12}\b"),
    "a placeholder hosted zone id": re.compile(r"\bZ[0-9A-Z]{9,}\b"),
    "a placeholder domain": re.compile(r"example\.(com|org|net)"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    answers = {
        **service_answers(ALL_SERVICES),
        "aws_region": "eu-central-1",
        "secondary_regions": ["eu-west-1"],
        "state_bucket_region": "eu-central-1",
    }
    return render(tmp_path_factory.mktemp("sources") / "project", answers)


def test_lib_holds_no_literal_region_account_or_placeholder(project):
    """Analysis 002, failures 7 and 11: placeholder targets and literal regions."""
    for path in (project / "lib").rglob("*.py"):
        for what, pattern in PLACEHOLDERS.items():
            found = pattern.search(path.read_text())
            assert found is None, f"{path.relative_to(project)} holds {what}: {found[0]}"


def test_tap_stack_is_the_only_terraform_stack_and_builds_constructs_with_self(project):
    """Analysis 002, failures 1 and 4: stacks instead of constructs, and constructs under the app's scope."""
    stacks = [
        path.relative_to(project)
        for path in (project / "lib").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and any(getattr(base, "id", "") == "TerraformStack" for base in node.bases)
    ]
    assert [str(path) for path in stacks] == ["lib/tap_stack.py"]

    tap_stack = ast.parse((project / "lib" / "tap_stack.py").read_text())
    constructs = {
        alias.name
        for node in tap_stack.body
        if isinstance(node, ast.ImportFrom) and node.module.startswith("lib.constructs.")
        for alias in node.names
    }
    # The naming helper, the services' base class and the description of an API: not constructs.
    constructs -= {"Names", "Service", "RegionalApi"}
    assert constructs == {
        "Networking",
        "Storage",
        "RecordsTable",
        "GlobalDatabase",
        "Database",
        "ApiFunction",
        "HttpApi",
        "Dns",
        "EventBuses",
        "Migration",
        "AppParameters",
        "Monitoring",
        "Backups",
    }
    calls = [
        node
        for node in ast.walk(tap_stack)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in constructs
    ]
    assert len(calls) == len(constructs)
    assert all(isinstance(call.args[0], ast.Name) and call.args[0].id == "self" for call in calls)


def test_environment_tag_comes_from_the_suffix_not_a_literal(project):
    """Analysis 003, failure 2: a hard-coded Environment tag."""
    tap = (project / "tap.py").read_text()
    assert '"Environment": suffix,' in tap
    assert not re.search(r'"Environment": "', tap)


def test_ruff_settings_refuse_builtin_shadowing_and_relative_imports(project):
    """Analysis 001, failure 3 (a parameter named id) and 002, failure 2 (imports that only work from lib/)."""
    storage = project / "lib" / "constructs" / "storage.py"
    storage.write_text(storage.read_text() + "\n\ndef describe(id, type):\n    return id, type\n")
    networking = project / "lib" / "constructs" / "networking.py"
    networking.write_text("from .storage import Storage  # noqa: F401\n" + networking.read_text())
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "lib"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 1
    assert "A002 Function argument `id` is shadowing a Python builtin" in lint.stdout
    assert "A002 Function argument `type` is shadowing a Python builtin" in lint.stdout
    assert "TID252" in lint.stdout


def test_the_state_rules_fail_the_verification_of_a_generated_project(project):
    """Analysis 001, failure 2: tap-doctor warns about state kept locally, unencrypted or
    unlocked in any project; a generated project's settings make those errors."""
    severity = Settings.load(project).severity
    assert {rule: severity.get(rule) for rule in STATE_RULES} == dict.fromkeys(STATE_RULES, ERROR)
    assert {RULES[rule].severity for rule in STATE_RULES} == {WARNING}
