"""Prints how long the template's steps take on this machine (figures, not a test).

0. tap-doctor's source rules on a 100-file project, and on it with a 5 MB module and with a
   5 MB synthesized stack: seconds and peak memory (`--doctor` prints only these);
1. rendering the multi-region-dr preset and an all-services project, tasks skipped: the
   median of five copies each, and of five imports of Copier (`--render`: only these; on a
   clean checkout, since a dirty one makes Copier copy the working tree first);
2. the default project on cdktf with pipenv, on cdktn with pipenv, and on cdktf with uv:
   the verification task (install, synth, checks) against its synth, synthesizing it
   again (`pipenv run synth`, `uv run poe synth`), and the generated unit tests;
3. how much faster CDK Terrain synthesizes the default project than CDKTF, and how much
   faster uv installs it than pipenv.

Run it with scripts/benchmark; it needs pipenv, uv and node, like a user's copy. Install
times depend on what pip's and uv's caches already hold: run it twice for warm caches.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tap_template.project import PIPENV, UV

TEMPLATE = Path(__file__).resolve().parents[1]
ALL_SERVICES = list(yaml.safe_load((TEMPLATE / "copier.yml").read_text())["services"]["choices"].values())
COPY = ["copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD", "--quiet", str(TEMPLATE)]
PIPENV_ENVIRONMENT = {**os.environ, "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_VERBOSITY": "-1"}
MANAGERS = {manager.name: manager for manager in (PIPENV, UV)}
RENDER_RUNS = 5


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=PIPENV_ENVIRONMENT, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tap-template-benchmark-") as folder:
        workspace = Path(folder)
        options = set(sys.argv[1:])
        if "--render" not in options:
            doctor_figures(workspace)
        if "--doctor" in options:
            return
        render_figures(workspace)
        if "--render" in options:
            return

        cdktf = default_project(workspace, "cdktf", "pipenv")
        cdktn = default_project(workspace, "cdktn", "pipenv")
        uv = default_project(workspace, "cdktf", "uv")
        print(f"synth, default project, cdktf / cdktn:   {cdktf['synth'] / cdktn['synth']:4.1f} x")
        print(f"install, default project, pipenv / uv:   {cdktf['install'] / uv['install']:4.1f} x")


def render_figures(workspace: Path) -> None:
    named = ["--data", "dns_zone_name=infra.tap-template.dev", "--data", "project_name=bench"]
    preset = ["--data", "preset=multi-region-dr", *named]
    # The newest release below this tree's commit, as tests/test_update.py finds it.
    tags = subprocess.run(
        ["git", "tag", "--merged", "HEAD", "--no-contains", "HEAD", "--sort=-v:refname"],
        cwd=TEMPLATE,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    release = tags[0] if tags else None
    cases = {
        "multi-region-dr preset": [*COPY, *preset],
        "all services": [*COPY, "--data", "services=[" + ", ".join(ALL_SERVICES) + "]", *named],
    }
    if release:  # the same copy from the last release, for comparison (on this machine, now)
        cases[f"multi-region-dr preset, {release}"] = [release if part == "HEAD" else part for part in COPY] + preset
    for case, command in cases.items():
        folders = [workspace / f"render-{len(case)}-{run}" for run in range(RENDER_RUNS)]
        seconds = [timed([*command, "--skip-tasks", str(folder)])[0] for folder in folders]
        print(f"render, {case}, tasks skipped: {statistics.median(seconds):5.2f} s (median of {RENDER_RUNS})")
    seconds = [timed([sys.executable, "-c", "import copier._cli"])[0] for _ in range(RENDER_RUNS)]
    print(f"  of which importing Copier:           {statistics.median(seconds):5.2f} s")


def default_project(workspace: Path, framework: str, manager: str) -> dict[str, float]:
    """Copy the default project on `framework` with `manager`, synthesize it, run its unit
    tests; the seconds of its install (in the verification) and of its synth."""
    project, name = workspace / f"default-{framework}-{manager}", f"{framework}, {manager}"
    run = MANAGERS[manager].run.split()
    copy, report = timed(
        [*COPY, "--data", f"framework={framework}", "--data", f"package_manager={manager}", str(project)]
    )
    steps = {step: float(seconds) for step, seconds in re.findall(r"^  (\w+) +\w+ +([\d.]+) s", report, re.MULTILINE)}
    print(f"{name}: copy with verification (total):      {copy:6.1f} s")
    for step, seconds in steps.items():
        print(f"{name}:   verification {step:<12}           {seconds:6.1f} s")
    print(f"{name}: copy with verification / its synth:  {copy / steps['synth']:6.1f} x")
    try:
        synth, _ = timed([*run, "synth"], project)
        print(f"{name}: synth, default project:              {synth:6.1f} s")
        unit, _ = timed([*run, "test-unit"], project)
        print(f"{name}: generated unit tests:                {unit:6.1f} s ({unit / synth:.1f} x one synth)")
    finally:
        if manager == "pipenv":  # its environment lives outside the project; uv's is .venv
            subprocess.run(["pipenv", "--rm"], cwd=project, env=PIPENV_ENVIRONMENT, capture_output=True, check=False)
    return {"install": steps["environment"], "synth": synth}


# Runs the doctor in a process of its own and prints its seconds and peak memory.
DOCTOR_RUN = """
import resource, sys, time
from tap_template.doctor import main
started = time.monotonic()
status = main(sys.argv[1:])
print(f"{time.monotonic() - started:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(0 if status in (0, 1) else status)
"""
CONSTRUCT = """from cdktf import AssetType, TerraformAsset, TerraformOutput
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.lambda_function import LambdaFunction
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct

from lib.constructs.part_{previous} import Part{previous}


class Part{number}(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, environment_suffix: str) -> None:
        super().__init__(scope, construct_id)
        self.bucket = S3Bucket(self, "bucket", bucket=f"part-{number}-{{environment_suffix}}")
        role = IamRole(self, "role", name=f"part-{number}-{{environment_suffix}}", assume_role_policy="{{}}")
        code = TerraformAsset(self, "code", path="lib/lambda/part_{number}", type=AssetType.ARCHIVE)
        LambdaFunction(self, "function", function_name=f"part-{number}-{{environment_suffix}}", role=role.arn,
                       handler="handler.main", runtime="python3.12", filename=code.path)
        TerraformOutput(self, "bucket_name", value=self.bucket.bucket)
        self.settings = {settings}
"""


def doctor_project(workspace: Path) -> Path:
    """A tap project of 100 Python files: tap.py, the stack, 49 constructs that import each
    other, and 49 function handlers."""
    project = workspace / "doctor-100-files"
    (project / "lib" / "constructs").mkdir(parents=True)
    (project / "cdktf.json").write_text(json.dumps({"language": "python", "app": "python tap.py"}))
    (project / "tap.py").write_text(
        "import os\nfrom cdktf import App\nfrom lib.tap_stack import TapStack\n\n"
        "suffix = os.environ.get('ENVIRONMENT_SUFFIX', 'dev')\napp = App()\n"
        "TapStack(app, f'TapStack{suffix}', environment_suffix=suffix)\napp.synth()\n"
    )
    settings = {f"key_{index}": {"value": index, "tags": {"Environment": "dev"}} for index in range(40)}
    for number in range(1, 50):
        text = CONSTRUCT.format(number=number, previous=max(number - 1, 1), settings=settings)
        (project / "lib" / "constructs" / f"part_{number}.py").write_text(text)
        handler = project / "lib" / "lambda" / f"part_{number}" / "handler.py"
        handler.parent.mkdir(parents=True)
        handler.write_text("import json\nimport boto3\n\n\ndef main(event, context):\n    return json.dumps(event)\n")
    imports = "".join(f"from lib.constructs.part_{number} import Part{number}\n" for number in range(1, 50))
    parts = "".join(f"        Part{n}(self, 'part-{n}', environment_suffix=environment_suffix)\n" for n in range(1, 50))
    (project / "lib" / "tap_stack.py").write_text(
        "from cdktf import TerraformStack\nfrom cdktf_cdktf_provider_aws.provider import AwsProvider\n"
        f"from constructs import Construct\n{imports}\n\nclass TapStack(TerraformStack):\n"
        "    def __init__(self, scope: Construct, stack_id: str, *, environment_suffix: str) -> None:\n"
        "        super().__init__(scope, stack_id)\n        AwsProvider(self, 'aws', region='us-east-1')\n"
        f"{parts}"
    )
    return project


def doctor_figures(workspace: Path) -> None:
    project = doctor_project(workspace)
    files = sum(1 for _ in project.rglob("*.py"))
    doctor_timed(f"tap-doctor --no-synth, {files} files", project, "--no-synth")
    generated = project / "lib" / "generated.py"
    generated.write_text("".join(f"VALUE_{n} = {{'name': 'item-{n}', 'size': {n}}}\n" for n in range(120_000)))
    size = generated.stat().st_size / 1e6
    doctor_timed(f"tap-doctor --no-synth, {files} files and a {size:.0f} MB module", project, "--no-synth")
    generated.unlink()
    stack_dir = project / "cdktf.out" / "stacks" / "TapStackdev"
    stack_dir.mkdir(parents=True)
    resources = {f"bucket_{n}": {"bucket": f"data-{n}-dev", "tags": {"Name": f"data-{n}"}} for n in range(60_000)}
    stack = {"provider": {"aws": [{"region": "us-east-1"}]}, "resource": {"aws_s3_bucket": resources}}
    (stack_dir / "cdk.tf.json").write_text(json.dumps(stack))
    manifest = {"stacks": {"TapStackdev": {"synthesizedStackPath": "stacks/TapStackdev/cdk.tf.json"}}}
    (project / "cdktf.out" / "manifest.json").write_text(json.dumps(manifest))
    size = (stack_dir / "cdk.tf.json").stat().st_size / 1e6
    doctor_timed(f"tap-doctor --synthesized, a {size:.0f} MB stack", project, "--synthesized")


def doctor_timed(name: str, project: Path, *arguments: str) -> None:
    command = [sys.executable, "-c", DOCTOR_RUN, "--format", "json", *arguments, str(project)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{name} failed:\n{result.stderr}")
    seconds, kilobytes = result.stderr.split()[-2:]
    print(f"{name}: {float(seconds):6.2f} s, peak {int(kilobytes) / 1024:5.0f} MB")


if __name__ == "__main__":
    main()
