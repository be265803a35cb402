"""The project a runner checks: its folder, its package manager (pipenv or uv) and what
that installs, the files several steps read (TOML, cdktf.json), and the errors every step
may raise. It imports no other module of tap_template: the rules and the runners build on it.
"""

import functools
import json
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path


class Failed(Exception):
    """A command could not do its work; the message says why, `log` holds its output."""

    def __init__(self, message: str, log: str = "") -> None:
        super().__init__(message)
        self.log = log


class Skipped(Exception):
    """A step (terraform validate, the security scan) could not run here; the message says why."""


class SettingsError(Exception):
    """A project's doctor settings cannot be used; the message names the file and the problem."""


class NotAProject(Exception):
    """The folder cannot be checked; the message says why."""


def read_toml(path: Path) -> dict:
    """The TOML file's content; empty when it is missing or not TOML."""
    try:
        return tomllib.loads(path.read_bytes().decode())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def load_cdktf_json(project: Path) -> dict | None:
    """The project's cdktf.json; None when it is missing or not a JSON object."""
    try:
        config = json.loads((project / "cdktf.json").read_bytes())
    except (OSError, ValueError, RecursionError):  # ValueError: not JSON, not UTF-8
        return None
    return config if isinstance(config, dict) else None


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


@dataclass(frozen=True)
class Project:
    """A project folder. Its pyproject.toml, cdktf.json, package manager and packages are
    read once, when first asked for: one check or verification of it reads them all it needs."""

    path: Path

    @functools.cached_property
    def cdktf_json(self) -> dict | None:
        return load_cdktf_json(self.path)

    @functools.cached_property
    def pyproject(self) -> dict:
        return read_toml(self.path / "pyproject.toml")

    @functools.cached_property
    def package_manager(self) -> PackageManager:
        """pipenv for a project with a Pipfile, uv for one whose pyproject.toml lists its dependencies."""
        if not (self.path / PIPENV.manifest).is_file() and "project" in self.pyproject:
            return UV
        return PIPENV

    @functools.cached_property
    def main_packages(self) -> frozenset[str]:
        """The names of the packages the project runs on (not its dev packages)."""
        return frozenset(self._main_requirements)

    @functools.cached_property
    def pinned_versions(self) -> dict[str, str]:
        """The versions the manifest pins its main packages to (`==21.22.1`), by package name."""
        pins = {name: re.fullmatch(r"\s*==\s*([\w.]+)\s*", spec) for name, spec in self._main_requirements.items()}
        return {name: pin[1] for name, pin in pins.items() if pin}

    @functools.cached_property
    def _main_requirements(self) -> dict[str, str]:
        """The main packages, each with its version specifier ("" when it has none)."""
        if self.package_manager is UV:
            table = self.pyproject.get("project")
            requirements = table.get("dependencies") if isinstance(table, dict) else None
            requirements = requirements if isinstance(requirements, list) else []
            return {
                requirement_name(item): re.sub(r"^[\sA-Za-z0-9._-]*(\[[^\]]*\])?", "", item.split(";")[0])
                for item in requirements
                if isinstance(item, str)
            }
        packages = read_toml(self.path / PIPENV.manifest).get("packages")
        if not isinstance(packages, dict):
            return {}
        specs = {name: spec.get("version", "") if isinstance(spec, dict) else spec for name, spec in packages.items()}
        return {normalized(name): spec if isinstance(spec, str) else "" for name, spec in specs.items()}

    def packages_left_in_the_pipfile(self) -> list[str]:
        """After a move from pipenv to uv (`copier update --data package_manager=uv`), the
        packages that the committed Pipfile lists and pyproject.toml does not, as the `uv add`
        commands that add them: Copier removes the Pipfile, edits and all."""
        if self.package_manager is not UV:
            return []
        try:
            committed = subprocess.run(
                ["git", "show", "HEAD:./Pipfile"], cwd=self.path, capture_output=True, text=True, check=True
            )
            pipfile = tomllib.loads(committed.stdout)
        except (OSError, subprocess.CalledProcessError, tomllib.TOMLDecodeError):
            return []  # no git, no commit with a Pipfile, or not one to read
        groups = [
            self.pyproject.get("project", {}).get("dependencies", []),
            *self.pyproject.get("dependency-groups", {}).values(),
        ]
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
