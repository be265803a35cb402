"""What the verification checks: the project's sources, then each synthesized stack.

Every check returns a list of problems, each saying what is wrong, where, and what to
do about it; an empty list means the check passed. The numbers in the messages refer to
the failures in the failure analyses that the check prevents.
"""

import ast
import json
from pathlib import Path

# Backends that keep the state off the machine that runs Terraform.
REMOTE_BACKENDS = {"s3", "gcs", "azurerm", "remote", "cloud", "http", "consul", "pg", "kubernetes", "oss", "cos"}
# Providers whose prebuilt bindings a generated project installs from PyPI.
PREBUILT_PROVIDERS = {"aws"}


def load_cdktf_json(project: Path) -> tuple[dict, list[str]]:
    """cdktf.json's content and the problems with it."""
    path = project / "cdktf.json"
    if not path.is_file():
        return {}, ["cdktf.json is missing: `cdktf synth` refuses a folder without it (analysis 003, failure 1)"]
    try:
        config = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        return {}, [f"cdktf.json is not valid JSON: {error}"]
    problems = []
    if config.get("language") != "python":
        problems.append(f'cdktf.json: "language" is {config.get("language")!r}, expected "python"')
    if not isinstance(config.get("app"), str) or not config["app"].strip():
        problems.append(
            'cdktf.json: "app" is missing: it is the command `cdktf synth` runs (e.g. "pipenv run python tap.py")'
        )
    listed = [entry for entry in config.get("terraformProviders", []) if _provider_name(entry) in PREBUILT_PROVIDERS]
    if listed:
        problems.append(
            f'cdktf.json: "terraformProviders" lists {listed}, whose prebuilt bindings the Pipfile installs; '
            "`cdktf synth` would stop and ask for `cdktf get`. Leave them out."
        )
    return config, problems


def _provider_name(entry: str | dict) -> str:
    """ "aws", from "aws@~> 6.0", "hashicorp/aws@6.25.0" or {"name": "aws", ...}."""
    if isinstance(entry, dict):
        return str(entry.get("name", ""))
    return str(entry).split("@")[0].split("/")[-1].strip()


def check_stack_call(project: Path, stack_class: str = "TapStack") -> list[str]:
    """tap.py creates the stack with arguments its constructor accepts (analysis 001, failure 1)."""
    tap_path, stack_path = project / "tap.py", project / "lib" / "tap_stack.py"
    missing_files = [path.name for path in (tap_path, stack_path) if not path.is_file()]
    if missing_files:
        return [f"{' and '.join(missing_files)} missing: the app cannot create {stack_class}"]
    init = _constructor(ast.parse(stack_path.read_text()), stack_class)
    if init is None:
        return [f"lib/tap_stack.py defines no {stack_class}.__init__"]
    calls = [
        node
        for node in ast.walk(ast.parse(tap_path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == stack_class
    ]
    if not calls:
        return [f"tap.py never creates {stack_class}: the app would synthesize nothing"]

    arguments = init.args
    positional = [arg.arg for arg in arguments.posonlyargs + arguments.args][1:]  # without self
    keyword = {arg.arg for arg in arguments.args[1:] + arguments.kwonlyargs}
    required_keyword = {
        arg.arg for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if default is None
    }
    problems = []
    for call in calls:
        where = f"tap.py:{call.lineno}"
        passed = {kw.arg for kw in call.keywords if kw.arg is not None}
        if arguments.vararg is None and len(call.args) > len(positional):
            problems.append(
                f"{where}: {stack_class} takes {len(positional)} positional arguments, the call passes {len(call.args)}"
            )
        unknown = sorted(passed - keyword) if arguments.kwarg is None else []
        if unknown:
            problems.append(
                f"{where}: {stack_class}.__init__ has no parameter {', '.join(unknown)} (TypeError at synth)"
            )
        absent = sorted(required_keyword - passed)
        if absent and not any(kw.arg is None for kw in call.keywords):
            problems.append(
                f"{where}: the call does not pass {', '.join(absent)}, which {stack_class}.__init__ requires"
            )
    return problems


def _constructor(module: ast.Module, class_name: str) -> ast.FunctionDef | None:
    for node in module.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    return item
    return None


def check_stack(name: str, config: dict) -> tuple[list[str], str]:
    """A synthesized stack's problems, and a one-line summary of what it has."""
    problems = []
    providers = config.get("provider", {}).get("aws") or []
    if not providers:
        problems.append(f"{name}: no AWS provider; every TerraformStack needs its own (analysis 002, failure 1)")
    backends = config.get("terraform", {}).get("backend", {})
    remote = sorted(set(backends) & REMOTE_BACKENDS)
    if not remote:
        problems.append(f"{name}: no remote backend, so the state would stay on one machine (analysis 001, failure 2)")
    regions = ", ".join(str(provider.get("region", "?")) for provider in providers)
    summary = [f"aws provider ({regions})" if providers else "no provider"]
    s3 = backends.get("s3")
    if s3 is not None:
        encrypted = s3.get("encrypt") is True
        locks = [lock for lock in ("use_lockfile", "dynamodb_table") if s3.get(lock)]
        if not encrypted:
            problems.append(f"{name}: the S3 backend does not set encrypt = true, so the state is stored unencrypted")
        if not locks:
            problems.append(
                f"{name}: the S3 backend has no locking: set use_lockfile (Terraform >= 1.10) or dynamodb_table"
                " (analysis 003, failure 3)"
            )
        locked_by = " + ".join(locks) or "NOTHING"
        summary.append(f"s3 backend ({'encrypted' if encrypted else 'UNENCRYPTED'}, locked by {locked_by})")
    elif remote:
        summary.append(f"{remote[0]} backend")
    outputs = config.get("output", {})
    if not outputs:
        problems.append(
            f"{name}: no outputs, so integration tests cannot find the resources (analysis 002, failure 15)"
        )
    summary.append(f"{len(outputs)} outputs")
    return problems, f"{name}: {', '.join(summary)}"
