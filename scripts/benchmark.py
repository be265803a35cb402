"""Prints how long the template's steps take on this machine (figures, not a test).

1. rendering an all-services project, tasks skipped;
2. for each framework (cdktf, cdktn), the default project: the verification task
   (pipenv install, synth, checks) against its synth, synthesizing it again
   (`pipenv run synth`), and the generated unit tests (`pipenv run test-unit`);
3. how much faster CDK Terrain synthesizes the default project than CDKTF.

Run it with scripts/benchmark; it needs pipenv and node, like a user's copy.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

TEMPLATE = Path(__file__).resolve().parents[1]
ALL_SERVICES = list(yaml.safe_load((TEMPLATE / "copier.yml").read_text())["services"]["choices"].values())
COPY = ["copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD", "--quiet", str(TEMPLATE)]
PIPENV = {**os.environ, "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_VERBOSITY": "-1"}


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=PIPENV, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="tap-template-benchmark-") as folder:
        workspace = Path(folder)
        services = "services=[" + ", ".join(ALL_SERVICES) + "]"
        zone = "dns_zone_name=infra.tap-template.dev"  # dns has no default domain
        render, _ = timed([*COPY, "--skip-tasks", "--data", services, "--data", zone, str(workspace / "all-services")])
        print(f"render, all services, tasks skipped: {render:6.1f} s")

        synths = {framework: default_project(workspace, framework) for framework in ("cdktf", "cdktn")}
        print(f"synth, default project, cdktf / cdktn: {synths['cdktf'] / synths['cdktn']:4.1f} x")


def default_project(workspace: Path, framework: str) -> float:
    """Copy the default project on `framework`, synthesize it, run its unit tests; the synth's seconds."""
    project = workspace / f"default-{framework}"
    copy, report = timed([*COPY, "--data", f"framework={framework}", str(project)])
    steps = dict(re.findall(r"^  (\w+) +\w+ +([\d.]+) s", report, re.MULTILINE))
    print(f"{framework}: copy with verification (total):      {copy:6.1f} s")
    for step, seconds in steps.items():
        print(f"{framework}:   verification {step:<12}           {float(seconds):6.1f} s")
    print(f"{framework}: copy with verification / its synth:  {copy / float(steps['synth']):6.1f} x")
    try:
        synth, _ = timed(["pipenv", "run", "synth"], project)
        print(f"{framework}: synth, default project:              {synth:6.1f} s")
        unit, _ = timed(["pipenv", "run", "test-unit"], project)
        print(f"{framework}: generated unit tests:                {unit:6.1f} s ({unit / synth:.1f} x one synth)")
    finally:
        subprocess.run(["pipenv", "--rm"], cwd=project, env=PIPENV, capture_output=True, check=False)
    return synth


if __name__ == "__main__":
    main()
