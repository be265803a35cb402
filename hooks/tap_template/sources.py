"""The doctor's rules on a project's sources: read, never run."""

import ast
import builtins
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from tap_template.findings import Finding, finding
from tap_template.package_managers import main_packages, package_manager

# Folders that hold no source of the project's own.
NOT_SOURCES = {".venv", "venv", ".git", "cdktf.out", ".gen", "imports", "node_modules", "tools", "__pycache__"}
# Providers whose prebuilt bindings a project installs from PyPI.
PREBUILT_PROVIDERS = {"aws"}
LAMBDA_RUNTIME_MODULES = {"boto3", "botocore"}
# Libraries whose names a tap project's own packages may repeat (lib/constructs/).
FRAMEWORK_MODULES = {"constructs", "cdktf", "cdktn", "cdktf_cdktf_provider_aws", "cdktn_provider_aws"}
# Each framework's import names, by its PyPI package: CDKTF and CDK Terrain, its fork.
# One app runs on one of them; a construct of the other fails to import or to nest.
FRAMEWORK_IMPORTS = {"cdktf": ["cdktf", "cdktf_cdktf_provider_aws"], "cdktn": ["cdktn", "cdktn_provider_aws"]}
NESTED_BLOCK_CLASSES = {"SecurityGroupIngress", "SecurityGroupEgress"}
SHADOWED_BUILTINS = {name for name in dir(builtins) if not name.startswith("_")}
STACK_CLASS, STACK_MODULE = "TapStack", Path("lib") / "tap_stack.py"


def python_files(project: Path) -> Iterator[Path]:
    for path in sorted(project.rglob("*.py")):
        if not NOT_SOURCES & set(path.relative_to(project).parts[:-1]):
            yield path


def parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(), filename=str(path))
    except SyntaxError:
        return None  # Python itself reports it, at synth


def absolute_imports(node: ast.AST) -> list[str]:
    """The modules an import statement names absolutely (`import a.b, c`; `from a.b import x`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return [node.module]
    return []


def where(project: Path, path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(project)}:{getattr(node, 'lineno', 1)}"


def check_sources(project: Path) -> list[Finding]:
    """Every source rule's findings for the project at `project`."""
    modules = {path: module for path in python_files(project) if (module := parse(path)) is not None}
    findings = check_cdktf_json(project)
    findings += check_stack_call(project, modules)
    framework = installed_framework(project)
    for path, module in modules.items():
        if framework:
            findings += check_framework_imports(project, path, module, framework)
        for check in (
            check_imports,
            check_builtin_shadowing,
            check_stack_providers,
            check_construct_scope,
            check_security_group_rules,
            check_environment_tag,
        ):
            findings += check(project, path, module)
        if "lambda" in path.relative_to(project).parts[:-1]:
            findings += check_lambda_imports(project, path, module)
    return findings


def load_cdktf_json(project: Path) -> dict | None:
    try:
        return json.loads((project / "cdktf.json").read_text())
    except (OSError, json.JSONDecodeError):
        return None


def check_cdktf_json(project: Path) -> list[Finding]:
    path = project / "cdktf.json"
    manager = package_manager(project)
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
    config = load_cdktf_json(project)
    if not isinstance(config, dict):
        return [finding("cdktf-json", "cdktf.json is not a valid JSON object", "cdktf.json", "fix its syntax")]
    findings = []
    if config.get("language") != "python":
        findings.append(
            finding("cdktf-json", f'"language" is {config.get("language")!r}', "cdktf.json", 'set "language": "python"')
        )
    if not isinstance(config.get("app"), str) or not config["app"].strip():
        findings.append(
            finding(
                "cdktf-json",
                '"app" is missing: it is the command that `cdktf synth` runs',
                "cdktf.json",
                f"set {app}",
            )
        )
    for entry in config.get("terraformProviders", []):
        name = entry.get("name", "") if isinstance(entry, dict) else str(entry).split("@")[0].split("/")[-1]
        if name.strip() in PREBUILT_PROVIDERS:
            findings.append(
                finding(
                    "prebuilt-provider",
                    f"terraformProviders lists {entry!r}, whose prebuilt bindings the project installs: "
                    "`cdktf synth` stops and asks for `cdktf get`",
                    "cdktf.json",
                    f"remove it from terraformProviders; the bindings' version in {manager.manifest} "
                    "sets the provider version",
                )
            )
    return findings


def check_stack_call(project: Path, modules: dict[Path, ast.Module]) -> list[Finding]:
    """tap.py passes what TapStack.__init__ takes, and names the stack from the suffix."""
    tap, stack_module = modules.get(project / "tap.py"), modules.get(project / STACK_MODULE)
    if tap is None or stack_module is None:
        return []  # not the tap layout: nothing to compare
    init = next(
        (
            item
            for node in stack_module.body
            if isinstance(node, ast.ClassDef) and node.name == STACK_CLASS
            for item in node.body
            if isinstance(item, ast.FunctionDef) and item.name == "__init__"
        ),
        None,
    )
    calls = [
        node
        for node in ast.walk(tap)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == STACK_CLASS
    ]
    if init is None or not calls:
        return []
    arguments = init.args
    positional = [arg.arg for arg in arguments.posonlyargs + arguments.args][1:]  # without self
    accepted = {arg.arg for arg in arguments.args[1:] + arguments.kwonlyargs}
    defaults = zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    required = {arg.arg for arg, default in defaults if default is None}
    hint = f"make the call in tap.py and the parameters of {STACK_CLASS}.__init__ in {STACK_MODULE} agree"
    findings = []
    for call in calls:
        location = where(project, project / "tap.py", call)
        passed = {keyword.arg for keyword in call.keywords if keyword.arg is not None}
        unpacks = any(keyword.arg is None for keyword in call.keywords)
        problems = []
        if arguments.vararg is None and len(call.args) > len(positional):
            problems.append(f"passes {len(call.args)} positional arguments, {STACK_CLASS} takes {len(positional)}")
        if arguments.kwarg is None and (unknown := sorted(passed - accepted)):
            problems.append(f"passes {', '.join(unknown)}, which {STACK_CLASS}.__init__ does not take")
        if not unpacks and (absent := sorted(required - passed)):
            problems.append(f"does not pass {', '.join(absent)}, which {STACK_CLASS}.__init__ requires")
        findings += [finding("stack-call", f"the {STACK_CLASS} call {problem}", location, hint) for problem in problems]
        if len(call.args) > 1 and isinstance(call.args[1], ast.Constant):
            findings.append(
                finding(
                    "stack-name",
                    f"the stack is named {call.args[1].value!r}, the same in every environment",
                    location,
                    'name it from the suffix read at run time, e.g. f"TapStack{environment_suffix}"',
                )
            )
    return findings


def check_imports(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    """Imports that fail when the app runs from the project root, as `cdktf synth` runs it."""
    lib = project / "lib"
    findings = []
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and node.level and lib in path.parents:
            findings.append(
                finding(
                    "import-path",
                    f"relative import from {'.' * node.level}{node.module or ''}",
                    where(project, path, node),
                    "import absolutely from the project root: from lib.<package> import ...",
                )
            )
        for name in absolute_imports(node):
            top = name.split(".")[0]
            at_root = (project / top).is_dir() or (project / f"{top}.py").is_file()
            in_lib = (lib / top).is_dir() or (lib / f"{top}.py").is_file()
            if in_lib and not at_root and top not in FRAMEWORK_MODULES | {"lib"}:
                findings.append(
                    finding(
                        "import-path",
                        f"`{name}` lives in lib/, so this import fails when the app runs from the project root",
                        where(project, path, node),
                        f"import it as lib.{name}",
                    )
                )
    return findings


def installed_framework(project: Path) -> str | None:
    """The framework the project's dependencies name (cdktf or cdktn); None for neither or both."""
    packages = main_packages(project)
    installed = [framework for framework in FRAMEWORK_IMPORTS if framework in packages]
    return installed[0] if len(installed) == 1 else None


def check_framework_imports(project: Path, path: Path, module: ast.Module, framework: str) -> list[Finding]:
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
                    f"{package_manager(project).manifest} installs it, not {other}",
                    where(project, path, node),
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


def _classes(module: ast.Module, base: str) -> Iterator[ast.ClassDef]:
    for node in ast.walk(module):
        if isinstance(node, ast.ClassDef) and any(_name(parent) == base for parent in node.bases):
            yield node


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def check_stack_providers(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    findings = []
    for stack in _classes(module, "TerraformStack"):
        creates_provider = any(
            isinstance(node, ast.Call) and _name(node.func).endswith("Provider") for node in ast.walk(stack)
        )
        if not creates_provider:
            findings.append(
                finding(
                    "stack-provider",
                    f"TerraformStack {stack.name} creates no provider; synth fails with "
                    "'Found resources without a matching provider construct'",
                    where(project, path, stack),
                    f"make it a constructs.Construct inside the main stack, or create a provider in {stack.name}",
                )
            )
    return findings


def check_construct_scope(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    """Children created with the constructor's scope land beside the construct, not in it."""
    findings = []
    for cls in _classes(module, "TerraformStack"), _classes(module, "Construct"):
        for construct in cls:
            init = next((n for n in construct.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
            if init is None or len(init.args.args) < 2:
                continue
            scope = init.args.args[1].arg
            for node in ast.walk(init):
                if (
                    isinstance(node, ast.Call)
                    and node.args
                    and isinstance(node.args[0], ast.Name)
                    and node.args[0].id == scope
                    and not (isinstance(node.func, ast.Attribute) and node.func.attr == "__init__")
                ):
                    findings.append(
                        finding(
                            "construct-scope",
                            f"{_name(node.func)} is created with `{scope}`, the scope of {construct.name}, "
                            f"so it lands outside {construct.name}",
                            where(project, path, node),
                            "create child constructs with self as their scope",
                        )
                    )
    return findings


def check_security_group_rules(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    findings = []
    for node in ast.walk(module):
        # Called with (scope, id, ...), the nested-block class is used as a resource.
        if isinstance(node, ast.Call) and node.args and _name(node.func) in NESTED_BLOCK_CLASSES:
            findings.append(
                finding(
                    "security-group-rule",
                    f"{_name(node.func)} is the nested-block class of SecurityGroup, not a resource",
                    where(project, path, node),
                    "use SecurityGroupRule (or VpcSecurityGroupIngressRule) with security_group_id",
                )
            )
    return findings


def check_lambda_imports(project: Path, path: Path, module: ast.Module) -> list[Finding]:
    """A handler's imports must exist in the Lambda runtime or in its own folder."""
    bundled = {child.stem for child in path.parent.iterdir() if child.suffix == ".py" or child.is_dir()}
    findings = []
    for node in ast.walk(module):
        for name in absolute_imports(node):
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and top not in LAMBDA_RUNTIME_MODULES and top not in bundled:
                findings.append(
                    finding(
                        "lambda-imports",
                        f"the handler imports {name}, which the Lambda runtime lacks and the package does not bundle",
                        where(project, path, node),
                        "use the standard library and boto3 (the RDS Data API instead of a database driver), "
                        "or bundle the module next to the handler",
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
