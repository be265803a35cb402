"""What each Lambda function of the app packages, and the modules its code imports that
will be missing when Lambda loads it (the lambda-imports rule).

A function's package is what the app points at: a TerraformAsset's path, an archive's
source_dir / source_file, or a function's filename (a zip, read as it is). Its code may
import the standard library, the runtime's AWS SDK, and what the package holds. A module
may also come from a layer, or from a requirements file that a build step installs into
the package: then a module that is not seen is a warning, since it may be there at run time.
"""

import ast
import io
import os
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from tap_template.findings import WARNING, Finding, finding
from tap_template.modules import (
    NOT_SOURCES,
    PathEvaluator,
    absolute_imports,
    called_name,
    imports,
    is_dir,
    is_file,
    read_source,
)

if TYPE_CHECKING:
    from tap_template.sources import Code

# What the Python runtimes of Lambda hold besides the standard library: the AWS SDK and
# the packages it depends on.
RUNTIME_MODULES = {"boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six", "awslambdaric"}
# The resources that deploy a package (their `filename`), and the calls that make one from
# the project's files, with the argument that names them.
FUNCTION_CLASSES = {"LambdaFunction", "LambdaLayerVersion"}
SOURCE_ARGUMENTS = {"TerraformAsset": ("path",), "DataArchiveFile": ("source_dir", "source_file")}
REQUIREMENT_FILES = ("requirements.txt", "requirements.in", "pyproject.toml", "setup.py", "Pipfile")
# A build step that installs packages into a folder: `pip install -r requirements.txt -t
# build/`, in a script or as the app's subprocess arguments (within a few lines).
PIP_INSTALL = re.compile(r"\bpip3?[\"',\s]+install\b")
TARGET_OPTION = re.compile(r"(^|[\s\"'])(-t|--target)\b")
INSTALL_STEP_CHARACTERS = 400
BUILD_FILES = ("*.sh", "Makefile", "*.mk", "*.yml", "*.yaml", "package.json", "*.toml", "*.cfg", "*.py")
# Import names that differ from the distribution's name (requirements list distributions).
IMPORT_NAMES = {
    "psycopg2-binary": "psycopg2",
    "psycopg-binary": "psycopg",
    "pyyaml": "yaml",
    "python-dateutil": "dateutil",
    "pillow": "PIL",
    "beautifulsoup4": "bs4",
    "scikit-learn": "sklearn",
    "pyjwt": "jwt",
    "python-jose": "jose",
    "opensearch-py": "opensearchpy",
    "protobuf": "google",
    "attrs": "attr",
    "pymysql": "pymysql",
    "mysql-connector-python": "mysql",
    "redis-py-cluster": "rediscluster",
}
LARGEST_ARCHIVE_BYTES = 50_000_000


@dataclass
class Package:
    """What one function deploys: where it comes from, the top-level names it holds, its code."""

    origin: str  # the file:line of the call that names it
    root: Path
    shown: str  # how a location in it is written: lib/lambda/api/ or lib/api.zip!
    names: set[str] = field(default_factory=set)
    files: dict[str, ast.Module] = field(default_factory=dict)  # path inside -> syntax tree
    requirements: set[str] | None = None  # import names its requirement files list; None: no file
    layer: bool = False  # a layer's package: its modules are under python/
    handlers: set[str] | None = field(default_factory=set)  # modules Lambda loads; None: unknown
    entries: set[str] | None = None  # a zip's entries (a folder's are on disk)

    def holds(self, inside: str) -> bool:
        """Whether the package has a file or folder at `inside` (a path within it)."""
        if self.entries is not None:
            return inside in self.entries or any(entry.startswith(f"{inside}/") for entry in self.entries)
        if is_file(self.root):
            return inside == self.root.name
        return (self.root / inside).exists()

    def own_code(self) -> dict[str, ast.Module]:
        """The code Lambda runs: the handlers' modules and the package's top-level modules
        they import (a test beside them, or a vendored package, is not run). Without a
        known handler, every top-level module but tests."""
        if self.handlers is None:
            pending = [inside for inside in self.files if "/" not in inside and not inside.startswith("test")]
        else:
            pending = [
                inside
                for handler in self.handlers
                for inside in (f"{handler.replace('.', '/')}.py", f"{handler.replace('.', '/')}/__init__.py")
                if inside in self.files
            ]
        reached: dict[str, ast.Module] = {}
        while pending:
            inside = pending.pop()
            if inside in reached:
                continue
            reached[inside] = self.files[inside]
            for node, _ in imports(self.files[inside]):
                pending += [f"{name.split('.')[0]}.py" for name in absolute_imports(node)]
            pending = [candidate for candidate in pending if candidate in self.files]
        return reached


def check_function_imports(code: "Code") -> list[Finding]:
    """Modules a function's code imports that its package, the runtime and the standard
    library lack: an error when nothing else can bring them, else a warning."""
    packages = function_packages(code)
    if not packages:
        return []
    layered = uses_layers(code)
    in_layers = {name for package in packages.values() if package.layer for name in package.names}
    installs = has_install_step(code.root)
    findings = []
    for package in packages.values():
        if package.layer:
            continue
        own = package.own_code()
        # Code that changes sys.path may find modules anywhere in its package; without a
        # known handler, what runs is not known either.
        uncertain = package.handlers is None or any("sys.path" in ast.unparse(module) for module in own.values())
        reported: set[str] = set()
        for inside, module in own.items():
            shown = package.shown + inside
            for node, guarded in imports(module):
                for name in [] if guarded else absolute_imports(node):
                    top = name.split(".")[0]
                    if top in reported or top in package.names | in_layers | RUNTIME_MODULES:
                        continue
                    if top in sys.stdlib_module_names:
                        continue
                    reported.add(top)
                    listed = package.requirements is not None and top in package.requirements
                    if not (listed and installs):
                        found = _finding(package, shown, node, top, listed, layered or uncertain, installs)
                        findings.append(found)
    return findings


def _finding(package: Package, shown: str, node: ast.AST, top: str, listed: bool, elsewhere: bool, installs: bool):
    """The finding on a module `top` that the package does not hold; `elsewhere`: a layer, a
    folder the code adds to sys.path, or code that is not the handler's may hold it."""
    location = f"{shown}:{node.lineno}"
    packaged = f"the package of {package.origin} ({_relative(package.root)})"
    if package.requirements is None and not elsewhere and not installs:
        return finding(
            "lambda-imports",
            f"{top} is imported by the function's code, but neither the Lambda runtime nor {packaged} has it: "
            "the function fails when Lambda loads it",
            location,
            "use the standard library and boto3 (the RDS Data API instead of a database driver), or bundle the "
            "module in the package (pip install -t, a layer, or a container image)",
        )
    if listed:
        why = "a requirements file lists it, but no build step in the project installs it into the package"
    elif package.requirements is not None:
        why = "the package's requirements file does not list it"
    else:
        why = "it may come from a layer, a build step, or a folder the code adds to sys.path, or the code may not run"
    return Finding(
        "lambda-imports",
        WARNING,
        f"{top} is imported by the function's code and {packaged} does not hold it ({why})",
        location,
        "make sure the deployed package or a layer brings it (pip install -r requirements.txt -t <folder>)",
    )


@dataclass
class FunctionCall:
    """A LambdaFunction or LambdaLayerVersion call of the app that names its package
    (`filename=`), and where that package is: the file, folder or zip it evaluates to."""

    path: Path  # the app's file
    node: ast.Call
    evaluator: PathEvaluator
    target: Path | None  # None when the path is not known without running the app
    source: ast.Call | None  # the TerraformAsset or DataArchiveFile the filename comes from
    layer: bool

    @property
    def via(self) -> str:
        """How the package is named: "filename", "TerraformAsset" or "DataArchiveFile"."""
        return called_name(self.source.func) if self.source is not None else "filename"

    def argument(self, name: str, call: ast.Call | None = None) -> ast.expr | None:
        return next((item.value for item in (call or self.node).keywords if item.arg == name), None)

    def text(self, name: str) -> str | None:
        """A keyword argument's value when it is a string the sources show."""
        value = self.argument(name)
        return self.evaluator.text(value) if value is not None else None


def function_calls(code: "Code") -> Iterator[FunctionCall]:
    """The app's functions and layers with a `filename`: a zip or file named directly (read
    by Terraform in the stack's folder), or the asset or archive whose path it takes
    (`filename=asset.path`)."""
    for path in code.app_files():
        module = code.sources[path].tree
        if module is None:
            continue
        evaluator = PathEvaluator(code.root, path, module)
        assets = {  # `code = TerraformAsset(...)`: "code" -> the call
            ast.unparse(node.targets[0]): node.value
            for node in ast.walk(module)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.value, ast.Call)
            and called_name(node.value.func) in SOURCE_ARGUMENTS
        }
        for node in ast.walk(module):
            if not (isinstance(node, ast.Call) and called_name(node.func) in FUNCTION_CLASSES):
                continue
            for keyword in node.keywords:
                if keyword.arg != "filename":
                    continue
                value, source = keyword.value, None
                if isinstance(value, ast.Attribute) and ast.unparse(value.value) in assets:
                    source = assets[ast.unparse(value.value)]
                    given = [
                        item.value for item in source.keywords if item.arg in SOURCE_ARGUMENTS[called_name(source.func)]
                    ]
                    target = evaluator.evaluate(given[0]) if given else None
                else:  # a zip or file named directly, read by Terraform in the stack's folder
                    target = evaluator.evaluate(value, code.root / "cdktf.out" / "stacks" / "stack")
                layer = called_name(node.func) == "LambdaLayerVersion"
                yield FunctionCall(path, node, evaluator, target, source, layer)


def function_packages(code: "Code") -> dict[Path, Package]:
    """The packages the app's functions deploy, by their folder, zip or file."""
    packages: dict[Path, Package] = {}
    for call in function_calls(code):
        target = call.target
        if target is None or is_file(target / "cdktf.json"):
            continue
        package = packages.get(target) or read_package(target, code.where(call.path, call.node), code.root, call.layer)
        if package is None:
            continue
        packages[target] = package
        handler = call.text("handler")
        if not call.layer and package.handlers is not None:  # "index.handler": module index
            package.handlers = package.handlers | {handler.rpartition(".")[0]} if handler else None
    return packages


def read_package(target: Path, origin: str, project: Path, layer: bool) -> Package | None:
    """The package at `target`: a folder, a zip, or a single Python file; None when there is
    none. A layer's modules are in its python/ folder."""
    if is_dir(target):
        package = Package(origin, target, f"{_shown(target, project)}/", layer=layer)
        top = target / "python" if layer and is_dir(target / "python") else target
        for child in top.iterdir():
            package.names.add(child.name.split(".")[0])
        # With installed packages beside it (pip install -t), the function's own code is
        # what lies at the top; the packages' code is theirs.
        vendored = any(name.endswith((".dist-info", ".egg-info")) for name in os.listdir(top))
        for file in sorted(top.glob("*.py") if vendored else target.rglob("*.py")):
            source = read_source(file)
            if source.tree is not None and "__pycache__" not in file.parts:
                package.files[file.relative_to(target).as_posix()] = source.tree
        package.requirements = requirements_of(target, project)
        return package
    if target.suffix == ".zip" and is_file(target):
        return read_archive(target, origin, project, layer)
    if target.suffix == ".py" and is_file(target):
        source = read_source(target)
        package = Package(origin, target, f"{_shown(target.parent, project)}/", {target.stem})
        if source.tree is not None:
            package.files[target.name] = source.tree
        package.requirements = requirements_of(target.parent, project)
        return package
    return None


def read_archive(target: Path, origin: str, project: Path, layer: bool) -> Package | None:
    try:
        if target.stat().st_size > LARGEST_ARCHIVE_BYTES:
            return None
        with zipfile.ZipFile(target) as archive:
            package = Package(origin, target, f"{_shown(target, project)}!", layer=layer)
            entries = archive.infolist()
            package.entries = {info.filename.rstrip("/") for info in entries}
            vendored = any(".dist-info/" in info.filename or ".egg-info/" in info.filename for info in entries)
            for info in entries:
                inside = info.filename.removeprefix("python/") if layer else info.filename
                package.names.add(inside.split("/")[0].split(".")[0])
                own = not vendored or "/" not in info.filename  # see read_package
                if own and info.filename.endswith(".py") and info.file_size < 2_000_000:
                    try:
                        package.files[info.filename] = ast.parse(archive.read(info))
                    except (SyntaxError, ValueError, RecursionError, MemoryError):
                        continue
                if info.filename == "requirements.txt":
                    package.requirements = _requirement_names(archive.read(info).decode(errors="replace"))
            return package
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, io.UnsupportedOperation):
        return None


def requirements_of(folder: Path, project: Path) -> set[str] | None:
    """The import names that the requirement files of a function's folder list (or of its
    parents up to the project folder); None when there is no such file."""
    found = None
    for candidate in [folder, *folder.parents]:
        for name in REQUIREMENT_FILES:
            file = candidate / name
            if file.is_file() and candidate != project:
                try:
                    text = file.read_text(errors="replace")
                except OSError:
                    continue
                found = (found or set()) | _requirement_names(text)
        if candidate == project or project not in candidate.parents:
            break
    return found


def _requirement_names(text: str) -> set[str]:
    """Import names for the distributions a requirements text names (also pyproject's and
    setup.py's quoted requirements, roughly)."""
    names = set()
    for match in re.finditer(r"(?m)^[\s\"']*([A-Za-z0-9][A-Za-z0-9._-]*)", text):
        distribution = re.sub(r"[-_.]+", "-", match[1]).lower()
        names |= {IMPORT_NAMES.get(distribution, distribution.replace("-", "_")), match[1].replace("-", "_")}
    return names


def uses_layers(code: "Code") -> bool:
    """Whether the app gives any function a layer (or creates one)."""
    for path in code.app_files():
        module = code.sources[path].tree
        for node in ast.walk(module) if module else []:
            if isinstance(node, ast.keyword) and node.arg == "layers":
                return True
            if isinstance(node, ast.Call) and called_name(node.func) == "LambdaLayerVersion":
                return True
    return False


def has_install_step(project: Path) -> bool:
    """Whether a script, build file or the app's code of the project installs packages."""
    for folder, subfolders, files in os.walk(project):
        subfolders[:] = [name for name in subfolders if name not in NOT_SOURCES]
        for name in files:
            file = Path(folder) / name
            if not any(fnmatch(name, pattern) for pattern in BUILD_FILES):
                continue
            try:
                text = file.read_text(errors="replace") if file.stat().st_size < 1_000_000 else ""
            except OSError:
                continue
            for match in PIP_INSTALL.finditer(text):
                if TARGET_OPTION.search(text, match.end(), match.end() + INSTALL_STEP_CHARACTERS):
                    return True
    return False


def _shown(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return str(path)


def _relative(path: Path) -> str:
    return path.name + ("/" if path.is_dir() else "")
