"""Prints how long the template's steps take on this machine (figures, not a test).

1. rendering an all-services project, tasks skipped;
2. the default project on cdktf with pipenv, on cdktn with pipenv, and on cdktf with uv:
   the verification task (install, synth, checks) against its synth, synthesizing it
   again (`pipenv run synth`, `uv run poe synth`), and the generated unit tests;
3. how much faster CDK Terrain synthesizes the default project than CDKTF, and how much
   faster uv installs it than pipenv.

Run it with scripts/benchmark; it needs pipenv, uv and node, like a user's copy. Install
times depend on what pip's and uv's caches already hold: run it twice for warm caches.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tap_template.package_managers import PIPENV, UV

TEMPLATE = Path(__file__).resolve().parents[1]
ALL_SERVICES = list(yaml.safe_load((TEMPLATE / "copier.yml").read_text())["services"]["choices"].values())
COPY = ["copier", "copy", "--trust", "--defaults", "--vcs-ref", "HEAD", "--quiet", str(TEMPLATE)]
PIPENV_ENVIRONMENT = {**os.environ, "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_VERBOSITY": "-1"}
MANAGERS = {manager.name: manager for manager in (PIPENV, UV)}


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
        services = "services=[" + ", ".join(ALL_SERVICES) + "]"
        zone = "dns_zone_name=infra.tap-template.dev"  # dns has no default domain
        render, _ = timed([*COPY, "--skip-tasks", "--data", services, "--data", zone, str(workspace / "all-services")])
        print(f"render, all services, tasks skipped: {render:6.1f} s")

        cdktf = default_project(workspace, "cdktf", "pipenv")
        cdktn = default_project(workspace, "cdktn", "pipenv")
        uv = default_project(workspace, "cdktf", "uv")
        print(f"synth, default project, cdktf / cdktn:   {cdktf['synth'] / cdktn['synth']:4.1f} x")
        print(f"install, default project, pipenv / uv:   {cdktf['install'] / uv['install']:4.1f} x")


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


if __name__ == "__main__":
    main()
