"""Deploy a project to a local AWS emulator (moto's server) and take it down again.

    up     start moto on 127.0.0.1 (a free port), create the state bucket (and lock table)
           there, synth, point the providers and the S3 backend at it with an override file
           next to each stack (the stack code is not touched), terraform init and apply,
           write the outputs to cfn-outputs/flat-outputs.json. The emulator keeps running;
           if `up` fails, it stops it and removes the override files.
    test   the project's integration tests, against the emulator (AWS_ENDPOINT_URL).
    down   terraform destroy, stop the emulator, remove what `up` wrote.

moto keeps its state in memory: `down` (or a stopped emulator) forgets everything.
Generated projects run it as `pipenv run local-up` (or `uv run poe local-up`), `local-test` and `local-down`.
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tap_template.project import Failed, Skipped
from tap_template.synth import PYTHON_VARIABLE, output_folder, project_app, synthesize, synthesized_stacks
from tap_template.terraform import INSTALL_HINT, cli_environment, first_error

STATE_FOLDER = ".local-aws"  # the emulator's pid, endpoint and log
OVERRIDE_FILE = "local_override.tf.json"
OUTPUTS_FILE = Path("cfn-outputs") / "flat-outputs.json"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
# The services the provider and the backend reach at the emulator (endpoint names of the
# hashicorp/aws provider, 5.x and 6.x).
SERVICES = [
    *("acm", "apigateway", "apigatewayv2", "backup", "cloudwatch", "dms", "dynamodb", "ec2", "events", "iam"),
    *("kms", "lambda", "logs", "rds", "route53", "s3", "secretsmanager", "sns", "ssm", "sts"),
]
START_TIMEOUT_SECONDS = 30
NOT_INSTALLED = "is not installed here: a dev package of the project, `pipenv install --dev` (or `uv sync`) installs it"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "test", "down"])
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="the project (default: .)")
    parser.add_argument("--no-synth", action="store_true", help="up, down: use the stacks already in cdktf.out")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    try:
        if args.command == "test":
            run_tests(project)
        else:
            {"up": up, "down": down}[args.command](project, synth=not args.no_synth)
    except (Failed, Skipped) as error:
        print(f"local-{args.command}: {error}", file=sys.stderr)
        if getattr(error, "log", ""):
            print(error.log[-4000:], file=sys.stderr)
        return 1
    return 0


def up(project: Path, synth: bool) -> None:
    endpoint = start_emulator(project)
    try:
        for name, (_, folder) in deploy_ready_stacks(project, endpoint, synth, new_state=True).items():
            terraform(["apply", "-auto-approve"], folder, endpoint)
            outputs = json.loads(terraform(["output", "-json"], folder, endpoint))
            flat = {key: output["value"] for key, output in outputs.items()}
            (project / OUTPUTS_FILE).parent.mkdir(exist_ok=True)
            (project / OUTPUTS_FILE).write_text(json.dumps(flat, indent=2))
            print(f"{name}: deployed to the emulator at {endpoint}; outputs in {OUTPUTS_FILE}")
    except BaseException:
        # Nothing half-up is left behind: no emulator, no stack pointed at it.
        stop_emulator(project)
        remove_overrides(project)
        raise


def run_tests(project: Path) -> None:
    endpoint = running_endpoint(project)
    environment = {**os.environ, **CREDENTIALS, "AWS_ENDPOINT_URL": endpoint}
    result = subprocess.run(
        # -rs: the reason of each test skipped on the emulator
        [sys.executable, "-m", "pytest", "tests/integration", "-rs"],
        cwd=project,
        env=environment,
        check=False,
    )
    if result.returncode != 0:
        raise Failed(f"the integration tests failed against the emulator at {endpoint}")


def down(project: Path, synth: bool) -> None:
    endpoint = running_endpoint(project)
    try:
        for _, folder in deploy_ready_stacks(project, endpoint, synth).values():
            terraform(["destroy", "-auto-approve"], folder, endpoint)
    finally:
        stop_emulator(project)
        remove_overrides(project)
        (project / OUTPUTS_FILE).unlink(missing_ok=True)
    print("destroyed; the emulator is stopped")


def deploy_ready_stacks(
    project: Path, endpoint: str, synth: bool, new_state: bool = False
) -> dict[str, tuple[dict, Path]]:
    """Synth (unless not `synth`), then an override file and `terraform init` next to each
    stack; with `new_state`, the state bucket (and lock table) first."""
    if synth:
        # Run from the project's environment (pipenv run, uv run), so this interpreter has its dependencies.
        stacks = synthesize(project, project_app(project, os.environ.get(PYTHON_VARIABLE) or sys.executable))
    else:
        stacks = synthesized_stacks(project)
    for stack, folder in stacks.values():
        if new_state:
            create_state_store(stack["terraform"]["backend"]["s3"], endpoint)
        (folder / OVERRIDE_FILE).write_text(json.dumps(override(stack, endpoint), indent=2))
        terraform(["init", "-reconfigure"], folder, endpoint)
    return stacks


def remove_overrides(project: Path) -> None:
    """Remove what `up` wrote next to the stacks: the override files, and the backend
    settings `terraform init` recorded from them (they name the emulator)."""
    for override_file in (output_folder(project) / "stacks").glob(f"*/{OVERRIDE_FILE}"):
        override_file.unlink()
        (override_file.parent / ".terraform" / "terraform.tfstate").unlink(missing_ok=True)


def override(stack: dict, endpoint: str) -> dict:
    """Terraform override: every AWS provider and the S3 backend talk to the emulator."""
    skips = {"skip_credentials_validation": True, "skip_requesting_account_id": True, "skip_metadata_api_check": True}
    credentials = {"access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"], "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}
    providers = [
        {
            **({"alias": provider["alias"]} if "alias" in provider else {}),
            **credentials,
            **skips,
            "s3_use_path_style": True,
            # An action the emulator lacks answers 500: fail in seconds, not after 25 retries.
            "max_retries": 3,
            "endpoints": [{service: endpoint for service in SERVICES}],
        }
        for provider in stack.get("provider", {}).get("aws", [])
    ]
    # A backend block in an override file replaces the original: keep its settings.
    backend = {
        **stack["terraform"]["backend"]["s3"],
        **credentials,
        **skips,
        "use_path_style": True,
        "endpoints": {"s3": endpoint, "dynamodb": endpoint, "sts": endpoint, "iam": endpoint},
    }
    return {"provider": {"aws": providers}, "terraform": {"backend": {"s3": backend}}}


def create_state_store(backend: dict, endpoint: str) -> None:
    """The state bucket (and lock table) the backend names, in the emulator."""
    try:  # a dev package of the project, not needed by copier's verification
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise Failed(f"boto3 {NOT_INSTALLED}") from None
    try:
        create_bucket_and_table(boto3, backend, endpoint)
    except (BotoCoreError, ClientError) as error:
        raise Failed(f"could not create the state bucket {backend['bucket']} in the emulator: {error}") from None


def create_bucket_and_table(boto3, backend: dict, endpoint: str) -> None:
    """create_state_store() with boto3 at hand."""
    region = backend["region"]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=region, **boto3_credentials())
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=backend["bucket"], **location)
    if backend.get("dynamodb_table"):
        boto3.client("dynamodb", endpoint_url=endpoint, region_name=region, **boto3_credentials()).create_table(
            TableName=backend["dynamodb_table"],
            KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )


def boto3_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }


def terraform(arguments: list[str], folder: Path, endpoint: str) -> str:
    """Run terraform in a stack's folder against the emulator; its standard output."""
    executable = shutil.which("terraform")
    if executable is None:
        raise Failed(f"terraform is not on PATH: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="tap-template-terraform-") as scratch:
        environment = {**cli_environment(Path(scratch)), **CREDENTIALS, "AWS_ENDPOINT_URL": endpoint}
        result = subprocess.run(
            [executable, *arguments, *(["-input=false"] if arguments[0] != "output" else []), "-no-color"],
            cwd=folder,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise Failed(
            f"terraform {arguments[0]} failed in {folder}: {first_error(result.stderr + result.stdout)}",
            result.stdout + result.stderr,
        )
    return result.stdout


def start_emulator(project: Path) -> str:
    """Start moto's server on a free port of 127.0.0.1; its endpoint."""
    try:
        import moto.server  # noqa: F401 (only whether it is installed)
    except ImportError:
        raise Failed(f"moto's server {NOT_INSTALLED}") from None
    state = project / STATE_FOLDER
    if (state / "pid").exists():
        raise Failed(f"an emulator started here is still running ({STATE_FOLDER}/pid): run local-down first")
    state.mkdir(exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    with (state / "moto.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            # AWS-managed policies (AWSLambdaVPCAccessExecutionRole, ...) exist only when loaded.
            env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
            start_new_session=True,  # it outlives this command, until local-down
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise Failed(
            f"moto did not answer on {endpoint} within {START_TIMEOUT_SECONDS} s (see {STATE_FOLDER}/moto.log)"
        )
    (state / "pid").write_text(str(server.pid))
    (state / "endpoint").write_text(endpoint)
    return endpoint


def running_endpoint(project: Path) -> str:
    endpoint = project / STATE_FOLDER / "endpoint"
    if not endpoint.exists():
        raise Failed("no emulator runs for this project: run local-up first")
    return endpoint.read_text().strip()


def stop_emulator(project: Path) -> None:
    state = project / STATE_FOLDER
    with contextlib.suppress(FileNotFoundError, ProcessLookupError, ValueError):  # not running any more
        os.kill(int((state / "pid").read_text()), signal.SIGTERM)
    shutil.rmtree(state, ignore_errors=True)
