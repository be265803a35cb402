"""A project's package manager, pipenv (Pipfile) or uv (pyproject.toml), and what it installs."""

import re
import subprocess
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
    """The names of the packages the project runs on (not its dev packages)."""
    manager = package_manager(project)
    manifest = read_toml(project / manager.manifest)
    if manager is UV:
        table = manifest.get("project")
        requirements = table.get("dependencies") if isinstance(table, dict) else None
        requirements = requirements if isinstance(requirements, list) else []
        return {requirement_name(item) for item in requirements if isinstance(item, str)}
    packages = manifest.get("packages")
    return {normalized(name) for name in packages} if isinstance(packages, dict) else set()


def packages_left_in_the_pipfile(project: Path) -> list[str]:
    """After a move from pipenv to uv (`copier update --data package_manager=uv`), the
    packages that the committed Pipfile lists and pyproject.toml does not, as the `uv add`
    commands that add them: Copier removes the Pipfile, edits and all."""
    if package_manager(project) is not UV:
        return []
    try:
        committed = subprocess.run(
            ["git", "show", "HEAD:./Pipfile"], cwd=project, capture_output=True, text=True, check=True
        )
        pipfile = tomllib.loads(committed.stdout)
    except (OSError, subprocess.CalledProcessError, tomllib.TOMLDecodeError):
        return []  # no git, no commit with a Pipfile, or not one to read
    pyproject = read_toml(project / UV.manifest)
    groups = [pyproject.get("project", {}).get("dependencies", []), *pyproject.get("dependency-groups", {}).values()]
    # A group may include another ({include-group = "..."}): only requirements name packages.
    declared = {requirement_name(item) for group in groups for item in group if isinstance(item, str)}
    return [
        f"uv add{option} {name}"
        for section, option in (("packages", ""), ("dev-packages", " --dev"))
        for name in pipfile.get(section, {})
        if normalized(name) not in declared
    ]


def requirement_name(requirement: str) -> str:
    """The package a PEP 508 requirement names: `moto[server]>=5` -> moto."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    return normalized(match[0]) if match else ""


def normalized(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_toml(path: Path) -> dict:
    """The TOML file's content; empty when it is missing or not TOML."""
    try:
        return tomllib.loads(path.read_bytes().decode())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
