"""The questionnaire: defaults, conditional questions and files, and refused answers."""

import json
import re
import tomllib

import pytest
import yaml

from rendering import ALL_SERVICES, COPIER_YML, project_requirements, render, service_answers, with_needs


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
        "lib/constructs/networking.py",
        "lib/constructs/storage.py",
        "tests/unit/conftest.py",
        "tests/unit/test_tap_stack.py",
        "tests/unit/test_networking.py",
        "tests/unit/test_storage.py",
        "tests/unit/test_tap.py",
        "tests/integration/test_tap_stack.py",
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
SERVICE_MODULES = {
    "networking": "networking",
    "storage": "storage",
    "dynamodb": "dynamodb",
    "aurora": "aurora",
    "lambda": "lambda_function",
    "api": "api",
    "dns": "dns",
    "events": "events",
    "dms": "dms",
    "ssm": "ssm",
    "monitoring": "monitoring",
    "backup": "backup",
}
# The services whose constructs share lib/constructs/iam.py (roles and their policies).
IAM_USERS = {"networking", "lambda", "backup", "events", "dms"}


def test_every_service_has_a_module():
    assert set(SERVICE_MODULES) == set(ALL_SERVICES)


@pytest.mark.parametrize("service", SERVICE_MODULES)
def test_each_service_is_one_construct_module_and_its_tests(tmp_path, service):
    services = with_needs(service)
    project = render(tmp_path / "project", service_answers(services))
    modules = [SERVICE_MODULES[chosen] for chosen in services]
    constructs = {path.name for path in (project / "lib" / "constructs").glob("*.py")}
    shared = {"iam.py"} if IAM_USERS & set(services) else set()
    assert constructs == {"__init__.py", *shared, *(f"{module}.py" for module in modules)}
    unit_tests = {path.name for path in (project / "tests" / "unit").glob("test_*.py")}
    assert unit_tests == {"test_tap.py", "test_tap_stack.py", *(f"test_{module}.py" for module in modules)}
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
BAD_ANSWERS = [
    ("project_name", {"project_name": "My Project"}, "lowercase letters"),
    ("project_name", {"project_name": "a"}, "2-20 characters"),
    ("project_name", {"project_name": "payments-"}, "not ending with a hyphen"),
    ("project_name", {"project_name": "a-much-too-long-project-name"}, "2-20 characters"),
    ("environment_suffix", {"environment_suffix": "Dev"}, "lowercase letters and digits"),
    ("environment_suffix", {"environment_suffix": "pr-12"}, "lowercase letters and digits"),
    ("aws_region", {"aws_region": "us-east-9"}, "is not in"),
    ("secondary_regions", {"aws_region": "eu-west-1", "secondary_regions": ["eu-west-1"]}, "primary region"),
    ("secondary_regions", {"secondary_regions": ["us-west-2", "atlantis-1"]}, "is not in"),
    ("services", {"services": []}, "at least one service"),
    ("services", {"services": ["networking", "api"]}, "api needs lambda"),
    ("services", {"services": ["storage", "monitoring"]}, "monitoring needs something to watch"),
    ("services", {"services": ["storage", "backup"]}, "backup needs something to back up"),
    ("services", {"services": ["aurora"]}, "aurora needs networking"),
    ("services", {"services": ["networking", "dms"]}, "dms needs aurora"),
    ("services", {"services": ["lambda", "dns"]}, "dns needs api"),
    ("preset", {"preset": "mainframe-migration"}, "is not in"),
    ("framework", {"framework": "pulumi"}, "is not in"),
    ("aws_provider_major", {"framework": "cdktn", "aws_provider_major": 5}, "built for hashicorp/aws 6"),
    ("lambda_memory_mb", {"services": ["lambda"], "lambda_memory_mb": 64}, "128 to 10240"),
    ("aurora_min_capacity", {"services": ["networking", "aurora"], "aurora_min_capacity": 0.25}, "0.5 to 256"),
    ("aurora_min_capacity", {"services": ["networking", "aurora"], "aurora_min_capacity": 1.2}, "steps of 0.5"),
    (
        "aurora_max_capacity",
        {"services": ["networking", "aurora"], "aurora_min_capacity": 4, "aurora_max_capacity": 2},
        "not be below aurora_min_capacity",
    ),
    ("dns_zone_name", {"services": ["lambda", "api", "dns"]}, "domain name of lowercase labels"),
    ("dns_zone_name", {"services": ["lambda", "api", "dns"], "dns_zone_name": "Payments.Acme.io"}, "lowercase"),
    ("dns_zone_name", {"services": ["lambda", "api", "dns"], "dns_zone_name": "api.example.com"}, "reserved"),
    ("dms_source_engine", {**DMS, "dms_source_engine": "db2"}, "is not in"),
    ("services", {"services": ["networking", "mainframe"]}, "is not in"),
    ("vpc_cidr", {"vpc_cidr": "10.0.0.0/8"}, "/16 to /20"),
    ("vpc_cidr", {"vpc_cidr": "10.0.300.0/16"}, "IPv4 CIDR"),
    ("vpc_cidr", {"vpc_cidr": "10.0.1.0/16"}, "host bits set"),
    ("vpc_cidr", {"vpc_cidr": "100.64.0.0/16"}, "must be a private block"),
    ("vpc_cidr", {"vpc_cidr": "192.168.0.0/16", "secondary_regions": ["us-west-2"]}, "leaves no room"),
    ("lambda_reserved_concurrency", {"services": ["lambda"], "lambda_reserved_concurrency": -1}, "up to 1000"),
    ("lambda_reserved_concurrency", {"services": ["lambda"], "lambda_reserved_concurrency": 5000}, "up to 1000"),
    ("state_bucket", {"state_bucket": "Terraform_State"}, "valid S3 bucket name"),
    ("state_bucket", {"state_bucket": "ab"}, "3-63 characters"),
    ("state_bucket", {"state_bucket": "state..bucket"}, "adjacent dots"),
    ("state_bucket", {"state_bucket": "192.168.10.20"}, "IP address"),
    ("state_bucket", {"state_bucket": "xn--state"}, "reserves"),
    ("state_bucket", {"state_bucket": "state-s3alias"}, "reserves"),
    ("state_bucket_region", {"state_bucket_region": "mars-north-1"}, "is not in"),
    ("state_locking", {"state_locking": "consul"}, "is not in"),
    ("lock_table", {"state_locking": "dynamodb", "lock_table": "x"}, "DynamoDB table name"),
    ("owner", {"owner": "<platform>"}, "letters, digits, spaces"),
    ("cost_center", {"cost_center": ""}, "1-256 characters"),
    ("extra_tags", {"extra_tags": ["a", "b"]}, "must be a mapping"),
    ("extra_tags", {"extra_tags": {"aws:createdBy": "me"}}, "must not start with aws:"),
    ("extra_tags", {"extra_tags": {"k" * 129: "v"}}, "1-128 characters"),
    ("extra_tags", {"extra_tags": {"Tier": "v" * 257}}, "0-256 characters"),
    ("extra_tags", {"extra_tags": {"Tier": 1}}, "quote numbers"),
    ("extra_tags", {"extra_tags": {"Environment": "prod"}}, "set by the template"),
    ("aws_provider_major", {"aws_provider_major": 4}, "is not in"),
    ("description", {"description": 'say "hi"'}, "one line"),
    ("aws_role_arn", {"aws_role_arn": "arn:aws:iam::12345:role/deploy"}, "an IAM role ARN"),
    ("aws_role_arn", {"aws_role_arn": "arn:aws:iam::123456789012:user/deploy"}, "an IAM role ARN"),
    ("python_version", {"python_version": "3.10"}, "is not in"),
    ("package_manager", {"package_manager": "poetry"}, "is not in"),
]


@pytest.mark.parametrize(
    ("question", "answers", "explanation"),
    BAD_ANSWERS,
    ids=[f"{question}-{index}" for index, (question, _, _) in enumerate(BAD_ANSWERS)],
)
def test_bad_answer_is_refused_naming_the_question_and_nothing_is_written(tmp_path, question, answers, explanation):
    destination = tmp_path / "project"
    with pytest.raises(ValueError, match=f"'{question}'") as refused:
        render(destination, answers)
    assert explanation in str(refused.value)
    assert not destination.exists()


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
    ],
)
def test_good_answers_at_the_edges_are_accepted(tmp_path, answers):
    assert (render(tmp_path / "project", answers) / "tap.py").is_file()


PRESETS = [name for name in COPIER_YML["preset"]["choices"].values() if name != "custom"]
# What each preset answers, from its analysis (docs/presets/).
PRESET_ANSWERS = {
    "vpc-payment-gateway": {
        "aws_region": "us-east-1",
        "services": ["networking"],
        "nat_gateways": "one-per-az",
        "vpc_cidr": "10.0.0.0/16",
        "application": "payment-gateway",
    },
    "payment-migration": {
        "aws_region": "us-east-2",
        "services": ["networking", "aurora", "lambda", "api", "dns", "dms", "ssm", "monitoring"],
        "aurora_min_capacity": 1.0,
        "aurora_max_capacity": 8.0,
        "lambda_reserved_concurrency": 50,
        "dms_multi_az": True,
        "application": "payment-processing",
    },
    "multi-region-dr": {
        "aws_region": "us-east-1",
        "secondary_regions": ["us-west-2"],
        "services": [
            "networking",
            "dynamodb",
            "aurora",
            "lambda",
            "api",
            "dns",
            "events",
            "ssm",
            "monitoring",
            "backup",
        ],
        "lambda_memory_mb": 1024,
        "application": "disaster-recovery",
    },
}


def test_preset_is_asked_first_and_defaults_to_custom():
    questions = [name for name in COPIER_YML if not name.startswith("_")]
    assert questions[0] == "preset"
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
