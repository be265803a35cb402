"""The generated CI/CD pipeline: GitHub Actions workflows that actionlint and zizmor pass,
least privilege, pinned actions, one synth shared by the checks and the deploy."""

import functools
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from rendering import TEMPLATE, project_task, render
from tap_template.project import PIPENV, UV

ROLE = "arn:aws:iam::123456789012:role/tap-deploy"
ACTIONLINT = TEMPLATE / "tests" / "actionlint.cjs"
# (ci, package_manager, aws_role_arn): every value of ci, with and without the role.
PIPELINES = {
    "github-actions-pipenv": {"ci": "github-actions"},
    "github-actions-pipenv-role": {"ci": "github-actions", "aws_role_arn": ROLE},
    "github-actions-uv": {"ci": "github-actions", "package_manager": "uv"},
    "github-actions-uv-role": {"ci": "github-actions", "package_manager": "uv", "aws_role_arn": ROLE},
}
# A task as the workflow runs it: `pipenv run lint`, `uv run poe lint`.
TASK_COMMAND = re.compile(rf"(?:{'|'.join(re.escape(manager.run) for manager in (PIPENV, UV))}) ([\w-]+)")


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    """Each pipeline variant, copied once (no verification: only the workflows are read)."""
    folder = tmp_path_factory.mktemp("pipelines")
    return {name: render(folder / name / "project", answers) for name, answers in PIPELINES.items()}


@functools.cache
def workflow(project: Path) -> dict:
    (path,) = (project / ".github" / "workflows").glob("*.yml")
    # YAML 1.1 reads the key `on` as True.
    return {("on" if key is True else key): value for key, value in yaml.safe_load(path.read_text()).items()}


def test_no_pipeline_writes_no_workflow(tmp_path):
    assert not (render(tmp_path / "project", {"ci": "none"}) / ".github").exists()


def test_actionlint_finds_nothing_in_any_workflow(projects):
    paths = [str(path) for project in projects.values() for path in (project / ".github").rglob("*.yml")]
    assert len(paths) == len(PIPELINES)
    result = subprocess.run(["node", str(ACTIONLINT), *paths], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("name", PIPELINES)
def test_zizmor_finds_nothing(projects, name):
    result = subprocess.run(
        ["zizmor", "--offline", "--format", "json", str(projects[name] / ".github")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, json.loads(result.stdout)) == (0, []), result.stdout + result.stderr


@pytest.mark.parametrize("name", PIPELINES)
def test_every_job_has_least_privilege_and_every_action_is_pinned_to_a_commit(projects, name):
    flow = workflow(projects[name])
    assert flow["permissions"] == {}
    for job_name, job in flow["jobs"].items():
        wanted = {"contents": "read", **({"id-token": "write"} if job_name in ("deploy", "destroy") else {})}
        assert job["permissions"] == wanted, job_name
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


@pytest.mark.parametrize("name", PIPELINES)
def test_checks_run_lint_unit_tests_one_synth_doctor_and_validate_with_the_tags_inputs(projects, name):
    project, flow = projects[name], workflow(projects[name])
    assert set(flow["env"]) >= {"ENVIRONMENT_SUFFIX", "REPOSITORY", "COMMIT_AUTHOR", "PR_NUMBER", "TEAM"}
    assert "format('pr{0}', github.event.pull_request.number)" in flow["env"]["ENVIRONMENT_SUFFIX"]
    check = flow["jobs"]["check"]
    assert check["concurrency"]["cancel-in-progress"] is True
    commands = "\n".join(step.get("run", "") for step in check["steps"])
    tasks = TASK_COMMAND.findall(commands)
    assert tasks == ["lint", "format", "test-unit", "synth", "doctor"]
    for task in tasks:  # each is one of the project's tasks (KeyError if not)
        project_task(project, task, "python")
    assert "doctor --synthesized" in commands and 'terraform -chdir="$stack" validate' in commands
    uploads = [step for step in check["steps"] if "upload-artifact" in step.get("uses", "")]
    assert [step["with"]["name"] for step in uploads] == ["synth"]


@pytest.mark.parametrize("name", PIPELINES)
def test_with_a_role_the_checked_synth_is_deployed_per_pull_request_and_destroyed_on_close(projects, name):
    flow = workflow(projects[name])
    if "aws_role_arn" not in PIPELINES[name]:
        assert set(flow["jobs"]) == {"check"}
        assert "closed" not in json.dumps(flow["on"])
        return
    assert flow["on"]["pull_request"]["types"] == ["opened", "synchronize", "reopened", "closed"]
    deploy, destroy = flow["jobs"]["deploy"], flow["jobs"]["destroy"]
    assert deploy["needs"] == "check"
    assert "github.event.pull_request.head.repo.full_name == github.repository" in deploy["if"]
    assert "github.event.action == 'closed'" in destroy["if"]
    # One run at a time per environment, never cancelled half-way.
    assert deploy["concurrency"]["cancel-in-progress"] is destroy["concurrency"]["cancel-in-progress"] is False
    assert "format('pr{0}', github.event.pull_request.number)" in deploy["concurrency"]["group"]
    assert destroy["concurrency"]["group"] == "deploy-pr${{ github.event.pull_request.number }}"
    for job in (deploy, destroy):
        (credentials,) = [step for step in job["steps"] if "configure-aws-credentials" in step.get("uses", "")]
        assert credentials["with"]["role-to-assume"] == ROLE
    downloads = [step for step in deploy["steps"] if "download-artifact" in step.get("uses", "")]
    assert [step["with"]["name"] for step in downloads] == ["synth"]
    deploy_commands = "\n".join(step.get("run", "") for step in deploy["steps"])
    assert " synth" not in deploy_commands  # it applies the synth the checks passed
    assert "GITHUB_STEP_SUMMARY" in deploy_commands and "apply -input=false" in deploy_commands
    assert TASK_COMMAND.findall(deploy_commands) == ["test-integration"]
    assert "destroy -input=false" in "\n".join(step.get("run", "") for step in destroy["steps"])
