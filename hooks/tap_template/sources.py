"""The doctor's rules on a project's sources: read, never run.

A rule that says the synth fails looks at the modules the app imports (tap_template.modules),
not at tests or scripts that the synth never runs.
"""

import ast
import builtins
import functools
import os
import re
import shlex
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tap_template.bindings import PREBUILT_BINDINGS
from tap_template.definitions import Definitions, Key
from tap_template.findings import ERROR, WARNING, Finding, finding
from tap_template.functions import check_function_imports
from tap_template.lambdas import check_lambdas
from tap_template.literals import check_literals
from tap_template.modules import (
    NAME,
    NAMESPACE,
    NOWHERE,
    OFF_PATH,
    SUBMODULE,
    App,
    AppCommand,
    Source,
    absolute_imports,
    called_name,
    is_file,
    parse_app,
    python_version_newer_than_this,
    read_source,
    source_files,
)
from tap_template.project import Project, read_toml, requirement_name
from tap_template.provider_calls import check_provider_calls

# Libraries whose names a tap project's own packages may repeat (lib/constructs/).
FRAMEWORK_MODULES = {"constructs", "cdktf", "cdktn", "cdktf_cdktf_provider_aws", "cdktn_provider_aws"}
# Each framework's import names, by its PyPI package: CDKTF and CDK Terrain, its fork.
# One app runs on one of them; a construct of the other fails to import or to nest.
FRAMEWORK_IMPORTS = {"cdktf": ["cdktf", "cdktf_cdktf_provider_aws"], "cdktn": ["cdktn", "cdktn_provider_aws"]}
NESTED_BLOCK_CLASSES = {"SecurityGroupIngress", "SecurityGroupEgress"}
SHADOWED_BUILTINS = {name for name in dir(builtins) if not name.startswith("_")}
STACK_BASE, CONSTRUCT_BASES = "TerraformStack", {"Construct", "TerraformStack"}
# The rules whose errors claim the app fails: sure only where the app's script is known.
APP_RULES = {
    "stack-call",
    "stack-provider",
    "construct-scope",
    "security-group-rule",
    "lambda-imports",
    "provider-import",
    "provider-arguments",
    "lambda-package",
    "lambda-handler",
    "lambda-environment",
    "hard-coded-ids",
    "secret-literal",
}
UNKNOWN_APP = "cdktf.json's app names no Python script tap-doctor can find"
# The app scripts cdktf's templates use, for a cdktf.json that names none.
USUAL_SCRIPTS = ("tap.py", "main.py")


@dataclass
class Code:
    """A project's sources as the rules read them."""

    project: Project
    sources: dict[Path, Source]
    config: dict | None  # cdktf.json, when it is a JSON object
    app: App  # without modules when cdktf.json names no Python script that exists

    @property
    def root(self) -> Path:
        """The project's folder."""
        return self.project.path

    @property
    def trees(self) -> dict[Path, ast.Module]:
        return {path: source.tree for path, source in self.sources.items() if source.tree is not None}

    def app_files(self) -> list[Path]:
        """The files the synth runs: the app's imports, or every file but tests when the
        app is unknown."""
        if self.app.modules:
            return [path for path in self.app.reached() if path in self.sources]
        return [path for path in self.sources if not is_test(self.root, path)]

    @functools.cached_property
    def definitions(self) -> Definitions:
        return Definitions(self.app, self.sources, self.app_files())

    def where(self, path: Path, node: ast.AST) -> str:
        return where(self.root, path, node)


def read_code(project: Project) -> Code:
    root = project.path
    sources = {path: read_source(path) for path in source_files(root)}
    config = project.cdktf_json
    app = config.get("app") if isinstance(config, dict) else None
    # pipenv run loads the project's .env first (PYTHONPATH there too).
    dotenv = read_dotenv(root / ".env") if isinstance(app, str) and "pipenv" in app.split() else {}
    command = parse_app(app, dotenv) if isinstance(app, str) else None
    if command is None:  # no cdktf.json, or an app that names no script: the usual script
        usual = next((name for name in USUAL_SCRIPTS if is_file(root / name)), None)
        command = parse_app(f"python {usual}") if usual else None
    runs = command is not None and (command.module or (command.script and is_file(root / command.script)))
    # An installable project is installed in its environment (uv sync, pip install -e):
    # its packages are found from anywhere, so a module off the path may still be found.
    installable = is_file(root / "setup.py") or is_file(root / "setup.cfg") or "build-system" in project.pyproject
    command = command if runs else AppCommand(None, None, [])
    return Code(project, sources, config, App(root, sources, command, complete=not installable))


def read_dotenv(path: Path) -> dict[str, str]:
    """The variables a .env file sets (NAME=value lines)."""
    try:
        lines = path.read_text(errors="replace").splitlines() if is_file(path) else []
    except OSError:
        return {}
    pairs = (line.removeprefix("export ").partition("=") for line in lines if not line.lstrip().startswith("#"))
    return {name.strip(): value.strip().strip("\"'") for name, equals, value in pairs if equals and name.strip()}


def is_test(project: Path, path: Path) -> bool:
    parts = path.relative_to(project).parts
    return any(part in {"tests", "test"} for part in parts[:-1]) or parts[-1].startswith(("test_", "conftest"))


def where(project: Path, path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(project)}:{getattr(node, 'lineno', 1)}"


def check_sources(project: Project, synth_follows: bool = False) -> list[Finding]:
    """Every source rule's findings for the project; `synth_follows`: a synth checks the
    bindings next, so bindings not installed yet are no finding."""
    code = read_code(project)
    findings = check_cdktf_json(code)
    findings += check_syntax(code)
    findings += check_prebuilt_provider(code)
    findings += check_calls(code)
    findings += check_imports(code)
    findings += check_stack_providers(code)
    findings += check_construct_scope(code)
    findings += check_security_group_rules(code)
    findings += check_function_imports(code)
    # A nested-block class called like a resource has the specific finding only.
    called_like_resources = {found.location for found in findings if found.rule == "security-group-rule"}
    provider_calls = check_provider_calls(code, synth_follows)
    findings += [found for found in provider_calls if found.location not in called_like_resources]
    findings += check_lambdas(code)
    findings += check_literals(code)
    framework = installed_framework(project)
    app_files = set(code.app_files())
    for path, module in code.trees.items():
        if framework:
            findings += check_framework_imports(project, path, module, framework)
        if not is_test(code.root, path):
            findings += check_builtin_shadowing(code.root, path, module)
        if path in app_files:
            findings += check_environment_tag(code.root, path, module)
    if not code.app.modules:  # every file but tests was read as the app's: not a sure claim
        for found in findings:
            if found.rule in APP_RULES and found.severity == ERROR:
                found.severity = WARNING
                found.message += f" (if the app runs this file: {UNKNOWN_APP})"
    return findings


def check_cdktf_json(code: Code) -> list[Finding]:
    project = code.root
    path = project / "cdktf.json"
    manager = code.project.package_manager
    app = '"app": "{} tap.py"'.format(" ".join(manager.python))
    if not path.is_file():
        return [
            finding(
                "cdktf-json",
                "cdktf.json is missing, so `cdktf synth` says this is not a cdktf project",
                "cdktf.json",
                f'add cdktf.json with "language": "python" and {app}',
            )
        ]
    config = code.config
    if config is None:
        return [finding("cdktf-json", "cdktf.json is not a valid JSON object", "cdktf.json", "fix its syntax")]
    findings = []
    if config.get("language") != "python":
        findings.append(
            finding("cdktf-json", f'"language" is {config.get("language")!r}', "cdktf.json", 'set "language": "python"')
        )
    command = config.get("app")
    if not isinstance(command, str) or not command.strip():
        findings.append(
            finding(
                "cdktf-json",
                '"app" is missing: it is the command that `cdktf synth` runs',
                "cdktf.json",
                f"set {app}",
            )
        )
    elif not _shell_words(command):
        findings.append(
            finding(
                "cdktf-json",
                f'"app" is {command!r}, which a shell cannot parse (an unclosed quote?), so `cdktf synth` fails',
                "cdktf.json",
                f"set {app}",
            )
        )
    elif (parsed := parse_app(command)) and parsed.script and not is_file(project / parsed.script):
        findings.append(
            finding(
                "cdktf-json",
                f'"app" runs {parsed.script}, which is not in the project, so `cdktf synth` fails',
                "cdktf.json",
                f"point it at the app's script (e.g. {app})",
            )
        )
    providers = config.get("terraformProviders", [])
    if providers is not None and not isinstance(providers, list):
        findings.append(
            finding(
                "cdktf-json",
                f'"terraformProviders" is {type(providers).__name__} {providers!r}, not a list',
                "cdktf.json",
                'make it a list of providers ("aws@~> 6.0"), or [] when the project installs prebuilt bindings',
            )
        )
    return findings


def _shell_words(command: str) -> list[str]:
    try:
        return shlex.split(command)
    except ValueError:
        return []


def listed_providers(config: dict | None) -> dict[str, object]:
    """The providers cdktf.json's terraformProviders lists, by name: {"aws": "aws@~> 6.0"}."""
    return {name: entry for entry, name in _dependencies(config, "terraformProviders")}


def generated_names(config: dict | None) -> set[str]:
    """The names under which `cdktf get` may generate the bindings of the providers and
    modules cdktf.json lists (imports.<name>): every part of their names and sources."""
    names = set()
    for entry, name in _dependencies(config, "terraformProviders") + _dependencies(config, "terraformModules"):
        text = " ".join(str(value) for value in entry.values()) if isinstance(entry, dict) else str(entry)
        names |= {_module_name(part) for part in re.split(r"[/@\s]+", f"{name} {text}") if part}
    return names


def _dependencies(config: dict | None, key: str) -> list[tuple[object, str]]:
    """cdktf.json's entries under `key`, each with its name (`aws` for "hashicorp/aws@~> 6.0")."""
    entries = (config or {}).get(key)
    listed = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            name = str(entry.get("name") or str(entry.get("source", "")).split("/")[-1])
        else:
            parts = str(entry).split("@")[0].split("/")
            # A registry module is namespace/name/provider ("terraform-aws-modules/vpc/aws"): vpc.
            name = parts[-2] if key == "terraformModules" and len(parts) == 3 else parts[-1]
        listed.append((entry, _module_name(name)))
    return listed


def _module_name(name: str) -> str:
    return re.sub(r"[-.]", "_", name.strip()).lower()


def imported_bindings(code: Code) -> tuple[dict[str, tuple[Path, ast.AST]], dict[str, tuple[Path, ast.AST]]]:
    """The providers whose bindings the app imports: prebuilt (cdktf_cdktf_provider_aws) and
    generated by `cdktf get` (imports.aws), each with its first import."""
    prebuilt: dict[str, tuple[Path, ast.AST]] = {}
    generated: dict[str, tuple[Path, ast.AST]] = {}
    for path in code.app_files():
        module = code.sources[path].tree
        for node in ast.walk(module) if module else []:
            for name in absolute_imports(node):
                top, _, rest = name.partition(".")
                if top.startswith(PREBUILT_BINDINGS):
                    prebuilt.setdefault(top.split("_provider_")[-1], (path, node))
                elif top == "imports" and rest:
                    generated.setdefault(rest.split(".")[0], (path, node))
    return prebuilt, generated


def check_prebuilt_provider(code: Code) -> list[Finding]:
    """terraformProviders and the bindings the app imports agree.

    A provider listed there makes `cdktf synth` stop until `cdktf get` has generated its
    bindings: needless (minutes, gigabytes, the network) when the app imports the prebuilt
    ones, and required when it imports the generated ones (`imports.aws`).
    """
    listed = listed_providers(code.config)
    prebuilt, generated = imported_bindings(code)
    manifest = code.project.package_manager.manifest
    findings = []
    for name, entry in listed.items():
        if name in prebuilt and name not in generated:
            findings.append(
                finding(
                    "prebuilt-provider",
                    f"terraformProviders lists {entry!r}, but the app imports the prebuilt bindings "
                    f"({PREBUILT_BINDINGS[0]}{name}): `cdktf synth` stops until `cdktf get` has generated "
                    "bindings the app does not use (minutes and gigabytes, and no synth offline)",
                    "cdktf.json",
                    f"remove it from terraformProviders; the bindings' version in {manifest} sets the provider version",
                )
            )
    codegen = Path(str((code.config or {}).get("codeMakerOutput", ".gen")))
    # `cdktf get` writes imports.<name> into codeMakerOutput: the app imports it when that
    # folder is named imports and its parent is on the app's path.
    importable = codegen.name == "imports" and os.path.normpath(code.root / codegen.parent) in map(str, code.app.path)
    known = generated_names(code.config)
    for name, (path, node) in generated.items():
        present = code.app.find(f"imports.{name}") is not None
        if name not in known and not present:
            findings.append(
                Finding(
                    "prebuilt-provider",
                    ERROR,
                    f"imports.{name} is generated by `cdktf get`, but neither terraformProviders nor "
                    "terraformModules lists it, and the project has no imports/ folder: the import fails",
                    code.where(path, node),
                    f'list it in cdktf.json ("terraformProviders": ["{name}@~> <version>"]), or import the '
                    f"prebuilt bindings ({PREBUILT_BINDINGS[0]}{name})",
                )
            )
        elif not present and not importable:
            findings.append(
                Finding(
                    "prebuilt-provider",
                    ERROR,
                    f"imports.{name} comes from `cdktf get`, which writes to {codegen.as_posix()}/ "
                    "(cdktf.json's codeMakerOutput), where the app does not import it from: the import fails",
                    code.where(path, node),
                    'set "codeMakerOutput": "imports" (a folder beside the app\'s script) in cdktf.json',
                )
            )
    return findings


def check_syntax(code: Code) -> list[Finding]:
    """Files Python cannot compile: an error where the synth surely loads them (the app's
    modules that no guarded import alone reaches)."""
    app_files = code.app.required() if code.app.modules else set()
    newer = python_version_newer_than_this(code.root)
    findings = []
    for path, source in code.sources.items():
        relative = path.relative_to(code.root)
        if source.skipped:
            findings.append(
                Finding(
                    "python-syntax",
                    WARNING,
                    f"{relative} was not read ({source.skipped}), so no rule checked it",
                    str(relative),
                    "keep generated code and data out of the project's Python files, or check this one by hand",
                )
            )
        if source.problem is None:
            continue
        if source.newer_python or (newer and "compile" in source.problem):
            running = ".".join(map(str, sys.version_info[:2]))
            findings.append(
                Finding(
                    "python-syntax",
                    WARNING,
                    f"{relative}: {source.problem}. tap-doctor runs on Python {running}, and a newer Python "
                    f"({newer or '3.12'}) may read this syntax",
                    f"{relative}:{_line(source.problem)}",
                    f"run tap-doctor with the project's Python ({newer or '3.12 or newer'}) to know",
                )
            )
        elif path in app_files:
            findings.append(
                finding(
                    "python-syntax",
                    f"{relative}: {source.problem}, and the app imports it, so the synth fails",
                    f"{relative}:{_line(source.problem)}",
                    "fix the file (python -m py_compile shows the error)",
                )
            )
        else:
            findings.append(
                Finding(
                    "python-syntax",
                    WARNING,
                    f"{relative}: {source.problem}; whatever imports it fails",
                    f"{relative}:{_line(source.problem)}",
                    "fix the file (python -m py_compile shows the error), or delete it",
                )
            )
    return findings


def _line(problem: str) -> int:
    marker = problem.rpartition("(line ")[2].rstrip(")")
    return int(marker) if marker.isdigit() else 1


@dataclass
class Signature:
    """The parameters of a class's __init__, without self."""

    owner: str
    positional: list[str]
    required: set[str]
    keywords: set[str]
    varargs: bool
    varkeywords: bool

    @classmethod
    def of(cls, owner: str, init: ast.FunctionDef) -> "Signature":
        arguments = init.args
        positional = [arg.arg for arg in arguments.posonlyargs + arguments.args][1:]
        with_defaults = positional[len(positional) - len(arguments.defaults) :] if arguments.defaults else []
        keyword_defaults = zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
        return cls(
            owner,
            positional,
            {name for name in positional if name not in with_defaults}
            | {arg.arg for arg, default in keyword_defaults if default is None},
            {arg.arg for arg in arguments.args[1:] + arguments.kwonlyargs},
            arguments.vararg is not None,
            arguments.kwarg is not None,
        )

    def problems(self, call: ast.Call) -> list[str]:
        """What Python's binding of the call's arguments raises TypeError for."""
        starred = any(isinstance(argument, ast.Starred) for argument in call.args)
        unpacked = any(keyword.arg is None for keyword in call.keywords)
        passed = [keyword.arg for keyword in call.keywords if keyword.arg is not None]
        bound = set(self.positional[: len(call.args)]) | set(passed)
        problems = []
        if not self.varargs and not starred and len(call.args) > len(self.positional):
            problems.append(f"passes {len(call.args)} positional arguments, {self.owner} takes {len(self.positional)}")
        if not self.varkeywords and (unknown := sorted(set(passed) - self.keywords)):
            problems.append(f"passes {', '.join(unknown)}, which {self.owner}.__init__ does not take")
        if not starred and not unpacked and (absent := [name for name in sorted(self.required) if name not in bound]):
            problems.append(f"does not pass {', '.join(absent)}, which {self.owner}.__init__ requires")
        return problems


def signature(definitions: Definitions, key: Key) -> Signature | None:
    """The __init__ a call of the class binds to, when the project defines it and nothing
    (a decorator, __new__, a library class earlier in the method order) may change it."""
    for current in definitions.method_order(key):
        node = definitions.classes.get(current) if current is not None else None
        if node is None:
            return None  # a library class: its __init__ is not read here
        if any(_is_method(item, "__new__") for item in node.body):
            return None
        init = next((item for item in node.body if _is_method(item, "__init__")), None)
        if init is not None:
            return None if init.decorator_list else Signature.of(key[1], init)
    return None


def _is_method(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.FunctionDef) and node.name == name


def check_calls(code: Code) -> list[Finding]:
    """Constructs of the project created with arguments their __init__ does not take (a
    TypeError at synth), and stacks named by a literal."""
    definitions = code.definitions
    findings = []
    for path, module in definitions.trees.items():
        for node in ast.walk(module):
            if not isinstance(node, ast.Call):
                continue
            key = definitions.callee(path, node.func)
            if key not in definitions.classes or not definitions.derives_from(key, CONSTRUCT_BASES):
                continue
            called = signature(definitions, key)
            if called is None:
                continue
            hint = f"make the call and the parameters of {key[1]}.__init__ in {key[0].relative_to(code.root)} agree"
            findings += [
                finding("stack-call", f"the {key[1]} call {problem}", code.where(path, node), hint)
                for problem in called.problems(node)
            ]
            if path == code.app.entry and definitions.derives_from(key, {STACK_BASE}):
                findings += check_stack_name(code, path, module, node, called)
    return findings


def check_stack_name(code: Code, path: Path, module: ast.Module, call: ast.Call, signature: Signature) -> list[Finding]:
    """The stack's name (its second parameter) is a literal: the same stack in every environment."""
    parameter = signature.positional[1] if len(signature.positional) > 1 else None
    given = call.args[1] if len(call.args) > 1 else None
    given = given or next((keyword.value for keyword in call.keywords if keyword.arg == parameter), None)
    if given is None:
        return []
    literal = given
    if isinstance(given, ast.Name):  # stack_name = "tap" ... TapStack(app, stack_name)
        assigned = [
            node.value
            for node in ast.walk(module)
            if isinstance(node, ast.Assign) and any(called_name(target) == given.id for target in node.targets)
        ]
        literal = assigned[0] if len(assigned) == 1 else None
    if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
        return []
    return [
        finding(
            "stack-name",
            f"the stack is named {literal.value!r}, the same in every environment: their states and "
            "outputs share one name",
            code.where(path, call),
            'name it from the suffix read at run time, e.g. f"TapStack{environment_suffix}"',
        )
    ]


def check_imports(code: Code) -> list[Finding]:
    """Imports of the app that fail when `cdktf synth` runs it (ModuleNotFoundError, ImportError).
    A name the project's dependencies, the standard library or the framework provide is found
    in site-packages (or takes the place of a namespace package of the project): no claim."""
    installed = installed_modules(code.project)
    return [
        finding(
            "import-path",
            f"{ast.unparse(failed.node)}: {failed.reason}, so the import fails when the synth runs the app",
            code.where(failed.source, failed.node),
            IMPORT_HINTS[failed.kind],
        )
        for failed in code.app.unresolved
        if not may_be_installed(failed.module.split(".")[0], installed)
    ]


IMPORT_HINTS = {
    OFF_PATH: "import it by its path from the app's folder (from lib.<package> import ...), or put its folder "
    "on the path in cdktf.json's app (PYTHONPATH=...)",
    SUBMODULE: "import a module the project has, by its path from the app's folder, or add the missing one",
    NAMESPACE: "import a module the project has, by its path from the app's folder, or add the missing one",
    NOWHERE: "import the module by its path from the app's folder (from <folder>.<module> import ...), or move "
    "it where the import looks",
    NAME: "import a name the module defines, or define it there",
}
# Modules the framework's and boto3's packages install besides their own: found in
# site-packages although the project's manifest does not name them.
INSTALLED_WITH_THE_FRAMEWORK = {
    "jsii", "publication", "typeguard", "attr", "attrs", "cattr", "cattrs", "dateutil", "six",
    "typing_extensions", "importlib_resources", "exceptiongroup", "botocore", "s3transfer", "jmespath",
    "urllib3", "setuptools", "pkg_resources", "_distutils_hack", "pip", "wheel",
}  # fmt: skip
# Packages whose import name is not their own (beside python-x and pyx, read as x).
DISTRIBUTION_MODULES = {
    "beautifulsoup4": "bs4", "pillow": "PIL", "scikit_learn": "sklearn", "protobuf": "google", "pyjwt": "jwt",
    "psycopg2_binary": "psycopg2", "opencv_python": "cv2", "attrs": "attr", "msgpack_python": "msgpack",
}  # fmt: skip


def installed_modules(project: Project) -> set[str]:
    """The import names of what the project's environment may hold: its packages (dev ones
    and requirements files too), the standard library and the framework's."""
    packages = set(project.main_packages)
    pipfile = read_toml(project.path / "Pipfile")
    pyproject = project.pyproject
    groups = [
        *(pipfile.get(section) or {} for section in ("packages", "dev-packages")),
        *(pyproject.get("dependency-groups") or {}).values(),
        *((pyproject.get("project") or {}).get("optional-dependencies") or {}).values(),
        ((pyproject.get("tool") or {}).get("uv") or {}).get("dev-dependencies") or [],
    ]
    for group in groups:
        items = group if isinstance(group, list | dict) else []
        packages |= {requirement_name(item) for item in items if isinstance(item, str)}
    for requirements in sorted(project.path.glob("requirements*.txt")):
        try:
            lines = requirements.read_text(errors="replace").splitlines()
        except OSError:
            continue
        packages |= {
            requirement_name(line) for line in lines if line.strip() and not line.lstrip().startswith(("#", "-"))
        }
    names = {package.replace("-", "_") for package in packages if package}
    # A package's import name may differ from its own: python-dotenv is dotenv, pyyaml yaml.
    names |= {DISTRIBUTION_MODULES.get(name, name.removeprefix("python_").removeprefix("py")) for name in names}
    # What the project's own environment holds, when it is in the project folder.
    for site in project.path.glob(".venv/lib/python*/site-packages"):
        try:
            names |= {entry.name.removesuffix(".py") for entry in site.iterdir()}
        except OSError:
            continue
    return names | FRAMEWORK_MODULES | INSTALLED_WITH_THE_FRAMEWORK | set(sys.stdlib_module_names)


def may_be_installed(name: str, installed: set[str]) -> bool:
    """Whether an installed package may be the top-level module `name` (or a portion of a
    namespace package of that name: google for google_cloud_storage). `imports` is what
    `cdktf get` generates (the prebuilt-provider rule checks it)."""
    return bool(name) and (
        name in installed
        or name == "imports"
        or name.lower().startswith(PREBUILT_BINDINGS)
        or any(package.startswith(f"{name.lower()}_") for package in installed)
    )


def installed_framework(project: Project) -> str | None:
    """The framework the project's dependencies name (cdktf or cdktn); None for neither or both."""
    installed = [framework for framework in FRAMEWORK_IMPORTS if framework in project.main_packages]
    return installed[0] if len(installed) == 1 else None


def check_framework_imports(project: Project, path: Path, module: ast.Module, framework: str) -> list[Finding]:
    """Imports of the other framework than the one the project installs (after a migration, say)."""
    (other,) = set(FRAMEWORK_IMPORTS) - {framework}
    findings = []
    for node in ast.walk(module):
        tops = {name.split(".")[0] for name in absolute_imports(node)}
        for top in sorted(tops & set(FRAMEWORK_IMPORTS[other])):
            counterpart = next(
                name for name in FRAMEWORK_IMPORTS[framework] if name.endswith("_aws") == top.endswith("_aws")
            )
            findings.append(
                finding(
                    "framework-imports",
                    f"imports {top}, but the project runs on {framework}: "
                    f"{project.package_manager.manifest} installs it, not {other}",
                    where(project.path, path, node),
                    f"import from {counterpart} instead (the same classes and arguments)",
                )
            )
    return findings


def check_builtin_shadowing(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    findings = []
    for node in ast.walk(module):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs:
                if arg.arg in SHADOWED_BUILTINS:
                    findings.append(
                        finding(
                            "builtin-shadowing",
                            f"parameter `{arg.arg}` shadows the builtin {arg.arg}()",
                            where(project, path, arg),
                            "rename it (construct_id or stack_id for ids)",
                        )
                    )
    return findings


class Creations:
    """What the app's code creates, following the classes and functions of the project it
    calls: providers, and resources or data sources of provider bindings."""

    def __init__(self, code: Code, definitions: Definitions) -> None:
        self.definitions = definitions
        self.bindings: set[str] = set()  # names imported from provider bindings, providers aside
        self.providers: set[str] = set()
        # Under imports/, `cdktf get` also writes the bindings of Terraform modules, which
        # create no provider resources: only a listed provider's count.
        providers = set(listed_providers(code.config))
        for module in definitions.trees.values():
            for node in ast.walk(module):
                if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    top, _, rest = node.module.partition(".")
                    if top.startswith(PREBUILT_BINDINGS) or (top == "imports" and rest.split(".")[0] in providers):
                        target = self.providers if node.module.endswith(".provider") else self.bindings
                        target |= {alias.asname or alias.name for alias in node.names}

    def is_provider(self, name: str) -> bool:
        return name in self.providers or name.endswith("Provider")

    def creates(self, key: Key, seen: set[Key]) -> tuple[bool, bool]:
        """(creates a provider, creates a resource): the class (with its project ancestors)
        or function `key`, through the project's classes and functions it calls."""
        seen.add(key)
        bodies = [node for _, node in self.definitions.bases(key)] or [self.definitions.functions[key]]
        provider = resource = False
        for node in (node for body in bodies for node in ast.walk(body)):
            if not isinstance(node, ast.Call):
                continue
            callee = self.definitions.callee(key[0], node.func)
            if callee is None and isinstance(node.func, ast.Attribute):  # Providers.aws(self): a method's class
                callee = self.definitions.callee(key[0], node.func.value)
            name = called_name(node.func)
            if callee is not None:
                if callee not in seen:
                    more_provider, more_resource = self.creates(callee, seen)
                    provider, resource = provider or more_provider, resource or more_resource
            elif self.is_provider(name):
                provider = True
            elif name in self.bindings and _has_scope_and_id(node):
                resource = True
        return provider, resource


def _has_scope_and_id(call: ast.Call) -> bool:
    """A construct's call, (scope, id, ...), not a struct's (keywords only)."""
    keywords = {keyword.arg for keyword in call.keywords}
    return len(call.args) >= 2 or (len(call.args) == 1 and bool(keywords & {"id", "id_"})) or "scope" in keywords


def check_stack_providers(code: Code) -> list[Finding]:
    """A TerraformStack of the app that creates resources of provider bindings and, through
    everything it creates, no provider: cdktf's validation stops the synth."""
    definitions = code.definitions
    creations = Creations(code, definitions)
    outside = [
        node
        for module in definitions.trees.values()
        for node in _outside_classes(module)
        if isinstance(node, ast.Call) and creations.is_provider(called_name(node.func))
    ]
    skips_validation = any(
        isinstance(node, ast.keyword) and node.arg == "skip_validation"
        for module in definitions.trees.values()
        for node in ast.walk(module)
    )
    if outside or skips_validation:
        return []  # a provider created outside the classes may be the stack's
    created = {
        definitions.callee(path, node.func)
        for path, module in definitions.trees.items()
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
    }
    findings = []
    for key, stack in definitions.classes.items():
        if key not in created or not definitions.derives_from(key, {STACK_BASE}):
            continue  # a stack the app never creates is never synthesized
        provider, resource = creations.creates(key, set())
        if resource and not provider:
            findings.append(
                finding(
                    "stack-provider",
                    f"TerraformStack {key[1]} creates resources but no provider, in itself or in the constructs "
                    "it creates; synth fails with 'Found resources without a matching provider construct'",
                    code.where(key[0], stack),
                    f"make it a constructs.Construct inside the main stack, or create a provider in {key[1]}",
                )
            )
    return findings


def _walk_binding(function: ast.FunctionDef, name: str) -> Iterator[ast.AST]:
    """The nodes of a function where `name` is its own parameter: not inside a nested
    function or lambda that takes a parameter of the same name."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            if name in {arg.arg for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}:
                continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


def _outside_classes(module: ast.Module | None) -> Iterator[ast.AST]:
    """The nodes of a module that are not inside a class."""
    stack = list(module.body) if module else []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.ClassDef):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def check_construct_scope(code: Code) -> list[Finding]:
    """Children created with the constructor's scope land beside the construct, not in it.
    In a stack, whose scope is the app, that is outside any stack: the synth fails (a new
    TerraformStack there is a sibling stack, which is how CDKTF apps make several). In a
    construct, the child lands in the construct's parent: it works, but two such
    constructs collide on the child's id."""
    definitions = code.definitions
    findings = []
    for key, construct in definitions.classes.items():
        in_stack = definitions.derives_from(key, {STACK_BASE})
        if not (in_stack or definitions.derives_from(key, CONSTRUCT_BASES)):
            continue
        init = next((item for item in construct.body if _is_method(item, "__init__")), None)
        if init is None or len(init.args.args) < 2:
            continue
        scope = init.args.args[1].arg
        for node in _walk_binding(init, scope):
            if not (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == scope
                and not (isinstance(node.func, ast.Attribute) and node.func.attr == "__init__")
            ):
                continue
            created = definitions.callee(key[0], node.func)
            if not called_name(node.func)[:1].isupper():
                continue  # a function given the scope (Aspects.of, a helper), not a construct
            if created is not None and definitions.derives_from(created, {STACK_BASE}):
                continue
            name, outer = called_name(node.func), "the app, outside any stack" if in_stack else "its parent"
            findings.append(
                Finding(
                    "construct-scope",
                    ERROR if in_stack else WARNING,
                    f"{name} is created with `{scope}`, the scope of {key[1]}, so it lands in {outer}"
                    + (": the synth fails for the resources in it" if in_stack else ""),
                    code.where(key[0], node),
                    "create child constructs with self as their scope",
                )
            )
    return findings


def check_security_group_rules(code: Code) -> list[Finding]:
    """SecurityGroupIngress/Egress called like resources: they are the nested-block structs
    of SecurityGroup, and take no scope or id (a TypeError at synth)."""
    definitions = code.definitions
    findings = []
    for path, module in definitions.trees.items():
        for node in ast.walk(module):
            if not (isinstance(node, ast.Call) and node.args and called_name(node.func) in NESTED_BLOCK_CLASSES):
                continue
            if definitions.callee(path, node.func) is not None:
                continue  # the project's own class of that name
            findings.append(
                finding(
                    "security-group-rule",
                    f"{called_name(node.func)} is the nested-block class of SecurityGroup, not a resource",
                    code.where(path, node),
                    "use SecurityGroupRule (or VpcSecurityGroupIngressRule) with security_group_id",
                )
            )
    return findings


def check_environment_tag(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    findings = []
    for node in ast.walk(module):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "Environment"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    findings.append(
                        finding(
                            "environment-tag",
                            f"the Environment tag is the literal {value.value!r} in every deployment",
                            where(project, path, node),
                            "take it from a parameter (the environment suffix)",
                        )
                    )
    return findings
