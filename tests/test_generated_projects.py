"""Generated projects end to end: copy with verification (the one synth), then the project's own checks.

Each case of the matrix (tests/matrix.py) is copied once, and copier's post-copy task
synthesizes it once; every test of the case reads that project and its cdktf.out.
"""

import json
import re
import subprocess

import pytest

from matrix import CASES
from rendering import ALL_SERVICES, project_task, provider_mirror, with_needs
from tap_template.scan import CONFIG_FILE, skip_list

RESOURCES_OF = {
    "networking": "aws_vpc",
    "storage": "aws_s3_bucket",
    "dynamodb": "aws_dynamodb_table",
    "aurora": "aws_rds_cluster",
    "lambda": "aws_lambda_function",
    "api": "aws_apigatewayv2_api",
    "dns": "aws_route53_zone",
    "events": "aws_cloudwatch_event_bus",
    "dms": "aws_dms_replication_instance",
    "ssm": "aws_ssm_parameter",
    "monitoring": "aws_sns_topic",
    "backup": "aws_backup_plan",
}


@pytest.fixture(
    scope="module",
    params=[pytest.param(name, id=name, marks=pytest.mark.xdist_group(name)) for name in CASES],
)
def case(request, generated):
    return generated(request.param)


def run(command, project):
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def test_verification_passes_every_step_with_one_synth(case):
    answers, _, report, _ = case
    steps = dict(re.findall(r"^  (\w+) +(passed|failed|skipped) ", report, re.MULTILINE))
    assert steps.pop("terraform") in {"passed", "skipped"}, report  # test_terraform_validate_... says more
    uv = answers.get("package_manager") == "uv"  # installed by `uv sync`; the others share an environment
    assert steps == {
        "sources": "passed",
        "environment": "passed" if uv else "skipped",
        "synth": "passed",
        "stacks": "passed",
        "security": "passed",
    }, report
    assert "tap-doctor on the sources: no warnings" in report
    assert "tap-doctor on the stacks: no warnings" in report
    locking = answers.get("state_locking", "s3-native")
    expected_locks = {
        "s3-native": "use_lockfile",
        "dynamodb": "dynamodb_table",
        "both": "use_lockfile + dynamodb_table",
    }
    assert f"encrypted, locked by {expected_locks[locking]})" in report


def test_terraform_validates_the_stack_or_the_report_says_why_not(case):
    """Provider 5 validates for real where a mirror holds hashicorp/aws 5.100.0 (these machines)."""
    (line,) = re.findall(r"^  terraform .*$", case.report, re.MULTILINE)
    if "skipped" in line:
        assert re.search(r"skipped +[\d.]+ s  terraform validate: skipped, \S.{20,}", line), line
    if case.answers.get("aws_provider_major", 6) == 5:
        if provider_mirror() is None:
            pytest.skip("no Terraform provider mirror with hashicorp/aws on this machine")
        assert "terraform validate: passed" in line, case.report


def test_security_scan_passes_and_every_skipped_check_has_its_reason(case):
    """checkov (a dev dependency of these tests) fails no check; .checkov.yaml skips only with a reason."""
    (line,) = re.findall(r"^  security .*$", case.report, re.MULTILINE)
    skips = r"(\d+ checks? skipped with their reasons|no check skipped) in \.checkov\.yaml"
    assert re.search(rf"checkov [\d.]+: passed \(TapStack\w+: \d+ passed; {skips}\)", line), line
    skipped = skip_list(case.project / CONFIG_FILE)
    assert all(len(reason) > 20 for reason in skipped.values()), skipped


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xdist_group(name))
        for name, answers in CASES.items()
        if answers.get("package_manager") == "uv"
    ],
)
def test_uv_project_is_locked_and_runs_its_tasks_through_uv(generated, name):
    """A uv project: `uv sync` wrote uv.lock, which agrees with pyproject.toml, and the
    tasks run as the README says, `uv run poe <task>`."""
    case = generated(name)
    assert re.search(r"^  environment +passed +[\d.]+ s  uv sync$", case.report, re.MULTILINE), case.report
    locked = run(["uv", "lock", "--check"], case.project)
    assert locked.returncode == 0, locked.stderr
    lint = run(["uv", "run", "--frozen", "poe", "lint"], case.project)
    assert lint.returncode == 0 and "Poe => ruff check ." in lint.stderr.splitlines(), lint.stdout + lint.stderr


def test_generated_doctor_script_finds_nothing(case):
    """The project's own `pipenv run doctor`, static rules only: the synth rules ran in the verification."""
    _, project, _, python = case
    result = run([*project_task(project, "doctor", python), "--no-synth", "--format", "json"], project)
    assert (result.returncode, json.loads(result.stdout)) == (0, []), result.stderr


def test_stack_is_named_by_suffix_and_holds_the_chosen_services(case):
    stack, recorded = case.stack(), case.recorded_answers()
    assert stack["//"]["metadata"]["stackName"] == "TapStackdev"
    assert stack["provider"]["aws"][0]["region"] == recorded["aws_region"]
    for service, resource_type in RESOURCES_OF.items():
        assert (resource_type in stack["resource"]) == (service in recorded["services"]), service


def test_every_service_is_in_the_matrix_alone_and_with_all_others():
    """Alone, or with only the services it needs; and all services in three regions."""
    cases = [answers.get("services") for answers in CASES.values()]
    assert all(with_needs(service) in cases for service in ALL_SERVICES)
    assert set(RESOURCES_OF) == set(ALL_SERVICES)
    assert sorted(CASES["all-services"]["services"]) == sorted(ALL_SERVICES)
    assert len(CASES["all-services"]["secondary_regions"]) == 2


def test_each_secondary_region_gets_an_aliased_provider(case):
    aliased = [provider for provider in case.stack()["provider"]["aws"] if "alias" in provider]
    assert [provider["region"] for provider in aliased] == case.recorded_answers()["secondary_regions"]


def test_provider_version_follows_the_chosen_major(case):
    version = case.stack()["terraform"]["required_providers"]["aws"]["version"]
    if case.answers.get("framework") == "cdktn":
        assert version == "6.69.1"  # cdktn-provider-aws 25.8.1
    else:
        assert version == {6: "6.25.0", 5: "5.100.0"}[case.answers.get("aws_provider_major", 6)]


def test_generated_unit_tests_pass_with_the_coverage_gate(case):
    _, project, _, python = case
    result = run(project_task(project, "test-unit", python), project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Required test coverage of 90% reached" in result.stdout


def test_generated_integration_tests_skip_without_a_deployment(case):
    _, project, _, python = case
    result = run([*project_task(project, "test-integration", python), "-rs"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no deployed stack to check" in result.stdout
    assert " passed" not in result.stdout and " failed" not in result.stdout


def test_generated_project_is_lint_clean_and_formatted(case):
    _, project, _, python = case
    lint = run(project_task(project, "lint", python), project)
    assert lint.returncode == 0, lint.stdout
    formatted = run([python, "-m", "ruff", "format", "--check", "--diff", "."], project)
    assert formatted.returncode == 0, formatted.stdout
