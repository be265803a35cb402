"""The checks of the verification, on small projects and stacks that have each failure."""

import json

import pytest

from rendering import render
from tap_template.checks import check_stack, check_stack_call, load_cdktf_json

GOOD_STACK = {
    "provider": {"aws": [{"region": "us-east-1"}]},
    "terraform": {"backend": {"s3": {"bucket": "b", "key": "k", "encrypt": True, "use_lockfile": True}}},
    "output": {"vpc_id": {"value": "${aws_vpc.vpc.id}"}},
}


def write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def test_missing_cdktf_json_is_reported(tmp_path):
    """Analysis 003, failure 1: a project without cdktf.json."""
    _, problems = load_cdktf_json(tmp_path)
    assert problems == ["cdktf.json is missing: `cdktf synth` refuses a folder without it (analysis 003, failure 1)"]


def test_invalid_cdktf_json_is_reported(tmp_path):
    write(tmp_path, {"cdktf.json": "{'language': 'python'}"})
    (problem,) = load_cdktf_json(tmp_path)[1]
    assert problem.startswith("cdktf.json is not valid JSON")


@pytest.mark.parametrize("entry", ["aws@~> 6.0", "hashicorp/aws@6.25.0", {"name": "aws", "source": "hashicorp/aws"}])
def test_prebuilt_provider_in_terraform_providers_is_reported(tmp_path, entry):
    config = {"language": "python", "app": "pipenv run python tap.py", "terraformProviders": [entry]}
    write(tmp_path, {"cdktf.json": json.dumps(config)})
    (problem,) = load_cdktf_json(tmp_path)[1]
    assert "cdktf get" in problem


def test_other_providers_and_an_app_pass(tmp_path):
    config = {"language": "python", "app": "pipenv run python tap.py", "terraformProviders": ["hashicorp/random@3.6"]}
    write(tmp_path, {"cdktf.json": json.dumps(config)})
    assert load_cdktf_json(tmp_path) == (config, [])


def test_cdktf_json_without_app_is_reported(tmp_path):
    write(tmp_path, {"cdktf.json": json.dumps({"language": "python"})})
    (problem,) = load_cdktf_json(tmp_path)[1]
    assert '"app" is missing' in problem


TAP_PY = """
from lib.tap_stack import TapStack
TapStack(app, "TapStackdev", environment_suffix="dev", state_bucket="b", aws_region="us-east-1")
"""


def test_constructor_that_does_not_take_what_tap_py_passes_is_reported(tmp_path):
    """Analysis 001, failure 1: TapStack(scope, id) called with keyword arguments."""
    stack = "class TapStack:\n    def __init__(self, scope, id):\n        pass\n"
    write(tmp_path, {"tap.py": TAP_PY, "lib/tap_stack.py": stack})
    (problem,) = check_stack_call(tmp_path)
    assert problem == (
        "tap.py:3: TapStack.__init__ has no parameter aws_region, environment_suffix, state_bucket (TypeError at synth)"
    )


def test_required_argument_that_tap_py_does_not_pass_is_reported(tmp_path):
    stack = (
        "class TapStack:\n"
        "    def __init__(self, scope, stack_id, *, environment_suffix, state_bucket, aws_region, default_tags):\n"
        "        pass\n"
    )
    write(tmp_path, {"tap.py": TAP_PY, "lib/tap_stack.py": stack})
    assert check_stack_call(tmp_path) == [
        "tap.py:3: the call does not pass default_tags, which TapStack.__init__ requires"
    ]


def test_matching_call_and_keyword_catch_all_pass(tmp_path):
    stack = "class TapStack:\n    def __init__(self, scope, stack_id, **settings):\n        pass\n"
    write(tmp_path, {"tap.py": TAP_PY, "lib/tap_stack.py": stack})
    assert check_stack_call(tmp_path) == []


def test_app_that_never_creates_the_stack_is_reported(tmp_path):
    write(
        tmp_path,
        {"tap.py": "print('hello')\n", "lib/tap_stack.py": "class TapStack:\n    def __init__(self):\n        pass\n"},
    )
    assert check_stack_call(tmp_path) == ["tap.py never creates TapStack: the app would synthesize nothing"]


@pytest.mark.parametrize(
    "answers", [{}, {"state_locking": "both", "services": ["storage"]}], ids=["defaults", "dynamodb-locking"]
)
def test_generated_sources_pass(tmp_path, answers):
    project = render(tmp_path / "project", answers)
    assert load_cdktf_json(project)[1] == []
    assert check_stack_call(project) == []


def test_good_stack_passes_with_a_summary():
    assert check_stack("TapStackdev", GOOD_STACK) == (
        [],
        "TapStackdev: aws provider (us-east-1), s3 backend (encrypted, locked by use_lockfile), 1 outputs",
    )


def test_dynamodb_locking_is_locking():
    stack = json.loads(json.dumps(GOOD_STACK))
    stack["terraform"]["backend"]["s3"] = {"bucket": "b", "key": "k", "encrypt": True, "dynamodb_table": "locks"}
    assert check_stack("TapStackdev", stack)[0] == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda stack: stack.pop("provider"), "no AWS provider"),  # analysis 002, failure 1
        (lambda stack: stack.pop("terraform"), "no remote backend"),  # analysis 001, failure 2
        (lambda stack: stack["terraform"].update(backend={"local": {"path": "x"}}), "no remote backend"),
        (lambda stack: stack["terraform"]["backend"]["s3"].pop("encrypt"), "unencrypted"),
        (
            lambda stack: stack["terraform"]["backend"]["s3"].pop("use_lockfile"),
            "no locking",
        ),  # analysis 003, failure 3
        (lambda stack: stack.pop("output"), "no outputs"),  # analysis 002, failure 15
    ],
    ids=["provider", "backend", "local-backend", "encryption", "locking", "outputs"],
)
def test_stack_missing_a_safeguard_is_reported(change, expected):
    stack = json.loads(json.dumps(GOOD_STACK))
    change(stack)
    (problem,) = check_stack("TapStackdev", stack)[0]
    assert problem.startswith("TapStackdev: ") and expected in problem
