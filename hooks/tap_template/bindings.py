"""The jsii bindings an app imports (cdktf, cdktn and the prebuilt provider bindings), read
as text where they are installed, never imported: importing the AWS bindings takes seconds
and gigabytes. They say which modules and classes exist, and what each class's __init__
takes: every parameter, whether it is required, and its type (the shape jsii checks).

The bindings looked at are the ones the app runs with: those of TAP_TEMPLATE_PYTHON's
interpreter, else the project's virtualenv (.venv, venv), else the Python running tap-doctor
(in a generated project, `pipenv run doctor` is the project's environment), else pipenv's
environment of the project.
"""

import ast
import difflib
import functools
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tap_template.project import PIPENV, Project, normalized
from tap_template.synth import PIPENV_ENVIRONMENT, PYTHON_VARIABLE

# The jsii packages whose classes the rules check: the frameworks, and the modules of
# prebuilt provider bindings (PyPI), by provider: cdktf_cdktf_provider_aws.
FRAMEWORKS = ("cdktf", "cdktn")
PREBUILT_BINDINGS = ("cdktf_cdktf_provider_", "cdktn_provider_")
CLASS = re.compile(r"^class (\w+)\b", re.MULTILINE)
# A jsii __init__ signature: `    def __init__(` to `    ) -> None:` (or on one line).
INIT = re.compile(r"^    def __init__\((?P<parameters>.*?)\) -> None:", re.MULTILINE | re.DOTALL)
VIRTUALENVS = (".venv", "venv")
LOOKUP_TIMEOUT_SECONDS = 30


def camel(name: str) -> str:
    """A Python name as jsii names it in JavaScript: from_port -> fromPort."""
    first, *rest = name.split("_")
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """A JavaScript (camelCase) name as the Python bindings name it: fromPort -> from_port."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def closest(word: str, choices) -> str | None:
    """The choice closest to a misspelt or camelCase name, or one it begins (enabled ->
    enabled_regions); None when none is close."""
    found = difflib.get_close_matches(snake(word), sorted(choices), n=1, cutoff=0.6)
    found = found or sorted(choice for choice in choices if choice.startswith(word) or word.startswith(choice))[:1]
    return found[0] if found else None


def parameters_in(site_packages: Path, module: str, name: str) -> list[str]:
    """The parameters of class `name`'s __init__ in the installed module (a traceback's
    site-packages); empty when it cannot be read."""
    package = module.split(".")[0]
    signature = Installed(package, site_packages / package, None, "").signature(module, name)
    return list(signature.keywords) if signature else []


def is_jsii_package(top: str) -> bool:
    """Whether an import's top-level name is one whose classes the bindings describe."""
    return top in FRAMEWORKS or top.startswith(PREBUILT_BINDINGS)


@dataclass(frozen=True)
class Parameter:
    name: str
    annotation: ast.expr | None
    required: bool


@dataclass(frozen=True)
class Signature:
    """A class's __init__: its positional parameters after self, and its keyword-only ones."""

    owner: str
    module: str  # the dotted module that defines it
    positional: tuple[str, ...]
    keywords: dict[str, Parameter]
    extra_keywords: bool  # **kwargs

    @property
    def is_construct(self) -> bool:
        """A resource, data source or provider (scope, id, *, ...), not a struct."""
        return len(self.positional) >= 1 and self.positional[0] == "scope"


@dataclass(frozen=True)
class Installed:
    """One installed package: its folder, version, and where it was found."""

    package: str
    folder: Path
    version: str | None
    place: str  # "the project's .venv", "TAP_TEMPLATE_PYTHON's environment", ...

    def described(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"{self.package}{version} ({self.place})"

    def has_module(self, dotted: str) -> bool:
        """Whether `package.a.b` exists (a package folder, or a module file)."""
        parts = dotted.split(".")[1:]
        if not parts:
            return True
        folder = self.folder.joinpath(*parts)
        return (folder / "__init__.py").is_file() or folder.with_suffix(".py").is_file()

    def modules(self) -> list[str]:
        """The package's submodules (first level): the provider's resources and data sources."""
        try:
            return sorted(
                entry.name for entry in os.scandir(self.folder) if entry.is_dir() and not entry.name.startswith("_")
            )
        except OSError:
            return []

    def names(self, dotted: str) -> set[str] | None:
        """The public names a module defines: its classes and `__all__`; None when it cannot be read."""
        text = self._text(dotted)
        if text is None:
            return None
        names = set(CLASS.findall(text))
        listed = re.search(r"^__all__ = \[(.*?)\]", text, re.MULTILINE | re.DOTALL)
        if listed:
            names |= set(re.findall(r"[\"'](\w+)[\"']", listed[1]))
        return names

    def signature(self, dotted: str, name: str) -> Signature | None:
        """The __init__ of class `name` in module `dotted`, read from its source text."""
        return _signature(self._text(dotted), dotted, name)

    def _text(self, dotted: str) -> str | None:
        parts = dotted.split(".")[1:]
        folder = self.folder.joinpath(*parts)
        for file in (folder / "__init__.py", folder.with_suffix(".py")):
            text = _read(file)
            if text is not None:
                return text
        return None


@functools.cache
def _read(file: Path) -> str | None:
    try:
        return file.read_text(errors="replace")
    except OSError:
        return None


@functools.lru_cache(maxsize=4096)
def _signature(text: str | None, dotted: str, name: str) -> Signature | None:
    if text is None:
        return None
    header = re.search(rf"^class {re.escape(name)}\b.*?:$", text, re.MULTILINE | re.DOTALL)
    if header is None:
        return None
    following = CLASS.search(text, header.end())
    end = following.start() if following else len(text)
    init = INIT.search(text, header.end(), end)
    if init is None:
        return None
    try:
        function = ast.parse(f"def __init__({init['parameters']}) -> None: pass").body[0]
    except (SyntaxError, ValueError, RecursionError):
        return None
    if not isinstance(function, ast.FunctionDef):
        return None
    arguments = function.args
    positional = tuple(arg.arg for arg in arguments.posonlyargs + arguments.args)[1:]
    defaults = dict(zip(reversed(arguments.args), reversed(arguments.defaults), strict=False))
    keywords = {
        arg.arg: Parameter(arg.arg, arg.annotation, default is None)
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    }
    keywords |= {
        arg.arg: Parameter(arg.arg, arg.annotation, arg not in defaults) for arg in arguments.args[1:] if arg.arg
    }
    return Signature(name, dotted, positional, keywords, arguments.kwarg is not None)


@dataclass
class Bindings:
    """The installed jsii packages an app imports, each found once per check."""

    project: Project
    _found: dict[str, Installed | None] = field(default_factory=dict)

    def find(self, package: str) -> Installed | None:
        """Where `package` is installed for the app; None when nowhere tap-doctor looks."""
        if package not in self._found:
            self._found[package] = (
                self._in_interpreter(package)
                or self._in_virtualenv(package)
                or self._in_own_environment(package)
                or self._in_pipenv_environment(package)
            )
        return self._found[package]

    def nowhere(self, package: str) -> str:
        """Where tap-doctor looked for a package it did not find."""
        looked = [f"{PYTHON_VARIABLE}'s interpreter"] if os.environ.get(PYTHON_VARIABLE) else []
        looked += [f"the project's {name}/" for name in VIRTUALENVS] + [f"tap-doctor's Python ({sys.executable})"]
        looked += ["pipenv's environment of the project"] if self._pipenv_folder else []
        return f"{package} is not installed in {', '.join(looked[:-1])} or {looked[-1]}"

    def _in_interpreter(self, package: str) -> Installed | None:
        python = os.environ.get(PYTHON_VARIABLE)
        if not python:
            return None
        found = _interpreter_packages(python).get(package)
        return Installed(package, Path(found[0]), found[1], f"{PYTHON_VARIABLE}'s environment") if found else None

    def _in_virtualenv(self, package: str) -> Installed | None:
        for name in VIRTUALENVS:
            if found := _in_site_packages(self.project.path / name, package, f"the project's {name}/"):
                return found
        return None

    def _in_pipenv_environment(self, package: str) -> Installed | None:
        folder = self._pipenv_folder
        return _in_site_packages(folder, package, "pipenv's environment of the project") if folder else None

    @functools.cached_property
    def _pipenv_folder(self) -> Path | None:
        """The virtualenv pipenv keeps for the project (outside it), when it has one."""
        if not (self.project.path / PIPENV.manifest).is_file() or shutil.which("pipenv") is None:
            return None
        try:
            result = subprocess.run(
                ["pipenv", "--venv"],
                cwd=self.project.path,
                capture_output=True,
                text=True,
                env={**os.environ, **PIPENV_ENVIRONMENT},
                timeout=LOOKUP_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return Path(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None

    def _in_own_environment(self, package: str) -> Installed | None:
        try:
            spec = importlib.util.find_spec(package)  # finds a top-level package without importing it
        except (ImportError, ValueError):
            return None
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            return None
        try:
            version = importlib.metadata.version(package.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            version = _version_beside(Path(locations[0]))
        return Installed(package, Path(locations[0]), version, "tap-doctor's Python")

    def pinned_version(self, package: str) -> str | None:
        """The version the project's manifest pins the package's distribution to, if it pins one."""
        return self.project.pinned_versions.get(normalized(package))


def _in_site_packages(virtualenv: Path, package: str, place: str) -> Installed | None:
    for folder in sorted(virtualenv.glob(f"lib/python3*/site-packages/{package}")):
        if folder.is_dir():
            return Installed(package, folder, _version_beside(folder), place)
    return None


def _version_beside(folder: Path) -> str | None:
    """The version of the distribution that installed a package folder (its dist-info)."""
    for info in sorted(folder.parent.glob("*.dist-info")):
        top_level = _read(info / "top_level.txt") or ""
        if folder.name in top_level.split():
            version = re.search(r"^Version: (\S+)", _read(info / "METADATA") or "", re.MULTILINE)
            return version[1] if version else None
    return None


@functools.cache
def _interpreter_packages(python: str) -> dict[str, tuple[str, str | None]]:
    """The jsii packages another interpreter has: {package: (folder, version)}, found without
    importing them."""
    script = (
        "import importlib.util, importlib.metadata, json, pkgutil\n"
        "found = {}\n"
        "for module in pkgutil.iter_modules():\n"
        f"    if module.ispkg and (module.name in {FRAMEWORKS!r} or module.name.startswith({PREBUILT_BINDINGS!r})):\n"
        "        spec = importlib.util.find_spec(module.name)\n"
        "        try:\n"
        "            version = importlib.metadata.version(module.name.replace('_', '-'))\n"
        "        except importlib.metadata.PackageNotFoundError:\n"
        "            version = None\n"
        "        found[module.name] = (list(spec.submodule_search_locations)[0], version)\n"
        "print(json.dumps(found))\n"
    )
    try:
        result = subprocess.run(
            [python, "-c", script], capture_output=True, text=True, timeout=LOOKUP_TIMEOUT_SECONDS, check=True
        )
        return {name: tuple(value) for name, value in json.loads(result.stdout).items()}
    except (OSError, subprocess.SubprocessError, ValueError):
        return {}
