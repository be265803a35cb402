"""A failed synth's output read in the user's terms: which resource, which argument, where
in the project's code, what shape it takes and what was given.

The app's output (synth.Failed.log) ends with Python's traceback. jsii's errors name the
JavaScript class and the camelCase key path of the value it could not deserialize
(`Key 'corsRule'`, `Index 0`); the traceback's innermost frame in the project says where
the call is. explain() turns both into one line, a location and a fix; what it does not
recognise keeps the exception's own words. Only the standard library: it reads text.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from tap_template.bindings import closest, parameters_in, snake
from tap_template.modules import called_name

# jsii prints Node's deprecation banner as Python bytes (b'!!  Node 20 is end-of-life ...').
BANNER = re.compile(r"""^b['"]!!.*['"]$""")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACEBACK = "Traceback (most recent call last):"
FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<function>.+))?$')
EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::[ \t]?(?P<text>.*))?$")
# Folders of installed code, not the project's own (a virtualenv inside the project).
INSTALLED = {"site-packages", "dist-packages", "node_modules", ".venv", "venv", "cdktf.out"}
TREE_GLYPHS = "│├╰└─ \t"
# jsii: `Passed to parameter config of new @cdktf/provider-aws.s3Bucket.S3Bucket: Unable to ...`
PASSED = re.compile(
    r"^Passed to parameter (?P<parameter>\w+) of (?:new |method |static method )?(?P<fqn>\S+?): (?P<reason>.*)$"
)
UNABLE = re.compile(r"^(?:\[as (?P<as>.+?)\] )?(?:(?P<step>Key '(?P<key>[^']*)'|Index (?P<index>\d+)): )?(?P<text>.*)$")
DESERIALIZE = re.compile(r"^Unable to deserialize value as (?P<types>.+)$")
# typeguard 2: `type of argument cors_rule must be one of (A, B, NoneType); got dict instead`
TYPEGUARD_2 = re.compile(
    r"^type of (?:argument )?(?P<argument>[\w.\[\]\"']+) must be (?P<expected>.+); got (?P<got>.+) instead$"
)
# typeguard 3 and 4 name no argument; the binding's check_type call in the traceback does.
CHECK_TYPE_CALL = re.compile(r'check_type\(argname="argument (?P<argument>\w+)"')
UNEXPECTED = re.compile(r"^(?P<cls>\w+)\.__init__\(\) got an unexpected keyword argument '(?P<argument>\w+)'$")
MISSING = re.compile(
    r"^(?P<cls>\w+)\.__init__\(\) missing \d+ required (?:keyword-only |positional )?arguments?: (?P<names>.+)$"
)
POSITIONAL = re.compile(
    r"^(?P<cls>\w+)\.__init__\(\) takes (?P<takes>\d+) positional arguments? but (?P<given>\d+) (?:was|were) given$"
)
CANNOT_IMPORT = re.compile(r"^cannot import name '(?P<name>[\w.]+)' from '(?P<module>[\w.]+)'(?: \((?P<file>[^)]+)\))?")
NO_MODULE = re.compile(r"^No module named '(?P<module>[\w.]+)'")
VALIDATION = "Validation failed with the following errors:"
VALIDATION_ERROR = re.compile(r"^\s*\[(?P<path>[^\]]+)\] (?P<text>.+)$")
NO_PROVIDER = re.compile(
    r"Found resources without a matching provider construct.*following providers: (?P<providers>.+)$"
)
FIX_ABOVE = "fix the error above, then run again"


@dataclass
class Frame:
    file: str  # as the traceback names it
    line: int
    function: str
    source: str  # the line of code the traceback shows ("" when it shows none)


@dataclass
class PythonError:
    frames: list[Frame]
    type: str  # the exception's class, qualified as Python prints it
    text: str  # its message, every line of it


@dataclass
class Explanation:
    summary: str  # one line, in the user's terms
    location: str | None  # file:line in the project, None when no frame is in it
    hint: str


def clean(log: str) -> list[str]:
    """The output's lines without colours and jsii's Node version banner."""
    return [line for line in ANSI.sub("", log).splitlines() if not BANNER.match(line.strip())]


def last_exception(lines: list[str]) -> PythonError | None:
    """The last traceback in the output: its frames and the exception that ends it."""
    starts = [number for number, line in enumerate(lines) if line.strip() == TRACEBACK]
    if not starts:
        return None
    frames: list[Frame] = []
    rest = iter(lines[starts[-1] + 1 :])
    for line in rest:
        if (match := FRAME.match(line)) is not None:
            frames.append(Frame(match["file"], int(match["line"]), match["function"] or "", ""))
        elif line.startswith("    ") or not line.strip():
            if frames and not frames[-1].source and line.strip() and set(line.strip()) - set("^~ "):
                frames[-1].source = line.strip()
        else:
            match = EXCEPTION.match(line)
            if match is None:
                return None
            text = [match["text"] or ""]
            for following in rest:  # jsii's tree and typeguard's union lines are indented
                if not following.strip() or not (following[0].isspace() or following[0] in TREE_GLYPHS):
                    break
                text.append(following)
            return PythonError(frames, match["type"], "\n".join(text).strip())
    return None


def project_frame(frames: list[Frame], project: Path) -> tuple[Frame, Path, str] | None:
    """The innermost frame in the project's own code: the frame, its file and its file:line."""
    root = project.resolve()
    for frame in reversed(frames):
        path = Path(frame.file)
        path = (path if path.is_absolute() else root / path).resolve()
        try:
            relative = path.relative_to(root)
        except ValueError:
            continue
        if not INSTALLED & set(relative.parts) and path.suffix == ".py":
            return frame, path, f"{relative.as_posix()}:{frame.line}"
    return None


def called_at(path: Path, line: int, cls: str | None = None, argument: str | None = None) -> str | None:
    """The class the call at `line` of the file creates, as the code names it: the one named
    `cls`, or the one passed `argument`, else the outermost capitalised call starting there."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or node.lineno)
    ]
    calls.sort(key=lambda node: (node.lineno != line, (node.end_lineno or node.lineno) - node.lineno))
    names = [called_name(node.func) for node in calls]
    if cls is not None and cls in names:
        return cls
    if argument is not None:
        for node, name in zip(calls, names, strict=True):
            if any(keyword.arg == argument for keyword in node.keywords):
                return name
    capitalised = [name for node, name in zip(calls, names, strict=True) if name[:1].isupper() and node.lineno == line]
    return capitalised[0] if capitalised else cls


def short(type_name: str) -> str:
    """@cdktf/provider-aws.s3Bucket.S3BucketCorsRule -> S3BucketCorsRule; cdktf_..s3_bucket.X -> X."""
    return type_name.strip().rsplit(".", 1)[-1].rstrip(">")


def jsii_shape(type_name: str) -> tuple[str, str]:
    """What jsii's type asks for, in Python words, and its kind: list, block, bool, str, number, dict."""
    type_name = type_name.strip()
    if type_name.startswith("array<"):
        item = type_name[len("array<") : -1]
        if "." in item:
            return f"a list of blocks ({short(item)})", "list"
        return f"a list of {jsii_shape(item)[0].removeprefix('a ').removeprefix('an ')}s", "list"
    if type_name.startswith("map<"):
        return "a dict", "dict"
    simple = {
        "boolean": ("a boolean (True or False)", "bool"),
        "string": ("a string", "str"),
        "number": ("a number", "number"),
        "date": ("a datetime", "date"),
        "any": ("any value", "any"),
        "json": ("a JSON value (a dict)", "dict"),
    }
    if type_name in simple:
        return simple[type_name]
    return f"one block ({short(type_name)}, or a dict)", "block"


def given_value(kind: str, shown: str) -> tuple[str, str]:
    """What the app passed, from jsii's `Failing value is an object` and the value it shows."""
    if "$jsii.map" in shown:
        return "a dict", "dict"
    if "$jsii.struct" in shown:
        return "a block (a struct)", "block"
    if "$jsii.byref" in shown:
        return "an object (a construct or a resource)", "object"
    if kind == "an array":
        return "a list", "list"
    if kind == "a string":
        return f"the string {shown}" if shown else "a string", "str"
    if kind == "a number":
        return f"the number {shown}" if shown else "a number", "number"
    if kind == "a boolean":
        return f"the boolean {shown}" if shown else "a boolean", "bool"
    return kind or "another value", kind


def shape_hint(path: str, expected: str, given: str, shown: str) -> str:
    """The concrete fix for a value of the wrong shape."""
    name = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    nested = "." in path or "[" in path  # a key of a dict the app passes, not an argument
    if expected == "list" and given in ("dict", "block"):
        wrapped = f'"{name}": [{{...}}]' if nested else f"{name}=[{{...}}]"
        return f"wrap it in [ ]: {wrapped}, a list even for one block"
    if expected == "block" and given == "list":
        return f"pass one block, not a list: drop the [ ] around {name}"
    if expected == "bool" and given == "str":
        literal = "True" if shown.strip("'\"").lower() in ("true", "yes", "1", "on") else "False"
        return f"pass {literal} (a Python boolean), not the string {shown}"
    if expected == "number" and given == "str":
        return f"pass a number, not the string {shown} (int(...) when it comes as text)"
    if expected == "str" and given in ("number", "bool"):
        return "pass a string: quote it, or str(...)"
    if expected in ("dict", "block") and given == "str":
        return f"pass a dict for {name}, not a string"
    return f"pass {path} in the shape it takes"


@dataclass
class Reason:
    column: int
    parent: "Reason | None"
    step: str  # "Key 'x'" or "Index 0" or ""
    key: str | None
    index: str | None
    as_type: str | None  # the union member this reason tried ([as ...])
    text: str
    failing: str = ""  # `Failing value is ...`: "an object", "a string"
    shown: str = ""  # the value jsii shows under it


def jsii_reasons(text: str) -> list[Reason]:
    """jsii's tree of deserialization failures, each reason with its parent (by indentation)."""
    lines = text.splitlines()
    root = Reason(-1, None, "", None, None, None, lines[0] if lines else "")
    reasons = [root]
    last = root
    expecting_value = None
    for line in lines[1:]:
        content = line.lstrip(TREE_GLYPHS)
        column = len(line) - len(content)
        if content.startswith("🛑"):
            last.failing = content.removeprefix("🛑").strip().removeprefix("Failing value is").strip()
            expecting_value = last
        elif content.startswith("🔍"):
            expecting_value = None
        elif re.match(r"^[\s│]*[├╰└]─ ", line):
            match = UNABLE.match(content)
            parent = next(reason for reason in reversed(reasons) if reason.column < column)
            last = Reason(column, parent, match["step"] or "", match["key"], match["index"], match["as"], match["text"])
            reasons.append(last)
            expecting_value = None
        elif expecting_value is not None and content.strip():
            expecting_value.shown = content.strip()
            expecting_value = None
    return reasons


def jsii_path(reason: Reason) -> str:
    """The Python argument path of a reason: cors_rule, rule[0].expiration."""
    steps = []
    while reason is not None:
        if reason.key is not None:
            steps.append(("key", snake(reason.key)))
        elif reason.index is not None:
            steps.append(("index", reason.index))
        reason = reason.parent
    path = ""
    for kind, step in reversed(steps):
        path += f"[{step}]" if kind == "index" else (f".{step}" if path else step)
    return path


def explain_jsii(error: PythonError, at: str) -> tuple[str, str] | None:
    """jsii's `Passed to parameter config of new X: Unable to deserialize ...`: the argument
    path, the shape it takes and what was given."""
    first, _, _ = error.text.partition("\n")
    match = PASSED.match(first.strip())
    if match is None:
        return None
    reasons = jsii_reasons(error.text)
    leaves = [
        reason
        for reason in reasons[1:]
        if reason.key is None
        and reason.index is None
        and not (reason.as_type or "").startswith("cdktf.IResolvable")
        and "$jsii.byref" not in reason.text
    ]
    if not leaves:
        return f"{at}: {first.strip()}", FIX_ABOVE

    def depth(reason: Reason) -> int:
        return 0 if reason.parent is None else 1 + depth(reason.parent)

    leaf = max(leaves, key=depth)  # the first of the deepest
    holder = leaf.parent or reasons[0]  # the value that failed: its Key or Index
    path = jsii_path(leaf)
    if leaf.as_type:
        expected, expected_kind = jsii_shape(leaf.as_type)
    else:
        types = DESERIALIZE.match(holder.text)
        members = [
            member.strip()
            for member in (types["types"].split("|") if types else [])
            if member.strip() not in ("undefined", "cdktf.IResolvable")
        ]
        expected, expected_kind = jsii_shape(members[0]) if len(members) == 1 else (leaf.text, "")
    given, given_kind = given_value(holder.failing, holder.shown)
    if not path:  # the parameter itself, not one of its keys
        return f"{at}: its {match['parameter']} takes {expected}, got {given} ({leaf.text})", FIX_ABOVE
    if not leaf.as_type and leaf.text and not expected_kind:  # e.g. a missing required key
        return f"{at}: {path}: {leaf.text}", FIX_ABOVE
    summary = f"{at}: {path} takes {expected}, got {given}"
    return summary, shape_hint(path, expected_kind, given_kind, holder.shown)


def typeguard_shape(expected: str) -> tuple[str, str]:
    """typeguard's expected type in Python words: `one of (X, Dict[str, Any], NoneType)`."""
    text = expected.removeprefix("one of ").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    members = [member.strip() for member in re.split(r",\s*(?![^\[]*\])", text) if member.strip()]
    members = [member for member in members if member not in ("NoneType", "None")]
    names = [short(member) for member in members if not re.match(r"^(Dict|Mapping|typing\.)", member)]
    if any(re.match(r"^(typing\.)?(Sequence|List)\[", member) for member in members):
        inner = [short(re.sub(r"^.*?\[(Union\[)?", "", member).split(",")[0]) for member in members if "[" in member]
        return f"a list of blocks ({inner[0]})" if inner else "a list", "list"
    if "bool" in names:
        return "a boolean (True or False)", "bool"
    if "str" in names:
        return "a string", "str"
    if set(names) & {"int", "float", "Number"}:
        return "a number", "number"
    if names:
        return f"one block ({names[0]}, or a dict)", "block"
    return expected, ""


def typeguard_given(got: str) -> tuple[str, str]:
    kinds = {
        "list": ("a list", "list"),
        "tuple": ("a tuple", "list"),
        "dict": ("a dict", "dict"),
        "str": ("a string", "str"),
        "int": ("a number", "number"),
        "float": ("a number", "number"),
        "bool": ("a boolean", "bool"),
    }
    return kinds.get(got.strip(), (got.strip(), got.strip()))


def explain_typeguard(error: PythonError, lines: list[str]) -> tuple[str, str, str] | None:
    """The binding's type check (typeguard) of one argument: the argument, the summary's
    end (what it takes, what it got) and the fix."""
    first = error.text.splitlines()[0] if error.text else ""
    if (match := TYPEGUARD_2.match(first)) is not None:
        argument = match["argument"]
        expected, expected_kind = typeguard_shape(match["expected"])
        given, given_kind = typeguard_given(match["got"].split(".")[-1])
    elif error.type.endswith("TypeCheckError"):
        calls = [found for line in lines if (found := CHECK_TYPE_CALL.search(line))]
        if not calls:
            return None
        argument = calls[-1]["argument"]
        got = re.match(r"^(?P<got>[\w.]+) ", first)
        given, given_kind = typeguard_given(got["got"].split(".")[-1] if got else "another value")
        expected, expected_kind = first, ""
        union = [line.strip() for line in error.text.splitlines()[1:] if ":" in line]
        if union:
            expected, expected_kind = typeguard_shape(
                "one of (" + ", ".join(line.split(":")[0] for line in union) + ")"
            )
        elif (instance := re.search(r"is not (?:an instance of |a |an )(?P<type>[\w.\[\], ]+)", first)) is not None:
            expected, expected_kind = typeguard_shape(instance["type"])
    else:
        return None
    return argument, f"{argument} takes {expected}, got {given}", shape_hint(argument, expected_kind, given_kind, "")


def imported_from(path: Path, name: str) -> str | None:
    """The module the file imports `name` from."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.level == 0
            and any((alias.asname or alias.name) == name for alias in node.names)
        ):
            return node.module
    return None


def module_names(file: Path) -> list[str]:
    """The names a module defines at its top level, read from its source."""
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return []
    names = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
    return names


def installed_folders(frames: list[Frame]) -> list[Path]:
    """The site-packages folders the traceback passes through: where the bindings are."""
    folders = []
    for frame in frames:
        parts = Path(frame.file).parts
        for number, part in enumerate(parts):
            if part in ("site-packages", "dist-packages") and Path(*parts[: number + 1]) not in folders:
                folders.append(Path(*parts[: number + 1]))
    return folders


def explain_python(error: PythonError, frame, project: Path) -> tuple[str, str]:
    """A Python exception: the binding's argument errors in the class's terms, else its own words."""
    frame_found, path, location = frame if frame is not None else (None, None, None)
    first = error.text.splitlines()[0] if error.text else ""
    source = frame_found.source if frame_found is not None else ""
    site_packages = installed_folders(error.frames)
    where = f" at {location}" if location else ""

    if (match := UNEXPECTED.match(first)) is not None:
        cls, argument = match["cls"], match["argument"]
        call = f"{called_at(path, frame_found.line, cls) or cls}(...)" if path else f"{cls}(...)"
        summary = f"{call}{where}: {cls} takes no argument {argument}"
        module = imported_from(path, cls) if path else None
        found = (parameters_in(folder, module, cls) for folder in site_packages) if module else ()
        parameters = next((names for names in found if names), [])
        if snake(argument) != argument and (not parameters or snake(argument) in parameters):
            hint = f"use the snake_case name the Python binding takes: {snake(argument)}=..."
        elif parameters and (near := closest(argument, parameters)):
            hint = f"did you mean {near}? {cls} takes: {', '.join(p for p in parameters if p not in ('scope', 'id_'))}"
        elif parameters:
            hint = f"remove {argument}: {cls} takes {', '.join(p for p in parameters if p not in ('scope', 'id_'))}"
        else:
            hint = f"remove {argument}, or name it as {cls}'s binding does"
        return summary, hint
    if (match := MISSING.match(first)) is not None:
        cls = match["cls"]
        names = re.findall(r"'(\w+)'", match["names"])
        call = f"{called_at(path, frame_found.line, cls) or cls}(...)" if path else f"{cls}(...)"
        summary = f"{call}{where}: the required argument{'s' if len(names) > 1 else ''} {', '.join(names)} missing"
        summary = summary.replace(" missing", " is missing" if len(names) == 1 else " are missing")
        return summary, "pass " + ", ".join(f"{name}=..." for name in names)
    if (match := POSITIONAL.match(first)) is not None:
        cls = match["cls"]
        call = f"{called_at(path, frame_found.line, cls) or cls}(...)" if path else f"{cls}(...)"
        return (
            f"{call}{where}: {cls} takes {int(match['takes']) - 1} positional arguments, got {int(match['given']) - 1}",
            "pass scope and id positionally, every other argument by name (name=value)",
        )
    if (match := CANNOT_IMPORT.match(first)) is not None:
        names = module_names(Path(match["file"])) if match["file"] else []
        near = closest(match["name"], [name for name in names if not name.startswith("_")])
        hint = f"did you mean {near}?" if near else f"import a name {match['module']} defines"
        return f"{location or 'the app'} imports {match['name']} from {match['module']}, which has no such name", hint
    if (match := NO_MODULE.match(first)) is not None:
        missing = match["module"]
        statement = re.match(r"^(?:from\s+(?P<from>[\w.]+)\s+import|import\s+(?P<import>[\w.]+))", source)
        imported = (statement["from"] or statement["import"]) if statement else missing
        said = f"imports {missing}, which is not installed or not on the path"
        if imported != missing and imported.startswith(f"{missing}."):
            said = f"imports {imported}, but there is no module {missing} (not installed, or not on the path)"
        return (
            f"{location or 'the app'} {said}",
            "install it (the project's dependencies), or fix the import's path",
        )
    if VALIDATION in error.text:
        errors = [match for line in error.text.splitlines() if (match := VALIDATION_ERROR.match(line))]
        hint = FIX_ABOVE
        if errors and (missing := NO_PROVIDER.search(errors[0]["text"])) is not None:
            providers = missing["providers"].strip().rstrip(".")
            said = f"stack {errors[0]['path']} creates resources of the {providers} provider but no provider construct"
            hint = "create the provider in that stack (AwsProvider(self, ...) for aws), not only in another stack"
        else:
            said = f"{errors[0]['path']}: {errors[0]['text']}" if errors else first
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"cdktf's validation failed{where}: {said}{more}", hint
    kind = error.type.rsplit(".", 1)[-1]
    summary = f"{kind}{where}: {first}" if first else f"{kind}{where}"
    if frame_found is not None and frame_found.source:
        summary += f" (in `{frame_found.source}`)"
    hint = FIX_ABOVE
    if kind == "AttributeError" and first.startswith("'str' object has no attribute"):
        hint = "a resource's attributes are tokens (strings until deploy): use them whole, or cdktf's Fn functions"
    return summary, hint


def explain(log: str, project: Path) -> Explanation | None:
    """The failure the app's output ends with, in the user's terms; None when it ends with no
    Python exception (the caller keeps the output's end)."""
    lines = clean(log)
    error = last_exception(lines)
    if error is None:
        return None
    frame = project_frame(error.frames, project)
    location = frame[2] if frame else None
    explained = None
    first = error.text.splitlines()[0] if error.text else ""
    if (passed := PASSED.match(first.strip())) is not None:
        cls = short(passed["fqn"].split("#")[0])
        call = (called_at(frame[1], frame[0].line, cls) if frame else None) or cls
        explained = explain_jsii(error, f"{call}(...)" + (f" at {location}" if location else ""))
    elif (checked := explain_typeguard(error, lines)) is not None:
        argument, what, hint = checked
        call = called_at(frame[1], frame[0].line, argument=argument) if frame else None
        at = (f"{call}(...)" if call else "a call") + (f" at {location}" if location else "")
        explained = (f"{at}: {what}", hint)
    if explained is None:
        explained = explain_python(error, frame, project)
    summary, hint = explained
    return Explanation(summary, location, hint)
