"""Onboarding: a platform team's answers in a data file (examples/team-answers.yml); a new
engineer copies with it and is asked only the questions that are theirs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rendering import COPIER_YML, TEMPLATE

TEAM_FILE = TEMPLATE / "examples" / "team-answers.yml"
TEAM = yaml.safe_load(TEAM_FILE.read_text())
# What docs/onboarding.md says a new engineer answers, for the default services.
ENGINEER = {
    "project_name": "payments",
    "description": "Payments infrastructure",
    "environment_suffix": "dev",
    "preset": "custom",
    "services": ["networking", "storage"],
    "vpc_cidr": "10.20.0.0/16",
    "nat_gateways": "single",
    "application": "payments",
    "aws_role_arn": "arn:aws:iam::123456789012:role/payments-deploy",
}


def copy_without_a_terminal(destination: Path, answers: dict) -> subprocess.CompletedProcess:
    """`copier copy --data-file TEAM_FILE --data ...` with no terminal to ask on: a
    question left unanswered stops it."""
    values = {name: value if isinstance(value, str) else json.dumps(value) for name, value in answers.items()}
    data = [argument for name, value in values.items() for argument in ("--data", f"{name}={value}")]
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--skip-tasks", "--vcs-ref", "HEAD"]
    return subprocess.run(
        [*command, "--data-file", str(TEAM_FILE), *data, str(TEMPLATE), str(destination)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_team_and_the_engineer_answer_different_questions():
    questions = {name for name, question in COPIER_YML.items() if not name.startswith("_")}
    computed = {name for name in questions if COPIER_YML[name].get("when") is False}
    assert not set(TEAM) & set(ENGINEER)
    # The rest are asked only for services or locking modes these answers do not choose.
    unasked = questions - computed - set(TEAM) - set(ENGINEER)
    assert all("when" in COPIER_YML[name] for name in unasked), unasked


def test_with_the_team_file_a_copy_needs_only_the_engineers_answers(tmp_path):
    project = tmp_path / "payments"
    result = copy_without_a_terminal(project, ENGINEER)
    assert result.returncode == 0, result.stdout + result.stderr
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert {name: recorded[name] for name in TEAM} == TEAM
    assert {name: recorded[name] for name in ENGINEER} == ENGINEER
    assert (project / "pyproject.toml").is_file() and not (project / "Pipfile").exists()  # package_manager: uv


@pytest.mark.parametrize("question", ["project_name", "description", "services", "aws_role_arn"])
def test_each_of_the_engineers_questions_is_still_asked(tmp_path, question):
    project = tmp_path / "payments"
    result = copy_without_a_terminal(project, {name: value for name, value in ENGINEER.items() if name != question})
    assert result.returncode != 0
    assert "Interactive session required" in result.stdout + result.stderr
    assert not project.exists()
