"""Running a project's commands: its environment, and its app once, as `cdktf synth` runs it."""

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

from tap_template.package_managers import PIPENV, UV
from tap_template.sources import load_cdktf_json

# An interpreter that has the project's dependencies, used instead of `pipenv run python`
# or `uv run python` (the template's tests share one environment that way).
PYTHON_VARIABLE = "TAP_TEMPLATE_PYTHON"
# Environment for pipenv: never use the virtualenv that runs copier, and stay quiet.
PIPENV_ENVIRONMENT = {
    "PIPENV_IGNORE_VIRTUALENVS": "1",
    "PIPENV_VERBOSITY": "-1",
    "PIPENV_NOSPIN": "1",
    "PIPENV_YES": "1",
}


class Failed(Exception):
    """A command could not do its work; the message says why, `log` holds its output."""

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(message)
        self.log = log


def run(argv: list[str], cwd: Path, extra_environment: dict[str, str], failure: str) -> None:
    try:
        process = subprocess.run(
            argv,
            cwd=cwd,
            env={**os.environ, **PIPENV_ENVIRONMENT, **extra_environment},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise Failed(f"{failure}: {error.filename} not found") from None
    if process.returncode != 0:
        raise Failed(f"{failure} (exit status {process.returncode})", process.stdout)


def app_command(app: str, python: str | None) -> list[str]:
    """cdktf.json's `app` as a command, with `python` in place of `pipenv run python` (or uv's)."""
    command = shlex.split(app)
    if python is None:
        return command
    for manager in (PIPENV, UV):
        if tuple(command[: len(manager.python)]) == manager.python:
            return [python, *command[len(manager.python) :]]
    raise Failed(
        f"{PYTHON_VARIABLE} is set, but cdktf.json's app starts with neither `pipenv run python` nor `uv run python`"
    )


def project_app(project: Path, python: str | None) -> list[str]:
    """The project's app command (cdktf.json's `app`, see app_command); Failed when it names none."""
    config = load_cdktf_json(project)
    if not isinstance(config, dict) or not isinstance(config.get("app"), str):
        raise Failed('cdktf.json names no "app" to synthesize')
    return app_command(config["app"], python)


def synthesize(project: Path, command: list[str]) -> dict[str, tuple[dict, Path]]:
    """Run the app once into cdktf.out: {stack name: (its Terraform JSON, its folder)}."""
    outdir = project / "cdktf.out"
    shutil.rmtree(outdir, ignore_errors=True)  # no stale stacks from an earlier synth
    # CDKTF_OUTDIR is how `cdktf synth` tells the app where to write.
    run(command, project, {"CDKTF_OUTDIR": str(outdir)}, f"synth ({shlex.join(command)}) failed")
    return synthesized_stacks(project)


def synthesized_stacks(project: Path) -> dict[str, tuple[dict, Path]]:
    """The stacks of the last synth in cdktf.out: {stack name: (its Terraform JSON, its folder)}."""
    outdir = project / "cdktf.out"
    try:
        manifest = json.loads((outdir / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise Failed(f"synth wrote no readable cdktf.out/manifest.json ({error})") from None
    stacks = {}
    for name, stack in manifest.get("stacks", {}).items():
        path = outdir / stack["synthesizedStackPath"]
        stacks[name] = (json.loads(path.read_text()), path.parent)
    if not stacks:
        raise Failed("the app synthesized no stack")
    return stacks
