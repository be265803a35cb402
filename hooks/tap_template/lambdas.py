"""What Lambda needs from a function of the app, read from the sources: a package that
exists and is a zip (lambda-package), a handler that names a module and function the
package has (lambda-handler), and environment variables Lambda does not reserve
(lambda-environment).

The packages are the ones tap_template.functions finds (function_calls, read_package). A
package the project builds (a DataArchiveFile, a script or the app's code writing the zip,
`zip` in a Makefile or package.json) is not judged: what is on disk now is not what deploys.
"""

import ast
import functools
import os
import re
import zipfile
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

from tap_template.findings import ERROR, WARNING, Finding, finding
from tap_template.functions import BUILD_FILES, FunctionCall, Package, function_calls, read_package
from tap_template.modules import NOT_SOURCES, PathEvaluator, called_name, is_dir, is_file

if TYPE_CHECKING:
    from tap_template.sources import Code

# The keys Lambda sets itself and refuses in a function's configuration
# (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime):
# the deploy fails with InvalidParameterValueException "Reserved keys used in this request".
RESERVED_VARIABLES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)
NODE_EXTENSIONS = (".js", ".mjs", ".cjs")
# Files that may hold a build step, besides BUILD_FILES.
MORE_BUILD_FILES = ("Pipfile", "Justfile", "justfile", "Taskfile*", "*.ps1", "*.bash", "*.json", "*.mjs", "*.js")
# What writes a zip: Python's zipfile and shutil, Terraform's archive, the zip command.
ZIP_WRITERS = re.compile(
    r"make_archive|ZipFile|DataArchiveFile|archive_file|Compress-Archive|\b7z\s+a\b|"
    r"""(^|[\s;&|(`"'])zip["']?(\s+|,\s*["'])(-[a-zA-Z0-9]+|\$|[\w./{}-]+\.zip\b)""",
    re.MULTILINE,
)
# What makes a folder or a file: the same, and copies, installs and builds.
FOLDER_WRITERS = re.compile(
    ZIP_WRITERS.pattern + r"|mkdir|makedirs|copytree|shutil\.copy|\bcp\s|rsync|pip3?\s+install|npm|yarn|esbuild|tsc\b",
    re.MULTILINE,
)
# What builds or pushes a container image.
IMAGE_BUILDERS = re.compile(
    r"""docker["']?(\s+|,\s*["'])(buildx\s+)?(build|push)|DockerImage|RegistryImage|docker_image|"""
    r"ImageAsset|kaniko|buildah|podman\s+build|CodebuildProject|codebuild",
    re.IGNORECASE,
)
# Code that may define a module's names where the sources do not show them.
DYNAMIC_DEFINITIONS = {"globals", "setattr", "exec", "vars", "locals", "__getattr__", "__dict__", "modules"}
FIX_PACKAGE = (
    "package the function's folder with TerraformAsset(path=<folder>, type=AssetType.ARCHIVE) and pass its path "
    "and asset_hash, or build the zip with DataArchiveFile(source_dir=..., output_path=...)"
)


def check_lambdas(code: "Code") -> list[Finding]:
    """The findings of lambda-package, lambda-handler and lambda-environment on the sources."""
    findings: list[Finding] = []
    packages: dict[Path, Package | None] = {}
    for call in function_calls(code):
        if call.target is None or is_file(call.target / "cdktf.json"):
            continue
        problem = _package_problem(code, call)
        if problem:
            if all(found.location != problem.location for found in findings):  # an asset of several functions
                findings.append(problem)
            continue
        if call.layer or call.text("package_type") == "Image":
            continue
        if call.target not in packages:
            packages[call.target] = read_package(call.target, code.where(call.path, call.node), code.root, False)
        package = packages[call.target]
        # A zip the project builds is not the one on disk; a folder keeps its modules.
        if package is not None and (package.entries is None or not _built(code, call.target)):
            findings += _handler_problems(code, call, package)
    findings += check_images(code)
    findings += check_reserved_variables(code)
    return findings


def _resource(evaluator: PathEvaluator, node: ast.Call) -> str:
    """How a finding names a construct: LambdaFunction "api" (its id), or the id's expression."""
    construct_id = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "id"), None)
    if construct_id is None:
        return called_name(node.func)
    shown = evaluator.text(construct_id)
    return f'{called_name(node.func)} "{shown}"' if shown else f"{called_name(node.func)} {ast.unparse(construct_id)}"


def _shown(code: "Code", path: Path) -> str:
    try:
        return path.relative_to(code.root).as_posix()
    except ValueError:
        return str(path)


def _exists(path: Path) -> bool:
    return is_file(path) or is_dir(path)


def _in_source_folder(code: "Code", path: Path) -> bool:
    """Whether `path` is in a folder of the project below its top level (lib/lambda/), where
    the project keeps its own files; what is missing there is the project's to bring."""
    folder = path.parent
    return folder != code.root and code.root in folder.parents and is_dir(folder)


def _package_problem(code: "Code", call: FunctionCall) -> Finding | None:
    """A package that is missing, a placeholder zip, or a source file given as the zip."""
    target, resource, where = call.target, _resource(call.evaluator, call.node), code.where(call.path, call.node)
    assert target is not None
    if call.source is not None:  # the asset or archive is where the path is given
        resource, where = _resource(call.evaluator, call.source), code.where(call.path, call.source)
    stack_folder = code.root / "cdktf.out" / "stacks" / "stack"
    shown = _shown(code, target)
    if stack_folder in target.parents:  # a relative filename: say how Terraform reads it
        shown = f"{target.relative_to(stack_folder).as_posix()} (read in the stack's folder, cdktf.out/stacks/<stack>/)"
    if call.via == "filename":
        # Terraform reads a relative filename in the stack's folder; in the project folder is
        # the synthesized-stack rule's to judge.
        given = call.argument("filename")
        elsewhere = call.evaluator.evaluate(given) if given is not None else None
        candidates = [target, elsewhere]
    elif call.via == "DataArchiveFile":  # Terraform reads a relative source in the stack's folder
        given = next((item.value for item in call.source.keywords if item.arg in ("source_dir", "source_file")), None)
        candidates = [target, call.evaluator.evaluate(given, stack_folder) if given is not None else None]
    else:
        candidates = [target]
    if not any(candidate is not None and _exists(candidate) for candidate in candidates):
        if _built(code, target):
            return None
        consequence = {
            "filename": "the deploy fails (no such file)",
            "TerraformAsset": "the synth fails (the asset's path does not exist)",
            "DataArchiveFile": "the deploy fails (Terraform cannot archive a missing source)",
        }[call.via]
        verb = "deploys" if call.via == "filename" else "packages"
        message = f"{resource} {verb} {shown}, which is not in the project and which nothing in the project builds"
        hint = f"point it at the function's code in the project; {FIX_PACKAGE}"
        if not any(_in_source_folder(code, candidate) for candidate in candidates if candidate is not None):
            # At the top level, or in a folder the project lacks: a pipeline may put it there.
            return Finding(
                "lambda-package",
                WARNING,
                f"{message}: {consequence} unless a step outside the project puts it there first",
                where,
                hint,
            )
        return finding("lambda-package", f"{message}: {consequence}", where, hint)
    if call.via == "DataArchiveFile":
        return None
    given_type = call.argument("type", call.source) if call.source is not None else None
    asset_type = ast.unparse(given_type).rpartition(".")[2] if given_type is not None else ""
    if call.via == "TerraformAsset" and asset_type in ("ARCHIVE", "DIRECTORY", "FILE"):
        # cdktf's TerraformAsset takes a file as FILE only, and a folder as ARCHIVE or DIRECTORY.
        if is_file(target) != (asset_type == "FILE"):
            kind = "file" if is_file(target) else "folder"
            allowed = "AssetType.FILE" if is_file(target) else "AssetType.ARCHIVE"
            return finding(
                "lambda-package",
                f"{resource} packages the {kind} {shown} as AssetType.{asset_type}: the synth fails "
                f"(TerraformAsset takes a {kind} as {allowed} only)",
                where,
                "give a folder with type=AssetType.ARCHIVE (cdktf zips it), or a zip with type=AssetType.FILE",
            )
        if asset_type == "ARCHIVE":
            return None  # cdktf zips the folder
    if not is_file(target):
        return None
    if target.suffix in (".py", *NODE_EXTENSIONS, ".ts"):
        return finding(
            "lambda-package",
            f"{resource} deploys the source file {shown} as it is, but Lambda takes a zip archive: "
            "the deploy fails (Lambda cannot unzip it)",
            where,
            'zip it: DataArchiveFile(type="zip", source_file=..., output_path=...) and filename=<archive>.output_path,'
            " or TerraformAsset(path=<folder>, type=AssetType.ARCHIVE)",
        )
    if target.suffix == ".zip" and not _built(code, target):
        why = _archive_problem(target)
        if why:
            return finding(
                "lambda-package",
                f"{resource} deploys {shown}, a placeholder: {why} (a zip holding the function's code is allowed)",
                where,
                FIX_PACKAGE,
            )
    return None


def _archive_problem(target: Path) -> str | None:
    """Why a zip on disk cannot be a function's package; None when it may be."""
    try:
        if target.stat().st_size == 0:
            return "it is empty (0 bytes), so the deploy fails (Lambda takes a non-empty zip)"
        if not zipfile.is_zipfile(target):
            return "it is not a zip archive, so the deploy fails (Lambda cannot unzip it)"
        with zipfile.ZipFile(target) as archive:
            if not any(not info.is_dir() for info in archive.infolist()):
                return "the archive holds no file, so the deploy fails (Lambda takes a non-empty zip)"
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError, ValueError):
        return None
    return None


def _handler_problems(code: "Code", call: FunctionCall, package: Package) -> list[Finding]:
    """The handler names a module the package lacks, or a function its module does not define."""
    handler, runtime = call.text("handler"), call.text("runtime")
    if not handler or "." not in handler:
        return []
    if runtime is None and call.argument("runtime") is None:
        runtime = "python" if package.files and not _holds_node_code(package) else None
    if runtime is None or not runtime.startswith(("python", "nodejs")):
        return []
    module, _, function = handler.rpartition(".")
    if not module or module.startswith(("/", ".")) or ".." in module or "*" in module or "[" in module:
        return []  # not a module path the doctor can look up
    resource, where = _resource(call.evaluator, call.node), code.where(call.path, call.node)
    shown = package.shown.rstrip("/!")
    if runtime.startswith("nodejs"):
        stem = module
        if any(package.holds(f"{stem}{extension}") for extension in (*NODE_EXTENSIONS, ".ts")):
            return []  # a .ts beside it is compiled by a build step
        allowed = ", ".join(f"{stem}{extension}" for extension in NODE_EXTENSIONS)
        return [_module_missing(resource, where, handler, shown, allowed, package, call, ".js")]
    stem = module.replace(".", "/")
    if _python_module(package, stem):
        return _function_missing(resource, where, handler, package, stem, function)
    return [_module_missing(resource, where, handler, shown, f"{stem}.py", package, call, ".py")]


def _module_missing(resource, where, handler, shown, allowed, package: Package, call: FunctionCall, suffix: str):
    held = sorted(name for name in package.names if name and not name.startswith((".", "__")))[:8]
    layers = call.argument("layers") is not None
    return Finding(
        "lambda-handler",
        WARNING if layers else ERROR,
        f"{resource} has handler {handler!r}, but its package {shown} has no {allowed} "
        f"(its top-level names: {', '.join(held) or 'none'})"
        + (": a layer of the function may bring it" if layers else ": Lambda fails to load the function"),
        where,
        f'name a module the package has (handler="<file without {suffix}>.<function>"), or package the '
        "folder that holds it",
    )


def _holds_node_code(package: Package) -> bool:
    if package.entries is not None:
        return any(entry.endswith(NODE_EXTENSIONS) for entry in package.entries)
    if is_file(package.root):
        return package.root.suffix in NODE_EXTENSIONS
    return any(next(package.root.rglob(f"*{extension}"), None) for extension in NODE_EXTENSIONS)


def _python_module(package: Package, stem: str) -> bool:
    """Whether the package has the module (a .py, bytecode, an extension, or a package folder)."""
    if package.holds(f"{stem}.py") or package.holds(stem):
        return True
    if package.entries is not None:
        return any(entry.startswith(f"{stem}.") for entry in package.entries)
    return not is_file(package.root) and next(package.root.glob(f"{stem}.*"), None) is not None


def _function_missing(resource, where, handler, package: Package, stem: str, function: str) -> list[Finding]:
    inside = next((name for name in (f"{stem}.py", f"{stem}/__init__.py") if name in package.files), None)
    if inside is None:
        return []  # bytecode, an extension, or a module Python cannot parse: not read
    defined = top_level_names(package.files[inside])
    if defined is None or function in defined:
        return []
    functions = sorted(
        node.name
        for node in package.files[inside].body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_")
    )
    return [
        finding(
            "lambda-handler",
            f"{resource} has handler {handler!r}, but {package.shown}{inside} defines no {function} at its top "
            f"level (its functions: {', '.join(functions) or 'none'}): Lambda fails to load the function",
            where,
            f'name a function the module defines (handler="{stem.replace("/", ".")}.<function>"), or define '
            f"{function}(event, context)",
        )
    ]


def top_level_names(module: ast.Module) -> set[str] | None:
    """The names a module defines at its top level (in its if/try/with/for blocks too);
    None when code may define names the sources do not show (a star import, globals(),
    setattr, a module __getattr__, `global` in a function)."""
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return None
        if isinstance(node, ast.Name | ast.Attribute) and called_name(node) in DYNAMIC_DEFINITIONS:
            return None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "__getattr__":
            return None
        if isinstance(node, ast.Global):
            return None
    names: set[str] = set()
    pending: list[ast.AST] = list(module.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if isinstance(node, ast.Lambda):
            continue
        pending.extend(ast.iter_child_nodes(node))
    return names


@functools.cache
def _build_texts(project: Path) -> tuple[str, ...]:
    """The texts of the project's files that may hold a build step (scripts, build files,
    CI workflows, the app's code)."""
    texts = []
    patterns = (*BUILD_FILES, *MORE_BUILD_FILES)
    for folder, subfolders, files in os.walk(project):
        subfolders[:] = [name for name in subfolders if name not in NOT_SOURCES]
        for name in files:
            if not any(fnmatch(name, pattern) for pattern in patterns):
                continue
            file = Path(folder) / name
            try:
                if file.stat().st_size < 1_000_000:
                    texts.append(file.read_text(errors="replace"))
            except OSError:
                continue
    return tuple(texts)


def _built(code: "Code", target: Path) -> bool:
    """Whether a file of the project may write `target`: it names it and writes zips (or, for
    a folder or another file, makes folders, copies or installs)."""
    writers = ZIP_WRITERS if target.suffix == ".zip" else FOLDER_WRITERS
    for text in _build_texts(code.root):
        if target.name not in text and not (target.suffix == ".zip" and "make_archive" in text and target.stem in text):
            continue
        if writers.search(text):
            return True
    return False


def check_images(code: "Code") -> list[Finding]:
    """A container-image function whose image is in an ECR repository the same stack creates,
    with nothing in the project that builds and pushes it: the repository is empty when
    Lambda creates the function."""
    findings = []
    builds = None
    for path in code.app_files():
        module = code.sources[path].tree
        if module is None:
            continue
        repositories = {
            ast.unparse(node.targets[0]): node.value
            for node in ast.walk(module)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.value, ast.Call)
            and called_name(node.value.func) == "EcrRepository"
        }
        if not repositories:
            continue
        evaluator = PathEvaluator(code.root, path, module)
        for node in ast.walk(module):
            if not (isinstance(node, ast.Call) and called_name(node.func) == "LambdaFunction"):
                continue
            arguments = {keyword.arg: keyword.value for keyword in node.keywords}
            if (
                "image_uri" not in arguments
                or evaluator.text(arguments.get("package_type", ast.Constant(""))) != "Image"
            ):
                continue
            uri = arguments["image_uri"]
            if isinstance(uri, ast.Name) and len(evaluator.assigned.get(uri.id, [])) == 1:
                uri = evaluator.assigned[uri.id][0]
            text = ast.unparse(uri)
            repository = next((name for name in repositories if f"{name}.repository_url" in text), None)
            if repository is None:
                continue
            if builds is None:
                builds = any(IMAGE_BUILDERS.search(text) for text in _build_texts(code.root))
            if builds:
                return []
            created = _resource(evaluator, repositories[repository])
            findings.append(
                finding(
                    "lambda-package",
                    f"{_resource(evaluator, node)} runs the image {text} from {created}"
                    ", a repository the stack creates, and nothing in the project builds and pushes an image to it: "
                    "the repository is empty when Lambda creates the function, so the deploy fails (an image that "
                    "a build step pushes, or one in a repository that exists, is allowed)",
                    code.where(path, node),
                    "build and push the image before the function is created (a build script with docker build "
                    "and docker push, or a docker provider's RegistryImage the function depends on), or deploy "
                    "a zip package",
                )
            )
    return findings


def check_reserved_variables(code: "Code") -> list[Finding]:
    """Environment variables of a function that Lambda reserves for itself."""
    findings = []
    for path in code.app_files():
        module = code.sources[path].tree
        if module is None:
            continue
        evaluator = PathEvaluator(code.root, path, module)
        changed = _changed_dicts(module)
        for node in ast.walk(module):
            if not (isinstance(node, ast.Call) and called_name(node.func) == "LambdaFunction"):
                continue
            environment = next((keyword.value for keyword in node.keywords if keyword.arg == "environment"), None)
            variables = _item(_once(environment, evaluator, changed), "variables")
            for key in sorted(_keys(_once(variables, evaluator, changed)) & RESERVED_VARIABLES):
                findings.append(
                    finding(
                        "lambda-environment",
                        f"{_resource(evaluator, node)} sets the environment variable {key}, which Lambda reserves "
                        "and sets itself: the deploy fails (InvalidParameterValueException: Reserved keys used in "
                        "this request)",
                        code.where(path, node),
                        f"remove {key} (the function reads Lambda's own value), or give the value another name",
                    )
                )
    return findings


def _once(node: ast.expr | None, evaluator: PathEvaluator, changed: set[str]) -> ast.expr | None:
    """A name's value when the module assigns it once and never changes its items."""
    if isinstance(node, ast.Name):
        values = evaluator.assigned.get(node.id, [])
        return values[0] if len(values) == 1 and node.id not in changed else None
    return node


def _item(node: ast.expr | None, name: str) -> ast.expr | None:
    """`{"variables": ...}` or LambdaFunctionEnvironment(variables=...): the value of `name`."""
    if isinstance(node, ast.Dict):
        return next(
            (
                value
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and key.value == name
            ),
            None,
        )
    if isinstance(node, ast.Call):
        return next((keyword.value for keyword in node.keywords if keyword.arg == name), None)
    return None


def _keys(node: ast.expr | None) -> set[str]:
    """The literal keys of a dict display or a dict(...) call."""
    if isinstance(node, ast.Dict):
        return {key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}
    if isinstance(node, ast.Call) and called_name(node.func) == "dict":
        return {keyword.arg for keyword in node.keywords if keyword.arg}
    return set()


def _changed_dicts(module: ast.Module) -> set[str]:
    """Names whose items the module deletes or pops (a key set there may be gone)."""
    changed = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Delete):
            changed |= {ast.unparse(target.value) for target in node.targets if isinstance(target, ast.Subscript)}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"pop", "clear"}:
            changed.add(ast.unparse(node.func.value))
    return changed
