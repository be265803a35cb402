"""`copier update` of a generated project, from an older release of the template to the newest.

The template's working tree becomes a git repository with two tags: 1.0.0, the tree with
a few of its changes taken out (a README section, a generated test, the pre-commit
configuration), and 1.1.0, the tree as it is. A project copied from 1.0.0, committed and
edited as an engineer edits it, is then updated with the answers file alone (no source,
no version): the engineer's edits stay, the template's changes arrive. A project of
1.1.0 on cdktf moves to CDK Terrain with `--data framework=cdktn`, one on pipenv to uv
with `--data package_manager=uv`.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from copier import run_update
from copier.errors import TaskError

from rendering import (
    ALL_SERVICES,
    TEMPLATE,
    commit_all,
    git,
    render,
    service_answers,
    task_environment,
    task_output,
)
from tap_template.synth import PYTHON_VARIABLE, project_app, synthesize, synthesized_stacks

OLD, NEW = "1.0.0", "1.1.0"
# Taken out of the template for release 1.0.0; each must arrive with the update.
DEPLOY_LOCALLY = "## Deploy locally, to an AWS emulator\n"
TAG_VALUE_TEST = "def test_tag_values_are_cut_to_what_aws_accepts"
# The README line the conflict test edits on both sides.
INTRODUCTION = "A CDK for Terraform (Python) project for AWS, generated from tap-template."
OLD_INTRODUCTION = "A CDKTF project from tap-template."
CONFLICT_MARKERS = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.MULTILINE)

ENGINEER_CONSTRUCT = '''"""The team's own construct: who answers for this environment, in a parameter."""

from cdktf_cdktf_provider_aws.ssm_parameter import SsmParameter
from constructs import Construct


class OnCall(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, name_prefix: str, environment_suffix: str
    ):
        super().__init__(scope, construct_id)
        self.parameter = SsmParameter(
            self,
            "parameter",
            name=f"/{name_prefix}/{environment_suffix}/on-call",
            type="String",
            value="payments-oncall",
        )
'''
ON_CALL_SKIP = "  - CKV2_AWS_34  # the on-call parameter names a team, which is no secret\n"
ENGINEER_TEST = """def test_on_call_parameter_names_the_team(resources):
    (parameter,) = resources("aws_ssm_parameter")
    assert parameter["value"] == "payments-oncall"
    assert parameter["name"].endswith("/on-call")
"""


@pytest.fixture(scope="module")
def template_repository(tmp_path_factory) -> Path:
    """The template at two tags: OLD without a few of today's changes, NEW as it is."""
    repository = tmp_path_factory.mktemp("template-repository")
    for name in ("copier.yml", "template", "includes", "hooks", "extensions"):
        source = TEMPLATE / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(source, repository / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy(source, repository / name)
    git(repository, "init", "-q")
    today = old_release(repository / "template")
    commit_all(repository, f"release {OLD}")
    git(repository, "tag", OLD)
    for path, text in today.items():
        path.write_text(text)
    commit_all(repository, f"release {NEW}")
    git(repository, "tag", NEW)
    return repository


def old_release(template: Path) -> dict[Path, str]:
    """Take some of today's changes out of `template`; today's text of each file changed."""
    readme, test_tap = template / "README.md.jinja", template / "tests" / "unit" / "test_tap.py.jinja"
    pre_commit = template / ".pre-commit-config.yaml"
    today = {path: path.read_text() for path in (readme, test_tap, pre_commit)}
    text = today[readme]
    section = slice(text.index(DEPLOY_LOCALLY), text.index("## Environment variables"))
    readme.write_text(text[: section.start].replace(INTRODUCTION, OLD_INTRODUCTION) + text[section.stop :])
    text = today[test_tap]
    test_tap.write_text(text[: text.rindex("\n\n\n", 0, text.index(TAG_VALUE_TEST)) + 1])
    pre_commit.unlink()
    return today


def copy_release(template: Path, destination: Path, version: str = OLD) -> Path:
    """A project copied from a release (no verification: the update's is the one that counts), committed."""
    render(destination, template=template, vcs_ref=version)
    git(destination, "init", "-q")
    commit_all(destination, f"generated from tap-template {version}")
    return destination


def add_on_call(project: Path) -> None:
    """The engineer's own construct, in the stack, with its test and what the security scan should know."""
    (project / "lib" / "constructs" / "on_call.py").write_text(ENGINEER_CONSTRUCT)
    checkov = project / ".checkov.yaml"
    checkov.write_text(checkov.read_text() + ON_CALL_SKIP)
    (project / "tests" / "unit" / "test_on_call.py").write_text(ENGINEER_TEST)
    storage_import = "from lib.constructs.storage import Storage\n"
    outputs = "        for service in built[aws_region]:\n"
    on_call = '        OnCall(self, "on-call", name_prefix=PROJECT_NAME, environment_suffix=environment_suffix)\n'
    edit(
        project / "lib" / "tap_stack.py",
        {
            storage_import: f"from lib.constructs.on_call import OnCall\n{storage_import}",
            outputs: f"{on_call}\n{outputs}",
        },
    )


def update(project: Path, python: str, **options) -> str:
    """`copier update --trust --defaults` with the answers file alone; what its verification printed."""
    with task_environment(python), task_output(project.with_name(f"{project.name}-update.log")) as log:
        run_update(str(project), defaults=True, overwrite=True, unsafe=True, **options)
        return log.read_text()


def conflict_markers(project: Path) -> list[str]:
    return [
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file()
        and ".git" not in path.parts
        and "cdktf.out" not in path.parts
        and CONFLICT_MARKERS.search(path.read_text(errors="ignore"))
    ]


def check_update(project: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "copier", "check-update", "--output-format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(result.stdout)


def test_update_keeps_the_engineers_edits_and_brings_the_templates_changes(
    template_repository, project_python, tmp_path
):
    project = copy_release(template_repository, tmp_path / "project")
    assert check_update(project) == {"update_available": True, "current_version": OLD, "latest_version": NEW}

    # What an engineer does in the weeks after the copy: a construct of their own and its
    # test, a README section, an answer's value changed (the Owner tag) with its test.
    add_on_call(project)
    team_notes = "\n## Team notes\n\nPage payments-oncall before changing the VPC.\n"
    (project / "README.md").write_text((project / "README.md").read_text() + team_notes)
    edit(project / "tap.py", {'"Owner": "platform-team"': '"Owner": "payments-oncall"'})
    edit(
        project / "tests" / "unit" / "test_tap.py",
        {'tags["Owner"] == "platform-team"': 'tags["Owner"] == "payments-oncall"'},
    )
    commit_all(project, "the team's changes")
    edited = {
        path: (project / path).read_text() for path in ("lib/constructs/on_call.py", "tests/unit/test_on_call.py")
    }

    report = update(project, project_python())

    assert conflict_markers(project) == [] and not list(project.rglob("*.rej"))
    for path, text in edited.items():
        assert (project / path).read_text() == text
    assert 'OnCall(self, "on-call"' in (project / "lib" / "tap_stack.py").read_text()
    readme = (project / "README.md").read_text()
    assert readme.endswith(team_notes) and DEPLOY_LOCALLY in readme and INTRODUCTION in readme
    assert '"Owner": "payments-oncall"' in (project / "tap.py").read_text()
    test_tap = (project / "tests" / "unit" / "test_tap.py").read_text()
    assert 'tags["Owner"] == "payments-oncall"' in test_tap and TAG_VALUE_TEST in test_tap
    assert (project / ".pre-commit-config.yaml").is_file()
    assert (project / ".checkov.yaml").read_text().endswith(ON_CALL_SKIP)
    assert check_update(project) == {"update_available": False, "current_version": NEW, "latest_version": NEW}

    # The verification ran once, after Copier re-applied the engineer's edits (not in its
    # scratch renders of the releases), and the project's own tests pass.
    assert report.count("tap-template verification of") == 1, report
    assert re.search(r"^  synth +passed .*TapStackdev", report, re.MULTILINE), report
    assert re.search(r"^  stacks +passed", report, re.MULTILINE), report
    unit = [project_python(), "-m", "pytest", "tests/unit", "-v", "-p", "no:cacheprovider"]
    tests = subprocess.run(unit, cwd=project, capture_output=True, text=True, check=False)
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert "test_on_call.py::test_on_call_parameter_names_the_team PASSED" in tests.stdout
    hooks = pre_commit(project)  # the project's own hooks: conflict markers, ruff, tap-doctor
    assert hooks.returncode == 0, hooks.stdout + hooks.stderr


def test_update_with_a_new_answer_adds_the_service(template_repository, project_python, tmp_path):
    project = copy_release(template_repository, tmp_path / "project")

    report = update(project, project_python(), data={"services": ["networking", "storage", "dynamodb"]})

    assert conflict_markers(project) == []
    assert (project / "lib" / "constructs" / "dynamodb.py").is_file()
    assert (project / "tests" / "unit" / "test_dynamodb.py").is_file()
    (stack,) = (project / "cdktf.out" / "stacks").glob("*/cdk.tf.json")  # the verification's synth
    assert "aws_dynamodb_table" in json.loads(stack.read_text())["resource"]
    assert re.search(r"^  stacks +passed", report, re.MULTILINE), report
    assert "dynamodb" in (project / ".copier-answers.yml").read_text()


def test_update_with_skip_tasks_runs_no_verification_and_says_so(template_repository, tmp_path):
    """What a script over many projects runs: the template's changes arrive, nothing is installed or synthesized."""
    project = copy_release(template_repository, tmp_path / "project")
    updated = subprocess.run(
        [sys.executable, "-m", "copier", "update", "--trust", "--defaults", "--skip-tasks"],
        cwd=project,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert updated.returncode == 0, updated.stderr
    assert DEPLOY_LOCALLY in (project / "README.md").read_text()
    assert "tap-template verification" not in updated.stdout + updated.stderr
    assert not (project / "cdktf.out").exists()
    assert "Updated, not verified (--skip-tasks)" in updated.stderr


def test_renovates_update_without_trust_is_refused_and_changes_nothing(template_repository, tmp_path):
    """Renovate's copier manager runs this command, adding --trust only where its instance
    allows scripts: without it, Copier refuses the template (the README says so)."""
    project = copy_release(template_repository, tmp_path / "project")
    renovate = ["update", "--skip-answered", "--defaults", "--answers-file", ".copier-answers.yml", "--vcs-ref", NEW]
    updated = subprocess.run(
        [sys.executable, "-m", "copier", *renovate],
        cwd=project,
        env={**os.environ, "PYTHONWARNINGS": "ignore", "CI": "true"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert updated.returncode != 0
    assert "Template uses potentially unsafe features: jinja_extensions, migrations, tasks." in updated.stderr
    assert git(project, "status", "--porcelain") == ""


def test_a_conflict_is_left_inline_and_the_pre_commit_check_catches_it(template_repository, project_python, tmp_path):
    project = copy_release(template_repository, tmp_path / "project")
    edit(project / "README.md", {OLD_INTRODUCTION: "The payments team's AWS infrastructure."})
    commit_all(project, "our introduction")

    update(project, project_python(), conflict="inline")

    # Copier reports the conflict in git: the file is unmerged, as after `git merge`.
    assert git(project, "diff", "--name-only", "--diff-filter=U").split() == ["README.md"]
    assert conflict_markers(project) == ["README.md"]
    readme = (project / "README.md").read_text()
    assert "The payments team's AWS infrastructure." in readme and INTRODUCTION in readme
    checked = pre_commit(project, "check-merge-conflict")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "README.md" in checked.stdout and "Merge conflict string" in checked.stdout, checked.stdout


def pre_commit(project: Path, *hooks: str) -> subprocess.CompletedProcess:
    """`pre-commit run --all-files`, of `hooks` or all of the project's hooks."""
    command = [sys.executable, "-m", "pre_commit", "run", *hooks, "--all-files"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def last_release() -> str | None:
    """The newest release tag of this repository below the working tree's commit."""
    tags = git(TEMPLATE, "tag", "--merged", "HEAD", "--no-contains", "HEAD", "--sort=-v:refname").split()
    return tags[0] if tags else None


def test_update_from_the_last_release_moves_no_address(project_python, tmp_path):
    """Every service in two regions, copied from the last release and updated to this tree:
    each resource, data source and output keeps its address, so the next apply replaces
    nothing."""
    release = last_release()
    if release is None:
        pytest.skip("this clone has no release tags to update from (git fetch --tags)")
    answers = {**service_answers(ALL_SERVICES), "secondary_regions": ["us-west-2"]}
    project = render(tmp_path / "project", answers, vcs_ref=release)
    git(project, "init", "-q")
    commit_all(project, f"generated from tap-template {release}")
    command = project_app(project, project_python())
    before = addresses(synthesize(project, command))

    run_update(str(project), defaults=True, overwrite=True, unsafe=True, skip_tasks=True, vcs_ref="HEAD", quiet=True)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] != release
    assert conflict_markers(project) == []
    assert addresses(synthesize(project, command)) == before


def edit(path: Path, replacements: dict[str, str]) -> None:
    text = path.read_text()
    for old, new in replacements.items():
        assert old in text, f"{path} has no {old!r}"
        text = text.replace(old, new)
    path.write_text(text)


def test_update_to_cdk_terrain_keeps_every_resource_address_and_reports_the_engineers_cdktf_imports(
    template_repository, project_python, tmp_path
):
    project = copy_release(template_repository, tmp_path / "project", NEW)
    add_on_call(project)
    commit_all(project, "the team's construct")
    before = addresses(synthesize(project, project_app(project, project_python("cdktf"))))

    # The template's files move to cdktn; the verification stops at the engineer's construct.
    with pytest.raises(TaskError):
        update(project, project_python("cdktn"), data={"framework": "cdktn"})
    report = project.with_name(f"{project.name}-update.log").read_text()
    assert re.search(
        r"error framework-imports at lib/constructs/on_call\.py:\d+: imports cdktf_cdktf_provider_aws, "
        r"but the project runs on cdktn.*\(fix: import from cdktn_provider_aws instead",
        report,
    ), report
    assert conflict_markers(project) == []
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["framework"] == "cdktn"
    packages = tomllib.loads((project / "Pipfile").read_text())["packages"]
    assert "cdktn" in packages and "cdktf" not in packages
    assert "targetVersions" in json.loads((project / "cdktf.json").read_text())
    template_sources = [path for path in (project / "lib").rglob("*.py") if path.name != "on_call.py"]
    for path in [*template_sources, project / "tap.py", project / "tests" / "unit" / "conftest.py"]:
        assert not re.search(r"^from cdktf", path.read_text(), re.MULTILINE), path

    # The engineer follows the finding; the verification passes and nothing is replaced.
    edit(project / "lib" / "constructs" / "on_call.py", {"cdktf_cdktf_provider_aws": "cdktn_provider_aws"})
    environment = {**os.environ, PYTHON_VARIABLE: project_python("cdktn")}
    verify = [sys.executable, "tools/post_copy.py"]
    verified = subprocess.run(verify, cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert addresses(synthesized_stacks(project)) == before
    unit = [project_python("cdktn"), "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider"]
    tests = subprocess.run(unit, cwd=project, capture_output=True, text=True, check=False)
    assert tests.returncode == 0, tests.stdout[-3000:]


def test_update_to_uv_names_the_packages_the_engineer_had_added_to_the_pipfile(
    template_repository, project_python, tmp_path
):
    project = copy_release(template_repository, tmp_path / "project", NEW)
    edit(project / "Pipfile", {"[dev-packages]\n": '[dev-packages]\nhypothesis = "*"\n'})
    edit(project / "Pipfile", {"[packages]\n": '[packages]\nrequests = "*"\n'})
    commit_all(project, "the team's packages")

    # Copier removes the Pipfile, edits and all; the verification names what it held.
    with pytest.raises(TaskError):
        update(project, project_python(), data={"package_manager": "uv"})
    report = project.with_name(f"{project.name}-update.log").read_text()
    assert re.search(
        r"environment +failed .* pyproject\.toml lacks packages that the Pipfile of the last commit listed .*"
        r"add them with uv add requests; uv add --dev hypothesis$",
        report,
        re.MULTILINE,
    ), report
    assert not (project / "Pipfile").exists() and (project / ".python-version").is_file()
    assert json.loads((project / "cdktf.json").read_text())["app"] == "uv run python tap.py"

    # The engineer runs the commands it named (--frozen: pyproject.toml only, the lock comes
    # with the next `uv sync`); the verification passes.
    for command in ("uv add --frozen requests", "uv add --frozen --dev hypothesis"):
        subprocess.run(command.split(), cwd=project, capture_output=True, check=True)
    environment = {**os.environ, PYTHON_VARIABLE: project_python()}
    verify = [sys.executable, "tools/post_copy.py"]
    verified = subprocess.run(verify, cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def addresses(stacks: dict[str, tuple[dict, Path]]) -> set[str]:
    """The Terraform address of every resource, data source and output of each stack."""
    return {
        f"{name}: {'data.' if block == 'data' else ''}{kind}.{label}"
        for name, (stack, _) in stacks.items()
        for block in ("resource", "data")
        for kind, labelled in stack.get(block, {}).items()
        for label in labelled
    } | {f"{name}: output.{label}" for name, (stack, _) in stacks.items() for label in stack.get("output", {})}
