"""Rendering projects from the template's working tree, as a user's copier would."""

import ast
import contextlib
import functools
import json
import os
import shlex
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import yaml
from copier import run_copy
from plumbum import local

from tap_template.project import UV, Project, read_toml
from tap_template.terraform import MIRROR_VARIABLE
from tap_template.verify import PYTHON_VARIABLE

TEMPLATE = Path(__file__).resolve().parents[1]
COPIER_YML = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
ALL_SERVICES = list(COPIER_YML["services"]["choices"].values())
# The questions Copier asks, in order (not the computed values, which have no help).
QUESTIONS = {name: details for name, details in COPIER_YML.items() if not name.startswith("_") and "help" in details}
# copier.yml's service catalogue: what each service needs, offers and skips.
CATALOGUE = COPIER_YML["catalogue"]["default"]
# Answers that have no default: a service that asks them cannot be copied without them.
REQUIRED_ANSWERS = {"dns": {"dns_zone_name": "infra.tap-template.dev"}}
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


def with_needs(*services: str) -> list[str]:
    """The smallest choice that includes `services`: the first of each one's needs, added
    until no service lacks one (copier.yml's validator of `services` refuses it otherwise)."""
    chosen = list(services)
    while lacking := [name for name in chosen if not needs_met(name, chosen)]:
        chosen.insert(0, CATALOGUE[lacking[0]]["needs"][0])
    return chosen


def needs_met(service: str, chosen: list[str]) -> bool:
    needs = CATALOGUE[service]["needs"]
    return not needs or any(need in chosen for need in needs)


def service_answers(services: list[str]) -> dict:
    """Answers that choose `services`, with the answers those services require."""
    required = [REQUIRED_ANSWERS.get(service, {}) for service in services]
    return {"services": services, **{key: value for answers in required for key, value in answers.items()}}


@functools.cache
def provider_mirror() -> str | None:
    """A Terraform provider mirror with hashicorp/aws on this machine (the folder that holds registry.terraform.io/)."""
    if os.environ.get(MIRROR_VARIABLE):
        return os.environ[MIRROR_VARIABLE]
    candidates = [
        *Path("/opt").glob("*/"),
        Path.home() / ".terraform.d" / "plugins",
        Path("/usr/local/share/terraform/plugins"),
        Path("/usr/share/terraform/plugins"),
    ]
    found = [folder for folder in candidates if (folder / "registry.terraform.io" / "hashicorp" / "aws").is_dir()]
    return str(found[0]) if found else None


def render(
    destination: Path,
    answers: dict | None = None,
    *,
    verify: bool = False,
    python: str | None = None,
    template: Path | str = TEMPLATE,
    vcs_ref: str = "HEAD",
) -> Path:
    """Copy the template (its working tree, or `template`, a path or URL, at `vcs_ref`) to `destination`
    with `answers`, and defaults for the rest.

    With `verify`, copier also runs the post-copy verification, with `python` as the
    project's environment (None: it installs the project's own), and this machine's
    provider mirror (if any) for terraform validate.
    """
    with task_environment(python if verify else None):
        run_copy(
            str(template),
            str(destination),
            data=answers or {},
            defaults=True,
            unsafe=True,
            vcs_ref=vcs_ref,
            skip_tasks=not verify,
            quiet=True,
        )
    return destination


@contextlib.contextmanager
def task_environment(python: str | None) -> Iterator[None]:
    """What copier's verification task sees: `python` as the project's environment (no
    `pipenv install`), and this machine's provider mirror for terraform validate."""
    variables = {PYTHON_VARIABLE: python, MIRROR_VARIABLE: provider_mirror()}
    # copier's task runner takes its environment from plumbum, which copied os.environ when imported.
    with local.env(**{name: value for name, value in variables.items() if value}):
        yield


def project_requirements(project: Path) -> list[str]:
    """The pip requirements of a project (its Pipfile, or uv's pyproject.toml), dev packages included."""
    manager = Project(project).package_manager
    manifest = read_toml(project / manager.manifest)
    if manager is UV:
        return sorted([*manifest["project"]["dependencies"], *manifest["dependency-groups"]["dev"]])
    packages = {**manifest["packages"], **manifest["dev-packages"]}
    return sorted(requirement(name, spec) for name, spec in packages.items())


def requirement(name: str, spec: str | dict) -> str:
    """A Pipfile entry as a pip requirement: `"*"`, `">=1,<2"`, or `{extras = [...], version = ...}`."""
    if isinstance(spec, dict):
        name += f"[{','.join(spec.get('extras', []))}]" if spec.get("extras") else ""
        spec = spec.get("version", "*")
    return name if spec == "*" else f"{name}{spec}"


def render_verified(destination: Path, answers: dict, python: str | None) -> tuple[Path, str]:
    """render() with the verification, and the report it printed (python: see render)."""
    with task_output(destination.with_name(f"{destination.name}-verification.log")) as log:
        try:
            render(destination, answers, verify=True, python=python)
        except Exception as error:
            raise AssertionError(f"copier copy failed: {error}\n{log.read_text()}") from error
    return destination, log.read_text()


@contextlib.contextmanager
def task_output(log: Path) -> Iterator[Path]:
    """Send what copier's tasks print to `log`: their subprocesses write to file descriptor 1."""
    with log.open("w") as sink:
        saved = os.dup(1)
        os.dup2(sink.fileno(), 1)
        try:
            yield log
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def project_task(project: Path, task: str, python: str) -> list[str]:
    """The command of a project's task (a Pipfile script, or a Poe the Poet task of uv's
    pyproject.toml), run with `python` (what `pipenv run` and `uv run poe` do)."""
    manager = Project(project).package_manager
    manifest = read_toml(project / manager.manifest)
    tasks = manifest["tool"]["poe"]["tasks"] if manager is UV else manifest["scripts"]
    command = shlex.split(tasks[task])
    return [python, *command[1:]] if command[0] == "python" else [python, "-m", *command]


def assert_files_parse(project: Path) -> None:
    """Every YAML, TOML, JSON and Python file of a project reads as its format."""
    for path in project.rglob("*"):
        # The template's files, not what the verification builds (the synth, the environment).
        if {"tools", "cdktf.out", ".venv"} & set(path.relative_to(project).parts) or not path.is_file():
            continue
        text = path.read_text()
        if path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".toml" or path.name == "Pipfile":
            tomllib.loads(text)
        elif path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".py":
            ast.parse(text, str(path))


def git(folder: Path, *arguments: str) -> str:
    result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True, check=True)
    return result.stdout


def commit_all(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "-c", "user.name=Engineer", "-c", "user.email=engineer@example.org", "commit", "-qm", message)
