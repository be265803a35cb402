"""Running a project's commands: its environment, and its app once, as `cdktf synth` runs it."""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
from pathlib import Path

from tap_template.project import PIPENV, UV, Failed, load_cdktf_json

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


def run(
    argv: list[str] | str, cwd: Path, extra_environment: dict[str, str], failure: str, timeout: float | None = None
) -> None:
    """Run a command (a string: through the shell); Failed with its output when it fails or
    outlives `timeout` (then it is killed with every process it started)."""
    try:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env={**os.environ, **PIPENV_ENVIRONMENT, **extra_environment},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            shell=isinstance(argv, str),
            start_new_session=True,
        )
    except FileNotFoundError as error:
        raise Failed(f"{failure}: {error.filename} not found") from None
    with process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            raise Failed(f"{failure}: it did not finish in {timeout:.0f} s, so it was stopped", output) from None
    if process.returncode != 0:
        raise Failed(f"{failure} (exit status {process.returncode})", output)


# The app command's interpreter, after the variables it sets: `pipenv run python`,
# `uv run python`, or a plain `python`/`python3`/`python3.12`.
MANAGED_PYTHON = re.compile(
    r"^(?P<variables>(\s*[A-Za-z_][A-Za-z0-9_]*=\S*)*\s*)(?P<python>"
    + "|".join(r"\s+".join(map(re.escape, manager.python)) for manager in (PIPENV, UV))
    + r"|python(\d(\.\d+)?)?)(?=\s|$)"
)


def app_command(app: str, python: str | None) -> str:
    """cdktf.json's `app`, a shell command as `cdktf synth` runs it, with `python` in place
    of its interpreter (`pipenv run python`, `uv run python`, `python3`)."""
    if python is None:
        return app
    command, replaced = MANAGED_PYTHON.subn(lambda match: match["variables"] + shlex.quote(python), app, count=1)
    if not replaced:
        raise Failed(
            f"{PYTHON_VARIABLE} is set, but cdktf.json's app starts with no Python interpreter "
            "(`pipenv run python`, `uv run python`, `python3`) to replace"
        )
    return command


def project_app(project: Path, python: str | None) -> str:
    """The project's app command (cdktf.json's `app`, see app_command); Failed when it names none."""
    config = load_cdktf_json(project)
    if not isinstance(config, dict) or not isinstance(config.get("app"), str):
        raise Failed('cdktf.json names no "app" to synthesize')
    return app_command(config["app"], python)


def output_folder(project: Path, config: dict | None = None) -> Path:
    """Where the synth writes: cdktf.json's "output" (`config`, read when not given), cdktf.out by default."""
    output = (config if config is not None else load_cdktf_json(project) or {}).get("output")
    return project / (output if isinstance(output, str) and output.strip() else "cdktf.out")


def synthesize(project: Path, command: str, timeout: float | None = None) -> dict[str, tuple[dict, Path]]:
    """Run the app once into the output folder: {stack name: (its Terraform JSON, its folder)}."""
    config = load_cdktf_json(project) or {}
    outdir = output_folder(project, config)
    shutil.rmtree(outdir, ignore_errors=True)  # no stale stacks from an earlier synth
    # As `cdktf synth` runs the app: CDKTF_OUTDIR says where to write, CDKTF_CONTEXT_JSON
    # holds cdktf.json's context. No bytecode is written into the project.
    context = config.get("context")
    environment = {
        "CDKTF_OUTDIR": str(outdir),
        "CDKTF_CONTEXT_JSON": json.dumps(context if isinstance(context, dict) else {}),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    run(command, project, environment, f"synth ({command}) failed", timeout)
    return synthesized_stacks(project)


def synthesized_stacks(project: Path) -> dict[str, tuple[dict, Path]]:
    """The stacks of the last synth in the output folder: {stack name: (its Terraform JSON, its folder)}."""
    outdir = output_folder(project)
    manifest = _read_json(outdir / "manifest.json")
    listed = manifest.get("stacks") if isinstance(manifest, dict) else None
    if not isinstance(listed, dict):
        raise Failed('cdktf.out/manifest.json lists no stacks (an object under "stacks")')
    stacks = {}
    for name, stack in listed.items():
        relative = stack.get("synthesizedStackPath") if isinstance(stack, dict) else None
        if not isinstance(relative, str):
            raise Failed(f"cdktf.out/manifest.json gives stack {name} no synthesizedStackPath")
        path = outdir / relative
        content = _read_json(path)
        if not isinstance(content, dict):
            raise Failed(f"{path.relative_to(project)} is not a Terraform JSON object")
        stacks[name] = (content, path.parent)
    if not stacks:
        raise Failed("the app synthesized no stack")
    return stacks


def _read_json(path: Path):
    try:
        return json.loads(path.read_bytes())
    except OSError as error:
        raise Failed(f"cdktf.out has no readable {path.name} at {path} ({error.strerror or error})") from None
    except (ValueError, RecursionError) as error:
        raise Failed(f"{path} is not valid JSON ({str(error)[:200]})") from None
