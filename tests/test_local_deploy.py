"""Local deploy as a generated project's engineer runs it: local-up, local-test, local-down against moto.

The projects are the matrix's default answers and every service moto can create, on
provider 5 (the provider a local mirror holds here); each deploy reads the synth the
verification made (--no-synth).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import BotoCoreError, ClientError

from rendering import project_task, provider_mirror
from tap_template import local
from tap_template.local import CREDENTIALS, STATE_FOLDER, boto3_credentials
from tap_template.project import Failed
from tap_template.terraform import MIRROR_VARIABLE, cli_environment
from tap_template.verify import PYTHON_VARIABLE

# Each deployed case, and how many of its integration tests need running code the emulator lacks.
DEPLOYED_CASES = {"defaults-provider-5": 0, "emulated-services-provider-5": 3}


# Each locking mode, and a project of the matrix that locks so (provider 5).
LOCKING_CASES = {"s3-native": "defaults-provider-5", "dynamodb": "locking-dynamodb"}
LOCK_WAIT_SECONDS = 120


def script_command(case, script: str, *arguments: str) -> dict:
    """subprocess arguments for one of the project's Pipfile scripts."""
    environment = {**os.environ, PYTHON_VARIABLE: case.python}
    if provider_mirror():
        environment[MIRROR_VARIABLE] = provider_mirror()
    command = [*project_task(case.project, script, case.python), *arguments]
    return {"args": command, "cwd": case.project, "env": environment, "text": True}


def run_script(case, script: str, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(**script_command(case, script, *arguments), capture_output=True, check=False)


def needs_terraform_and_mirror():
    if shutil.which("terraform") is None or provider_mirror() is None:
        pytest.skip("needs terraform on PATH and a provider mirror with hashicorp/aws 5.100.0")


@pytest.mark.parametrize(
    ("name", "skipped"),
    [pytest.param(*item, marks=pytest.mark.xdist_group(item[0])) for item in DEPLOYED_CASES.items()],
)
def test_project_deploys_to_the_emulator_passes_its_integration_tests_and_is_destroyed(generated, name, skipped):
    needs_terraform_and_mirror()
    case = generated(name)
    up = run_script(case, "local-up", "--no-synth")
    assert up.returncode == 0, up.stdout + up.stderr
    endpoint = (case.project / ".local-aws" / "endpoint").read_text()
    outputs = (case.project / "cfn-outputs" / "flat-outputs.json").read_text()
    assert "vpc_id" in outputs and "bucket_name" in outputs
    assert (case.project / "cdktf.out" / "stacks" / "TapStackdev" / "local_override.tf.json").is_file()

    tested = run_script(case, "local-test")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "passed" in tested.stdout and "failed" not in tested.stdout
    if skipped:
        assert f"{skipped} skipped" in tested.stdout
        assert tested.stdout.count("SKIPPED") == tested.stdout.count("the emulator") == skipped
    else:
        assert "skipped" not in tested.stdout
    assert_drift_is_found_without_values(case, endpoint)

    down = run_script(case, "local-down", "--no-synth")
    assert down.returncode == 0, down.stdout + down.stderr
    assert not (case.project / ".local-aws").exists()
    assert not (case.project / "cfn-outputs" / "flat-outputs.json").exists()
    assert not list((case.project / "cdktf.out" / "stacks").glob("*/local_override.tf.json"))
    with pytest.raises(OSError):  # the emulator is stopped
        urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2)


def assert_drift_is_found_without_values(case, endpoint: str) -> None:
    """tools/drift.py on the deployed stack: no drift; then, after a tag and a bucket policy
    changed by hand, drift (exit 2) that names both resources and none of the values."""
    stack_folder = case.project / "cdktf.out" / "stacks" / "TapStackdev"
    summary = case.project / "drift.md"
    command = [case.python, "tools/drift.py", str(stack_folder), "--summary", str(summary)]
    environment = {**os.environ, MIRROR_VARIABLE: provider_mirror()}

    def drift() -> subprocess.CompletedProcess:
        return subprocess.run(command, cwd=case.project, env=environment, capture_output=True, text=True, check=False)

    unchanged = drift()
    assert unchanged.returncode == 0, unchanged.stdout + unchanged.stderr
    assert summary.read_text() == "No drift: the resources of TapStackdev match its state.\n"

    resources = case.stack()["resource"]
    (bucket_id,) = [key for key, bucket in resources["aws_s3_bucket"].items() if "bucket_prefix" in bucket]
    (policy_id,) = [key for key, policy in resources["aws_s3_bucket_policy"].items() if bucket_id in policy["bucket"]]
    bucket = json.loads((case.project / "cfn-outputs" / "flat-outputs.json").read_text())["bucket_name"]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **boto3_credentials())
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "Owner", "Value": "set-by-hand-0451"}]})
    s3.delete_bucket_policy(Bucket=bucket)

    drifted = drift()
    assert drifted.returncode == 2, drifted.stdout + drifted.stderr
    text = summary.read_text()
    assert text.startswith("2 resources of TapStackdev changed or deleted outside Terraform"), text
    assert f"| `aws_s3_bucket.{bucket_id}` | changed |" in text
    assert f"| `aws_s3_bucket_policy.{policy_id}` | deleted |" in text
    assert "set-by-hand-0451" not in text and bucket not in text and "Owner" not in text


@pytest.mark.parametrize(
    ("locking", "name"), [pytest.param(*item, marks=pytest.mark.xdist_group(item[1])) for item in LOCKING_CASES.items()]
)
def test_a_second_apply_meets_the_state_lock_and_the_first_completes_the_state(generated, locking, name, monkeypatch):
    """Two applies of one project against one backend: the second fails on the lock, the first completes."""
    needs_terraform_and_mirror()
    monkeypatch.setenv(MIRROR_VARIABLE, provider_mirror())
    case = generated(name)
    assert case.recorded_answers()["state_locking"] == locking
    stack = case.stack()
    backend = stack["terraform"]["backend"]["s3"]
    folder = case.project / "cdktf.out" / "stacks" / f"TapStack{case.recorded_answers()['environment_suffix']}"

    first = subprocess.Popen(
        **script_command(case, "local-up", "--no-synth"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        wait_for_lock(case.project, backend, first)
        with tempfile.TemporaryDirectory() as scratch:
            environment = {**cli_environment(Path(scratch)), **CREDENTIALS}
            second = terraform(folder, environment, "apply", "-auto-approve", "-lock-timeout=0s")
            first_output, _ = first.communicate(timeout=600)
            plan = terraform(folder, environment, "plan", "-detailed-exitcode")
    finally:
        first.kill()
        down = run_script(case, "local-down", "--no-synth")  # destroys, and stops the emulator in any case
    assert second.returncode == 1 and "Error acquiring the state lock" in second.stdout, second.stdout
    assert first.returncode == 0, first_output
    assert plan.returncode == 0 and "No changes." in plan.stdout, plan.stdout  # 2 would mean changes
    assert down.returncode == 0, down.stdout + down.stderr


def wait_for_lock(project: Path, backend: dict, apply: subprocess.Popen) -> None:
    """Until the backend's lock is taken: the lock file (use_lockfile) or the lock table's item."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while time.monotonic() < deadline and apply.poll() is None:
        endpoint = project / STATE_FOLDER / "endpoint"
        if endpoint.exists() and lock_is_held(backend, endpoint.read_text()):
            return
        time.sleep(0.05)
    output = apply.communicate()[0] if apply.poll() is not None else "(still running)"
    pytest.fail(f"the first apply took no state lock within {LOCK_WAIT_SECONDS} s: {output}")


def lock_is_held(backend: dict, endpoint: str) -> bool:
    session = boto3.Session(**boto3_credentials(), region_name=backend["region"])
    try:
        if backend.get("use_lockfile"):
            session.client("s3", endpoint_url=endpoint).head_object(
                Bucket=backend["bucket"], Key=f"{backend['key']}.tflock"
            )
            return True
        lock = {"LockID": {"S": f"{backend['bucket']}/{backend['key']}"}}
        return "Item" in session.client("dynamodb", endpoint_url=endpoint).get_item(
            TableName=backend["dynamodb_table"], Key=lock
        )
    except (BotoCoreError, ClientError):  # not yet there: the bucket, the table or the lock
        return False


def terraform(folder: Path, environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    command = ["terraform", *arguments, "-input=false", "-no-color"]
    return subprocess.run(
        command, cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )


def test_a_failed_up_stops_the_emulator_and_leaves_no_override_behind(tmp_path, monkeypatch):
    """What `up` wrote before it failed (an override file, terraform init's backend settings) is removed."""
    stack_folder = tmp_path / "cdktf.out" / "stacks" / "TapStackdev"
    (stack_folder / ".terraform").mkdir(parents=True)
    stopped = []

    def deploy_fails(project, endpoint, synth, new_state=False):
        (stack_folder / local.OVERRIDE_FILE).write_text("{}")
        (stack_folder / ".terraform" / "terraform.tfstate").write_text("{}")
        raise Failed("terraform apply failed")

    monkeypatch.setattr(local, "start_emulator", lambda project: "http://127.0.0.1:1")
    monkeypatch.setattr(local, "stop_emulator", stopped.append)
    monkeypatch.setattr(local, "deploy_ready_stacks", deploy_fails)
    assert local.main(["up", "--project", str(tmp_path)]) == 1
    assert stopped == [tmp_path]
    assert not (stack_folder / local.OVERRIDE_FILE).exists()
    assert not (stack_folder / ".terraform" / "terraform.tfstate").exists()
