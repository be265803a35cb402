"""A project's package manager, pipenv (Pipfile) or uv (pyproject.toml), and what it installs."""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PackageManager:
    name: str
    manifest: str  # the file that lists the dependencies
    install: tuple[str, ...]  # creates or updates the environment, dev packages included
    python: tuple[str, ...]  # runs the environment's python; cdktf.json's app starts with it
    run: str  # runs one of the project's tasks: `<run> verify`
    install_hint: str


PIPENV = PackageManager(
    "pipenv",
    "Pipfile",
    ("pipenv", "install", "--dev"),
    ("pipenv", "run", "python"),
    "pipenv run",
    "install it with `python3 -m pip install --user pipenv` (or `pipx install pipenv`)",
)
UV = PackageManager(
    "uv",
    "pyproject.toml",
    ("uv", "sync"),
    ("uv", "run", "python"),
    "uv run poe",
    "install it with `python3 -m pip install --user uv` (or `pipx install uv`; "
    "https://docs.astral.sh/uv/getting-started/installation/)",
)


def package_manager(project: Path) -> PackageManager:
    """pipenv for a project with a Pipfile, uv for one whose pyproject.toml lists its dependencies."""
    if not (project / PIPENV.manifest).is_file() and "project" in read_toml(project / UV.manifest):
        return UV
    return PIPENV


def main_packages(project: Path) -> set[str]:
    """The names of the packages the project runs on (not its dev packages), lower case."""
    manager = package_manager(project)
    manifest = read_toml(project / manager.manifest)
    if manager is UV:
        requirements = manifest.get("project", {}).get("dependencies", [])
        return {match[0].lower() for requirement in requirements if (match := re.match(r"[\w.-]+", requirement))}
    return {name.lower() for name in manifest.get("packages", {})}


def read_toml(path: Path) -> dict:
    """The TOML file's content; empty when it is missing or not TOML."""
    try:
        return tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return {}
