"""The questionnaire: defaults, conditional questions and files, and refused answers."""

import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml

from rendering import (
    ALL_SERVICES,
    CATALOGUE,
    COPIER_YML,
    PRESET_ANSWERS,
    QUESTIONS,
    TEMPLATE,
    assert_files_parse,
    project_requirements,
    render,
    service_answers,
    with_needs,
)


def test_defaults_render_the_tap_layout(tmp_path):
    project = render(tmp_path / "project")
    for path in (
        "tap.py",
        "cdktf.json",
        "Pipfile",
        "pyproject.toml",
        "README.md",
        ".gitignore",
        ".copier-answers.yml",
        "lib/__init__.py",
        "lib/tap_stack.py",
        "lib/constructs/__init__.py",
        "lib/constructs/common.py",
        "lib/constructs/networking.py",
        "lib/constructs/storage.py",
        "tests/unit/conftest.py",
        "tests/unit/test_tap_stack.py",
        "tests/unit/test_networking.py",
        "tests/unit/test_storage.py",
        "tests/unit/test_tap.py",
        "tests/integration/test_networking.py",
    ):
        assert (project / path).is_file(), path
    assert not (project / "Pipfile.lock").exists()


def test_cdktf_json_runs_tap_py_through_pipenv_and_lists_no_prebuilt_provider(tmp_path):
    config = json.loads((render(tmp_path / "project") / "cdktf.json").read_text())
    assert config["language"] == "python"
    assert config["app"] == "pipenv run python tap.py"
    assert config["sendCrashReports"] == "false"
    # Listing aws here makes `cdktf synth` demand `cdktf get` (see the generated README).
    assert config["terraformProviders"] == []


@pytest.mark.parametrize(("major", "bindings"), [(6, "==21.22.1"), (5, "==20.1.0")])
def test_pipfile_pins_the_bindings_of_the_chosen_provider_major(tmp_path, major, bindings):
    pipfile = tomllib.loads((render(tmp_path / "project", {"aws_provider_major": major}) / "Pipfile").read_text())
    assert pipfile["packages"]["cdktf"] == "==0.21.0"
    assert pipfile["packages"]["cdktf-cdktf-provider-aws"] == bindings
    assert set(pipfile["dev-packages"]) >= {"pytest", "pytest-cov", "ruff", "boto3"}
    assert set(pipfile["scripts"]) >= {"synth", "test-unit", "test-integration", "lint"}


@pytest.mark.parametrize("framework", ["cdktf", "cdktn"])
def test_uv_project_declares_what_the_pipfile_would_in_pyproject(tmp_path, framework):
    """package_manager=uv: pyproject.toml lists the Pipfile's packages and runs its tasks
    with Poe the Poet; uv.lock comes from the verification."""
    pipenv = render(tmp_path / "pipenv", {"framework": framework})
    uv = render(tmp_path / "uv", {"framework": framework, "package_manager": "uv"})
    assert not (uv / "Pipfile").exists() and not (pipenv / ".python-version").exists()
    assert (uv / ".python-version").read_text() == "3.11\n"
    assert project_requirements(uv) == sorted([*project_requirements(pipenv), "poethepoet"])
    pyproject = tomllib.loads((uv / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert pyproject["tool"]["uv"] == {"package": False, "compile-bytecode": True}
    assert pyproject["tool"]["poe"]["tasks"] == tomllib.loads((pipenv / "Pipfile").read_text())["scripts"]
    assert json.loads((uv / "cdktf.json").read_text())["app"] == "uv run python tap.py"
    readme = (uv / "README.md").read_text()
    assert "    uv sync\n" in readme and "    uv run poe synth " in readme
    assert "pipenv" not in readme + (uv / "tap.py").read_text() + (uv / ".checkov.yaml").read_text()


def test_cdk_terrain_pins_its_packages_and_declares_the_terraform_it_targets(tmp_path):
    project = render(tmp_path / "project", {"framework": "cdktn"})
    packages = tomllib.loads((project / "Pipfile").read_text())["packages"]
    assert (packages["cdktn"], packages["cdktn-provider-aws"]) == ("==0.24.0", "==25.8.1")
    assert not {"cdktf", "cdktf-cdktf-provider-aws"} & set(packages)
    # cdktn refuses S3-native locking unless the project targets Terraform 1.10 or newer.
    assert json.loads((project / "cdktf.json").read_text())["targetVersions"] == {"terraform": ">=1.10.0"}
    sources = [path.read_text() for path in project.rglob("*.py") if "tools" not in path.parts]
    assert not any(re.search(r"^(from|import) cdktf", text, re.MULTILINE) for text in sources)


# `lambda` is a Python keyword, so that service's module has a longer name.
@pytest.mark.parametrize("service", ALL_SERVICES)
def test_each_service_is_one_construct_module_and_its_tests(tmp_path, service):
    services = with_needs(service)
    project = render(tmp_path / "project", service_answers(services))
    modules = [CATALOGUE[chosen]["module"] for chosen in services]
    constructs = {path.name for path in (project / "lib" / "constructs").glob("*.py")}
    shared = {"iam.py"} if any(CATALOGUE[chosen]["iam"] for chosen in services) else set()
    assert constructs == {"__init__.py", "common.py", *shared, *(f"{module}.py" for module in modules)}
    unit_tests = {path.name for path in (project / "tests" / "unit").glob("test_*.py")}
    shared = {"test_tap.py", "test_tap_stack.py", "test_common.py"}
    assert unit_tests == {*shared, *(f"test_{module}.py" for module in modules)}
    integration_tests = {path.name for path in (project / "tests" / "integration").glob("test_*.py")}
    assert integration_tests == {f"test_{module}.py" for module in modules}
    assert (project / "lib" / "lambda" / "api" / "handler.py").is_file() == ("lambda" in services)


def test_answers_file_records_the_answers_for_copier_update(tmp_path):
    answers = {
        "project_name": "payments",
        "state_locking": "dynamodb",
        "lock_table": "locks",
        "extra_tags": {"Tier": "1"},
    }
    recorded = yaml.safe_load((render(tmp_path / "project", answers) / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers
    assert "_src_path" in recorded and "_commit" in recorded
    assert "toolchain" not in recorded  # computed, not an answer


def test_lock_table_is_asked_only_for_dynamodb_locking(tmp_path):
    recorded = yaml.safe_load((render(tmp_path / "project") / ".copier-answers.yml").read_text())
    assert "lock_table" not in recorded


def test_every_region_question_offers_the_one_region_list():
    regions = COPIER_YML["_aws_regions"]
    assert len(regions) == len(set(regions)) >= 30
    for question in ("aws_region", "secondary_regions", "state_bucket_region"):
        assert COPIER_YML[question]["choices"] == regions


DMS = {"services": ["networking", "aurora", "dms"]}
DNS = {"services": ["lambda", "api", "dns"]}
TAG_CHARACTERS = "letters digits spaces _.:/=+-@"
# Refused answers, given with --data as a person types them (a str as it is, anything else
# as YAML), and what the message must say after the question's name.
REFUSED = [
    ("project_name", {"project_name": "My Project"}, "2-20 of a-z 0-9 -, from a letter"),
    ("project_name", {"project_name": "a"}, "2-20 of a-z"),
    ("project_name", {"project_name": "payments-"}, "2-20 of a-z"),
    ("project_name", {"project_name": "a-much-too-long-project-name"}, "2-20 of a-z"),
    ("project_name", {"project_name": "Été"}, "2-20 of a-z"),
    ("description", {"description": "two\rlines"}, "printable characters only"),
    ("description", {"description": "tab\there"}, "printable characters only"),
    ("description", {"description": "x" * 201}, "one line of 1 to 200 characters"),
    ("environment_suffix", {"environment_suffix": "Dev"}, "1-10 of a-z 0-9, from a-z"),
    ("environment_suffix", {"environment_suffix": "pr-12"}, "1-10 of a-z 0-9"),
    ("aws_region", {"aws_region": "us-east-9"}, "must be one of: us-east-1, us-east-2"),
    (
        "secondary_regions",
        {"aws_region": "eu-west-1", "secondary_regions": ["eu-west-1"]},
        "must not include eu-west-1",
    ),
    ("secondary_regions", {"secondary_regions": ["us-west-2", "atlantis-1"]}, "must be one of: us-east-1"),
    ("secondary_regions", {"secondary_regions": "us-west-2"}, "must be a YAML list of its choices"),
    ("services", {"services": []}, "choose at least one service"),
    ("services", {"services": ["networking", "api"]}, "api needs lambda"),
    ("services", {"services": ["storage", "monitoring"]}, "monitoring needs a service to watch"),
    ("services", {"services": ["storage", "backup"]}, "backup needs dynamodb or aurora"),
    ("services", {"services": ["aurora"]}, "aurora needs networking"),
    ("services", {"services": ["networking", "dms"]}, "dms needs aurora"),
    ("services", {"services": ["lambda", "dns"]}, "dns needs api"),
    ("services", {"services": ["networking", "mainframe"]}, "must be one of: networking, storage"),
    ("preset", {"preset": "mainframe-migration"}, "must be one of: custom, vpc-payment-gateway"),
    ("framework", {"framework": "pulumi"}, "must be one of: cdktf, cdktn"),
    ("aws_provider_major", {"framework": "cdktn", "aws_provider_major": 5}, "CDK Terrain is built for aws 6"),
    ("aws_provider_major", {"aws_provider_major": 4}, "must be one of: 6, 5"),
    ("aws_provider_major", {"aws_provider_major": "six"}, "must be a whole number"),
    ("lambda_memory_mb", {"services": ["lambda"], "lambda_memory_mb": 64}, "128 to 10240 (MB)"),
    ("lambda_memory_mb", {"services": ["lambda"], "lambda_memory_mb": "abc"}, "must be a whole number"),
    ("lambda_reserved_concurrency", {"services": ["lambda"], "lambda_reserved_concurrency": -1}, "0 to 1000"),
    ("lambda_reserved_concurrency", {"services": ["lambda"], "lambda_reserved_concurrency": 5000}, "0 to 1000"),
    ("aurora_min_capacity", {"services": ["networking", "aurora"], "aurora_min_capacity": 0.25}, "0.5-256"),
    ("aurora_min_capacity", {"services": ["networking", "aurora"], "aurora_min_capacity": 1.2}, "in steps of 0.5"),
    ("aurora_min_capacity", {"services": ["networking", "aurora"], "aurora_min_capacity": "lots"}, "must be a number"),
    (
        "aurora_max_capacity",
        {"services": ["networking", "aurora"], "aurora_min_capacity": 4, "aurora_max_capacity": 2},
        "below the minimum, 4.0",
    ),
    ("dns_zone_name", DNS, "no answer given, and it has no default"),
    ("dns_zone_name", {**DNS, "dns_zone_name": "Payments.Acme.io"}, "a domain you own"),
    ("dns_zone_name", {**DNS, "dns_zone_name": "api.example.com"}, "reserved for docs and tests"),
    ("dms_source_engine", {**DMS, "dms_source_engine": "db2"}, "must be one of: postgres, mysql, oracle, sqlserver"),
    ("dms_multi_az", {**DMS, "dms_multi_az": "maybe"}, "must be yes or no"),
    ("dms_create_vpc_role", {**DMS, "dms_create_vpc_role": "2"}, "must be yes or no"),
    ("vpc_cidr", {"vpc_cidr": "10.0.0.0/8"}, "IPv4 /16 to /20"),
    ("vpc_cidr", {"vpc_cidr": "10.0.300.0/16"}, "IPv4 /16 to /20"),
    ("vpc_cidr", {"vpc_cidr": "010.000.000.000/16"}, "IPv4 /16 to /20"),
    ("vpc_cidr", {"vpc_cidr": "10.0.1.0/16"}, "host bits set"),
    ("vpc_cidr", {"vpc_cidr": "100.64.0.0/16"}, "must be private"),
    ("vpc_cidr", {"vpc_cidr": "192.168.0.0/16", "secondary_regions": ["us-west-2"]}, "no room after it for 1"),
    ("state_bucket", {"state_bucket": "Terraform_State"}, "3-63 of a-z 0-9 . -"),
    ("state_bucket", {"state_bucket": "ab"}, "3-63 of a-z"),
    ("state_bucket", {"state_bucket": "state..bucket"}, "no '..'"),
    ("state_bucket", {"state_bucket": "192.168.10.20"}, "looks like an IP address"),
    ("state_bucket", {"state_bucket": "xn--state"}, "a prefix or suffix S3 reserves"),
    ("state_bucket", {"state_bucket": "state-s3alias"}, "a prefix or suffix S3 reserves"),
    ("state_bucket_region", {"state_bucket_region": "mars-north-1"}, "must be one of: us-east-1"),
    ("state_locking", {"state_locking": "consul"}, "must be one of: s3-native, dynamodb, both"),
    ("lock_table", {"state_locking": "dynamodb", "lock_table": "x"}, "3-255 of A-Z a-z 0-9 _ - ."),
    ("owner", {"owner": "<platform>"}, TAG_CHARACTERS),
    ("owner", {"owner": "x" * 257}, "at most 256 characters"),
    ("cost_center", {"cost_center": ""}, TAG_CHARACTERS),
    ("application", {"application": "café; drop"}, TAG_CHARACTERS),
    ("extra_tags", {"extra_tags": ["a", "b"]}, "a mapping, e.g. {Tier: gold}"),
    ("extra_tags", {"extra_tags": "{a: [}"}, "must be YAML"),
    ("extra_tags", {"extra_tags": {"aws:createdBy": "me"}}, "aws: is AWS's"),
    ("extra_tags", {"extra_tags": {"k" * 129: "v"}}, "1-128 tag characters"),
    ("extra_tags", {"extra_tags": {"Tier": "v" * 257}}, '"Tier" value: 0-256 tag characters'),
    ("extra_tags", {"extra_tags": {"Tier": 1}}, '"Tier" value: 0-256 tag characters'),
    ("extra_tags", {"extra_tags": {"Environment": "prod"}}, "is the template's"),
    ("extra_tags", {"extra_tags": {"costcenter": "prod"}}, "is the template's"),
    ("extra_tags", {"extra_tags": {"Tier": "1", "tier": "2"}}, 'key "tier" again, in another case'),
    ("python_version", {"python_version": "3.10"}, "must be one of: 3.11, 3.12, 3.13"),
    ("package_manager", {"package_manager": "poetry"}, "must be one of: pipenv, uv"),
    ("ci", {"ci": "jenkins"}, "must be one of: github-actions, none"),
    ("aws_role_arn", {"aws_role_arn": "arn:aws:iam::12345:role/deploy"}, "empty or an IAM role ARN"),
    ("aws_role_arn", {"aws_role_arn": "arn:aws:iam::123456789012:user/deploy"}, "empty or an IAM role ARN"),
]
# Copier prefixes a message shown while asking with this; its prompt shows one line of 80 columns.
INTERACTIVE_PREFIX = "Validation error for question '{}': "


def copier_cli(*arguments: str, destination: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`copier copy` of the working tree without verification, as a person runs it; stderr in stdout."""
    command = ["copier", "copy", "--trust", "--skip-tasks", "--quiet", "--vcs-ref", "HEAD"]
    return subprocess.run(
        [*command, *arguments, str(TEMPLATE), str(destination)],
        env={**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "80"},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def data_options(answers: dict) -> list[str]:
    return [f"--data={key}={value if isinstance(value, str) else json.dumps(value)}" for key, value in answers.items()]


@pytest.mark.parametrize(
    ("question", "answers", "explanation"), REFUSED, ids=[f"{question}-{i}" for i, (question, *_) in enumerate(REFUSED)]
)
def test_a_refused_answer_is_one_message_naming_the_question_and_nothing_is_written(
    tmp_path, question, answers, explanation
):
    destination = tmp_path / "project"
    refused = copier_cli("--defaults", *data_options(answers), destination=destination)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stdout and "Error:" not in refused.stdout, refused.stdout
    assert refused.stdout.startswith(f"{question}: "), refused.stdout
    message = " ".join(refused.stdout.split())
    assert explanation in message and message.endswith("Nothing was written.")
    given = answers.get(question)
    if isinstance(given, str) and given.isprintable():  # as typed: not escaped, cut when long
        assert f'"{given}"' in message if len(given) <= 50 else f'..." ({len(given)} characters)' in message
    assert all(len(line) <= 80 for line in refused.stdout.splitlines())
    assert not destination.exists()


def test_every_message_a_prompt_can_show_fits_its_80_columns():
    """While asking, Copier shows a refusal on one line after INTERACTIVE_PREFIX: a message
    that does not fit is cut. (A choice or a yes/no is picked: it cannot be refused.)"""
    for question, answers, _ in REFUSED:
        details = COPIER_YML[question]
        if details.get("type") == "bool" or ("choices" in details and not details.get("multiselect")):
            continue
        with pytest.raises((ValueError, TypeError)) as refused:
            render(Path(tempfile.mkdtemp()) / "project", {key: value for key, value in answers.items()})
        shown = str(refused.value).splitlines()[0]
        if shown.startswith(INTERACTIVE_PREFIX.format(question)) and "k" * 129 not in shown:
            assert len(shown) <= 80, shown


# Copier's CLI in a Python where copier-template-extensions is not installed.
WITHOUT_EXTENSIONS = """
import importlib.abc, sys
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] == "copier_template_extensions":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NotInstalled())
from copier._cli import CopierApp
CopierApp.run()
"""


def test_without_copier_template_extensions_copier_says_what_to_install(tmp_path):
    destination = tmp_path / "project"
    command = ["copy", "--trust", "--defaults", "--skip-tasks", "--vcs-ref", "HEAD", str(TEMPLATE), str(destination)]
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTENSIONS, *command],
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "No module named 'copier_template_extensions'" in result.stderr
    assert "install these extensions alongside Copier" in result.stderr
    assert not destination.exists()


def test_every_prompt_and_choice_fits_80_columns():
    """Copier shows a question as its mark (two columns) and help, and a choice after three
    columns (a select's cursor) or five (a checkbox's box): nothing is cut at 80."""
    for question, details in QUESTIONS.items():
        assert len(details["help"].strip()) + 3 <= 80, question
        labels = details.get("choices", {})
        for label in labels if isinstance(labels, dict) else ():
            assert len(label) + (5 if details.get("multiselect") else 3) <= 80, label


def test_a_folder_whose_name_is_no_project_name_gives_no_default(tmp_path):
    """`q` makes no valid project name: --defaults is refused, naming project_name as unanswered."""
    refused = copier_cli("--defaults", destination=tmp_path / "q")
    assert refused.returncode == 1 and "Traceback" not in refused.stdout
    assert refused.stdout.startswith("project_name: no answer given, and it has no default")
    assert not (tmp_path / "q").exists()
    named = copier_cli("--defaults", "--data=project_name=payments", destination=tmp_path / "q")
    assert named.returncode == 0, named.stdout


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("Payments API", "payments-api"),
        ("2026_billing--v2", "billing-v2"),
        # 21 to 25 characters: cut to 20 (Jinja's truncate would leave them, as its leeway)
        ("render-all-services-0", "render-all-services"),
        ("platform-networking-eu", "platform-networking"),
    ],
)
def test_a_folder_name_becomes_the_default_project_name(tmp_path, folder, name):
    recorded = yaml.safe_load((render(tmp_path / folder) / ".copier-answers.yml").read_text())
    assert recorded["project_name"] == name


def test_a_copy_into_a_folder_with_files_is_refused_before_anything_is_written(tmp_path):
    destination = tmp_path / "project"
    (destination / ".git").mkdir(parents=True)
    (destination / "notes.txt").write_text("mine")
    refused = copier_cli("--defaults", destination=destination)
    assert refused.returncode == 1 and "Traceback" not in refused.stdout
    assert "already has files (notes.txt): nothing was written" in " ".join(refused.stdout.split())
    assert sorted(path.name for path in destination.iterdir()) == [".git", "notes.txt"]
    assert copier_cli("--defaults", destination=tmp_path / "fresh" / "project").returncode == 0
    (tmp_path / "empty-repo" / ".git").mkdir(parents=True)
    assert copier_cli("--defaults", "--data=project_name=empty", destination=tmp_path / "empty-repo").returncode == 0
    overwritten = copier_cli("--defaults", "--overwrite", destination=destination)
    assert overwritten.returncode == 0 and (destination / "tap.py").is_file() and (destination / "notes.txt").exists()


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "ab", "environment_suffix": "pr1234"},
        {"state_bucket": "my.state-bucket.2026"},
        {"state_locking": "both", "lock_table": "terraform_locks.v2"},
        {"extra_tags": {"Data Classification": "internal / PCI", "Tier": ""}},
        {"vpc_cidr": "172.16.0.0/20", "nat_gateways": "single"},
        {"vpc_cidr": "10.254.0.0/16", "secondary_regions": ["us-west-2"]},
        {"services": ["networking", "aurora"], "aurora_min_capacity": 0.5, "aurora_max_capacity": 1.0},
        {"services": ["lambda"], "lambda_memory_mb": 10240},
        {"services": ["lambda", "api", "dns"], "dns_zone_name": "payments.eu-1.acme-corp.com"},
        {"aws_role_arn": "arn:aws-us-gov:iam::123456789012:role/ci/github-actions.deploy@tap"},
        # Values YAML, TOML or Python would read otherwise, unquoted.
        {"owner": "@platform", "cost_center": "team: core", "application": "- ops"},
        {"description": 'Paiements "été" \\ C:\\infra # not a comment', "owner": "équipe plateforme"},
        {"extra_tags": {"Données": "été: 2026", "+": "@x", "Tier": "- 1"}, "cost_center": "1e3"},
    ],
)
def test_good_answers_at_the_edges_are_accepted_and_every_file_stays_valid(tmp_path, answers):
    project = render(tmp_path / "project", answers)
    assert_files_parse(project)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers


PRESETS = [name for name in COPIER_YML["preset"]["choices"].values() if name != "custom"]


def test_preset_is_asked_first_and_defaults_to_custom():
    assert list(QUESTIONS)[0] == "preset"
    assert COPIER_YML["preset"]["default"] == "custom"
    assert sorted(PRESETS) == sorted(PRESET_ANSWERS)


@pytest.mark.parametrize("preset", PRESETS)
def test_a_preset_fills_in_defaults_and_every_answer_can_still_be_changed(tmp_path, preset):
    chosen = render(tmp_path / "preset", {"preset": preset, "dns_zone_name": "infra.tap-template.dev"})
    recorded = yaml.safe_load((chosen / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in PRESET_ANSWERS[preset]} == PRESET_ANSWERS[preset]
    changed = render(
        tmp_path / "changed",
        {"preset": preset, "services": ["storage"], "aws_region": "eu-north-1", "application": "mine"},
    )
    recorded = yaml.safe_load((changed / ".copier-answers.yml").read_text())
    assert (recorded["services"], recorded["aws_region"], recorded["application"]) == (
        ["storage"],
        "eu-north-1",
        "mine",
    )
