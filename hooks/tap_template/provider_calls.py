"""The rules on what the app imports from jsii bindings (cdktf and the provider bindings) and
how it calls their classes, checked against the installed bindings (tap_template.bindings).

provider-import: a module or class the bindings do not have fails the import.
provider-arguments: a call the binding's __init__ or jsii refuses fails the synth: a keyword
it does not take, a required one missing, a value of the wrong shape (a dict where the
provider takes a list of blocks, a list where it takes one block, a bool or number where it
takes a string). Inside a list of blocks jsii matches a dict's keys by their JavaScript
names (camelCase): a snake_case key there is dropped without a word.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tap_template.bindings import Bindings, Installed, Parameter, Signature, camel, closest, is_jsii_package, snake
from tap_template.findings import ERROR, WARNING, Finding
from tap_template.modules import imports

if TYPE_CHECKING:
    from tap_template.sources import Code

# How a value is written, and what a shape accepts: a literal's kind.
STRING, BOOLEAN, NUMBER, LIST, DICT = "a string", "a boolean", "a number", "a list", "a dict"
BLOCK = "one block"  # an instance of a block's class: S3BucketLifecycleConfigurationRuleExpiration(days=30)
DEEPEST_VALUE = 12


@dataclass(frozen=True)
class Shape:
    """One type a parameter accepts: what literal kind it takes, and for a list its items'
    shapes, for a block (a struct) its class in `module` (None: another module's)."""

    accepts: str
    items: tuple["Shape", ...] | None = None  # None: not known
    struct: str | None = None
    module: str | None = None

    def described(self) -> str:
        if self.struct and self.accepts == DICT:
            return f"one block ({self.struct}, or a dict of its arguments)"
        if self.accepts == LIST and self.items and self.items[0].struct:
            return f"a list of blocks ({self.items[0].struct})"
        if self.accepts == DICT:
            return "a dict"
        return self.accepts


def shapes(annotation: ast.expr | None, module: str) -> tuple[Shape, ...] | None:
    """What a parameter's annotation accepts from a literal; None when not known (anything
    that is not a plain string, boolean, number, list, dict or block)."""
    if annotation is None:
        return None
    text = ast.unparse(annotation)
    if isinstance(annotation, ast.Subscript):
        outer = ast.unparse(annotation.value)
        inner = annotation.slice
        members = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
        if outer == "typing.Optional":
            return shapes(members[0], module)
        if outer in {"typing.Sequence", "typing.List"}:
            return (Shape(LIST, shapes(members[0], module)),)
        if outer in {"typing.Mapping", "typing.Dict"}:
            return (Shape(DICT),)
        if outer == "typing.Union":
            block = any(ast.unparse(member) == "typing.Dict[builtins.str, typing.Any]" for member in members)
            found: list[Shape] = []
            for member in members:
                member_text = ast.unparse(member)
                if member_text.endswith("IResolvable") or member_text == "typing.Dict[builtins.str, typing.Any]":
                    continue  # a token: never a literal
                if block and isinstance(member, ast.Constant) and isinstance(member.value, str):
                    found.append(Shape(DICT, struct=member.value, module=module))
                elif block and isinstance(member, ast.Attribute | ast.Name):
                    found.append(Shape(DICT, struct=ast.unparse(member).split(".")[-1]))
                else:
                    more = shapes(member, module)
                    if more is None:
                        return None
                    found += more
            return tuple(found) or None
        return None
    return {
        "builtins.str": (Shape(STRING),),
        "builtins.bool": (Shape(BOOLEAN),),
        "jsii.Number": (Shape(NUMBER),),
        "builtins.int": (Shape(NUMBER),),
        "builtins.float": (Shape(NUMBER),),
    }.get(text)


def literal_kind(node: ast.expr) -> str | None:
    """The kind of a literal value; None for anything else (a name, a call, a token)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return BOOLEAN
        if isinstance(node.value, int | float):
            return NUMBER
        return STRING if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return STRING
    if isinstance(node, ast.List | ast.Tuple | ast.ListComp):
        return LIST
    if isinstance(node, ast.Dict | ast.DictComp):
        return DICT
    return None


def did_you_mean(name: str, candidates) -> str:
    """` (did you mean X?)` for the closest candidate, or nothing."""
    match = closest(name, candidates)
    return f" (did you mean {match}?)" if match else ""


@dataclass
class Bound:
    """What a name in a module stands for: a jsii module, or a class of one."""

    installed: Installed
    module: str
    name: str | None = None  # None: the module itself


@dataclass
class Check:
    """One module's imports of jsii packages, as the rules read them."""

    code: "Code"
    bindings: Bindings
    path: Path
    names: dict[str, Bound] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    assigned: dict[str, list[ast.expr]] = field(default_factory=dict)

    def where(self, node: ast.AST) -> str:
        return self.code.where(self.path, node)

    def add(self, rule: str, severity: str, message: str, node: ast.AST, hint: str, installed: Installed) -> None:
        pinned = self.bindings.pinned_version(installed.package)
        if (
            severity == ERROR
            and pinned
            and installed.version
            and pinned.split(".")[0] != installed.version.split(".")[0]
        ):
            severity = WARNING  # checked against other bindings than the ones the project pins
            message += f" (checked against {installed.version}; the project pins {pinned})"
        self.findings.append(Finding(rule, severity, message, self.where(node), hint))


def check_provider_calls(code: "Code", synth_follows: bool = False) -> list[Finding]:
    """The provider-import and provider-arguments findings of the app's modules; a warning
    for bindings that are not installed, unless a synth follows (it imports them)."""
    bindings = Bindings(code.project)
    findings: list[Finding] = []
    missing: dict[str, Finding] = {}
    for path in code.app_files():
        module = code.sources[path].tree
        if module is None:
            continue
        check = Check(code, bindings, path)
        for node, guarded in imports(module, main=path == code.app.entry):
            _read_import(check, node, missing, guarded)
        for node in ast.walk(module):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                check.assigned.setdefault(node.targets[0].id, []).append(node.value)
        for node in ast.walk(module):
            if isinstance(node, ast.Call):
                _check_call(check, node)
        findings += check.findings
    return findings + ([] if synth_follows else list(missing.values()))


def _read_import(check: Check, node: ast.Import | ast.ImportFrom, missing: dict[str, Finding], guarded: bool) -> None:
    """Bind the names an import of a jsii package binds; findings for what it lacks, unless
    the import is guarded (try/except ImportError: the app goes on without it)."""
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module:
            return
        dotted, aliases = node.module, node.names
    else:
        dotted, aliases = None, node.names
    for alias in aliases:
        target = dotted or alias.name
        top = target.split(".")[0]
        if not is_jsii_package(top):
            continue
        installed = check.bindings.find(top)
        if installed is None:
            missing.setdefault(
                top,
                Finding(
                    "provider-import",
                    WARNING,
                    f"not checked: {check.bindings.nowhere(top)}, so the imports and calls of its classes were not "
                    "checked",
                    check.where(node),
                    "install the project's environment (or set TAP_TEMPLATE_PYTHON to its Python), then run again",
                ),
            )
            continue
        if not installed.has_module(target):
            if not guarded:
                _no_module(check, node, installed, target)
            continue
        if dotted is None:  # import a.b [as c]
            if alias.asname:
                check.names[alias.asname] = Bound(installed, target)
            continue
        if alias.name == "*":
            continue
        local = alias.asname or alias.name
        if installed.has_module(f"{dotted}.{alias.name}"):
            check.names[local] = Bound(installed, f"{dotted}.{alias.name}")
            continue
        names = installed.names(dotted)
        if names is None or alias.name in names:
            check.names[local] = Bound(installed, dotted, alias.name)
        elif not guarded:
            _no_name(check, node, installed, dotted, alias.name, names)


def _no_module(check: Check, node: ast.AST, installed: Installed, dotted: str) -> None:
    parent, _, last = dotted.rpartition(".")
    candidates = installed.modules() if parent == installed.package else []
    check.add(
        "provider-import",
        ERROR,
        f"{installed.described()} has no module {dotted}, so the import fails (ModuleNotFoundError)"
        + did_you_mean(last, candidates),
        node,
        "import the module the bindings have: a resource's module is its Terraform type without aws_ "
        "(aws_s3_bucket_versioning -> s3_bucket_versioning)",
        installed,
    )


def _no_name(check: Check, node: ast.AST, installed: Installed, dotted: str, name: str, names: set[str]) -> None:
    public = {candidate for candidate in names if not candidate.startswith("_")}
    suggestion = did_you_mean(name, public)
    if not suggestion and f"{name}A" in public:
        suggestion = f" (did you mean {name}A?)"
    # The class may live in the module named after it: S3BucketVersioning -> s3_bucket_versioning.
    home = f"{installed.package}.{snake(name).removesuffix('_a')}"
    if not suggestion and home != dotted and installed.has_module(home):
        others = installed.names(home) or set()
        match = next((candidate for candidate in (name, f"{name}A") if candidate in others), None)
        suggestion = f" (it is {match} in {home})" if match else ""
    check.add(
        "provider-import",
        ERROR,
        f"{dotted} has no {name} in {installed.described()}, so the import fails (ImportError){suggestion}",
        node,
        "import a class the module has; where a resource's class name clashes with one of its blocks, the "
        "bindings add A to it (S3BucketVersioningA)",
        installed,
    )


def _resolve(check: Check, function: ast.expr, report: bool = True) -> tuple[Bound, Signature | None] | None:
    """The jsii class a call creates, with its __init__; None for anything else (with
    `report`, a finding for a class its module does not have)."""
    bound = None
    if isinstance(function, ast.Name):
        bound = check.names.get(function.id)
        bound = bound if bound is not None and bound.name else None
    elif isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        module = check.names.get(function.value.id)
        if module is not None and module.name is None:
            names = module.installed.names(module.module)
            if names is not None and function.attr not in names and not function.attr.startswith("_"):
                if report and not module.installed.has_module(f"{module.module}.{function.attr}"):
                    check.add(
                        "provider-import",
                        ERROR,
                        f"{module.module} has no {function.attr} in {module.installed.described()}, so the synth "
                        f"fails (AttributeError){did_you_mean(function.attr, names)}",
                        function,
                        "use a class the module has",
                        module.installed,
                    )
                return None
            bound = Bound(module.installed, module.module, function.attr)
    if bound is None or bound.name is None:
        return None
    return bound, bound.installed.signature(bound.module, bound.name)


def _check_call(check: Check, call: ast.Call) -> None:
    resolved = _resolve(check, call.func)
    if resolved is None or resolved[1] is None:
        return
    bound, signature = resolved
    starred = any(isinstance(argument, ast.Starred) for argument in call.args)
    unpacked = any(keyword.arg is None for keyword in call.keywords)
    problems: list[tuple[str, str, ast.AST, str]] = []  # severity, message, node, hint
    if not starred and len(call.args) > len(signature.positional):
        problems.append(
            (
                ERROR,
                f"passes {len(call.args)} positional arguments; {signature.owner} takes "
                f"{len(signature.positional)} ({', '.join(signature.positional) or 'none'}), the rest by keyword",
                call,
                "pass the configuration as keyword arguments",
            )
        )
    # A parameter passed by its camelCase name is reported as that, not also as missing.
    passed = {snake(keyword.arg) for keyword in call.keywords if keyword.arg} | {
        keyword.arg for keyword in call.keywords if keyword.arg
    }
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        parameter = signature.keywords.get(keyword.arg)
        if parameter is None and keyword.arg not in signature.positional[: len(call.args)]:
            if keyword.arg in signature.positional or signature.extra_keywords:
                continue
            python_name = snake(keyword.arg)
            hint = (
                f"use the Python name {python_name}"
                if python_name in signature.keywords
                else f"use an argument {signature.owner} takes{did_you_mean(keyword.arg, set(signature.keywords))}"
            )
            problems.append(
                (ERROR, f"passes {keyword.arg}, which {signature.owner} does not take (TypeError)", keyword, hint)
            )
        elif parameter is not None:
            problems += _check_value(check, signature, parameter, keyword.value, keyword.arg, python=True, depth=0)
    if not starred and not unpacked:
        bound_positional = set(signature.positional[: len(call.args)])
        absent = [
            name
            for name, parameter in signature.keywords.items()
            if parameter.required and name not in passed and name not in bound_positional
        ]
        if absent:
            problems.append(
                (
                    ERROR,
                    f"does not pass {', '.join(absent)}, which {signature.owner} requires (TypeError)",
                    call,
                    f"pass {', '.join(absent)}",
                )
            )
    for severity, message, node, hint in problems:
        check.add(
            "provider-arguments",
            severity,
            f"{signature.owner}(...) {message}" + ("" if severity == WARNING else ", so the synth fails"),
            node,
            hint,
            bound.installed,
        )


def _kind(check: Check, value: ast.expr) -> str | None:
    """A literal's kind, or BLOCK for an instance of a block's class of the bindings."""
    if isinstance(value, ast.Call):
        resolved = _resolve(check, value.func, report=False)
        signature = resolved[1] if resolved else None
        return BLOCK if signature is not None and not signature.is_construct else None
    return literal_kind(value)


def _accepting(accepted: tuple[Shape, ...], kind: str) -> list[Shape]:
    """The shapes that take a value of this kind (a block's class for a block)."""
    return [shape for shape in accepted if shape.accepts == kind or (kind == BLOCK and shape.struct is not None)]


def _check_value(
    check: Check, owner: Signature, parameter: Parameter, value: ast.expr, path: str, python: bool, depth: int
) -> list[tuple[str, str, ast.AST, str]]:
    """What jsii refuses in `value` for `parameter`; `python`: a dict here becomes the block's
    class in Python (keys by their Python names), else jsii reads it (keys by camelCase)."""
    if depth > DEEPEST_VALUE:
        return []
    accepted = shapes(parameter.annotation, owner.module)
    literal = _literal(check, value)
    kind = _kind(check, literal)
    if accepted is None or kind is None:
        return []
    matching = _accepting(accepted, kind)
    if not matching:
        expected = " or ".join(dict.fromkeys(shape.described() for shape in accepted))
        hint = {
            (LIST, DICT): "wrap the block in a list: [ {...} ]",
            (LIST, BLOCK): "wrap the block in a list: [ ... ]",
            (DICT, LIST): "pass the one block itself, not a list",
        }.get((accepted[0].accepts, kind), f"pass {expected}")
        return [(ERROR, f"{path} takes {expected}, got {kind}", value, hint)]
    if literal is not value:
        return []  # a name's value: its kind is known, its content may change before the call
    shape = matching[0]
    problems = []
    if kind == LIST and shape.items and isinstance(value, ast.List | ast.Tuple):
        for index, element in enumerate(value.elts):
            problems += _check_items(check, shape.items, element, f"{path}[{index}]", depth)
    elif kind == DICT and shape.struct and shape.module and isinstance(value, ast.Dict):
        signature = _struct(check, shape)
        if signature is not None:
            problems += _check_block(check, signature, value, path, python, depth)
    return problems


def _check_items(check: Check, items: tuple[Shape, ...], element: ast.expr, path: str, depth: int):
    """An element of a list of blocks: jsii reads a dict there by camelCase keys."""
    kind = _kind(check, element)
    matching = _accepting(items, kind)
    if kind is None:
        return []
    if not matching:
        expected = " or ".join(dict.fromkeys(shape.described() for shape in items))
        return [(ERROR, f"{path} takes {expected}, got {kind}", element, f"pass {expected}")]
    shape = matching[0]
    if kind == DICT and shape.struct and shape.module and isinstance(element, ast.Dict):
        signature = _struct(check, shape)
        if signature is not None:
            return _check_block(check, signature, element, path, python=False, depth=depth + 1)
    if kind == LIST and shape.items and isinstance(element, ast.List | ast.Tuple):
        problems = []
        for index, inner in enumerate(element.elts):
            problems += _check_items(check, shape.items, inner, f"{path}[{index}]", depth + 1)
        return problems
    return []


def _struct(check: Check, shape: Shape) -> Signature | None:
    installed = check.bindings.find(shape.module.split(".")[0]) if shape.module else None
    return installed.signature(shape.module, shape.struct) if installed and shape.struct else None


def _check_block(check, signature: Signature, block: ast.Dict, path: str, python: bool, depth: int):
    """A dict given for a block: its keys against the block's arguments."""
    if any(key is None for key in block.keys):
        return []  # **unpacked: the keys are not all known
    problems = []
    given = set()
    by_camel = {camel(name): parameter for name, parameter in signature.keywords.items()}
    for key, value in zip(block.keys, block.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return problems
        name = key.value
        inner = f"{path}.{name}" if python else f"{path}.{snake(name)}"
        if python:
            parameter = signature.keywords.get(name)
            if parameter is None:
                hint = (
                    f"use the Python name {snake(name)}"
                    if snake(name) in signature.keywords
                    else f"use an argument of {signature.owner}{did_you_mean(name, set(signature.keywords))}"
                )
                problems.append(
                    (ERROR, f"{path} has {name!r}, which {signature.owner} does not take (TypeError)", key, hint)
                )
                continue
        else:
            parameter = by_camel.get(name)
            if parameter is None:
                dropped = signature.keywords.get(name)
                if dropped is not None:
                    given.add(dropped.name)
                    problems.append(
                        (
                            ERROR if dropped.required else WARNING,
                            f"{path} has {name!r}: in a list of blocks jsii reads a dict's keys by their camelCase "
                            f"names, so {name!r} is dropped"
                            + (f" and {signature.owner} lacks its required {name}" if dropped.required else ""),
                            key,
                            f"use {signature.owner}({name}=...) for the block, or the key {camel(name)!r}",
                        )
                    )
                else:
                    problems.append(
                        (
                            WARNING,
                            f"{path} has {name!r}, which {signature.owner} does not take: jsii ignores it",
                            key,
                            f"use an argument of {signature.owner}{did_you_mean(name, set(signature.keywords))}",
                        )
                    )
                continue
        given.add(parameter.name)
        problems += _check_value(check, signature, parameter, value, inner, python, depth + 1)
    absent = [name for name, parameter in signature.keywords.items() if parameter.required and name not in given]
    if absent:
        problems.append(
            (
                ERROR,
                f"{path} lacks {', '.join(absent)}, which {signature.owner} requires",
                block,
                f"add {', '.join(absent if python else map(camel, absent))}",
            )
        )
    return problems


def _literal(check: Check, value: ast.expr) -> ast.expr:
    """The literal a name stands for when the module assigns it exactly once."""
    if isinstance(value, ast.Name):
        assigned = check.assigned.get(value.id, [])
        if len(assigned) == 1 and literal_kind(assigned[0]) is not None:
            return assigned[0]
    return value
