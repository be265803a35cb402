"""How the app finds its modules, read from the sources and never run.

`cdktf synth` runs cdktf.json's `app` through a shell in the project folder; Python puts
the script's folder first on sys.path (the working directory for `python -m`), then
PYTHONPATH, then what the code appends to sys.path. A module the app imports is found
there as Python's path finder finds it: a regular package (a folder with __init__.py), a
module (name.py), or the portions of a namespace package (folders without __init__.py).
The modules reached from the app's script are the ones the synth imports; a rule that
says "the synth fails" looks only at those.
"""

import ast
import difflib
import functools
import importlib.machinery
import os
import re
import shlex
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Folders that hold no source of the project's own.
NOT_SOURCES = {".venv", "venv", ".git", "cdktf.out", ".gen", "imports", "node_modules", "__pycache__"}
# Larger Python files are not read: generated code or data (parsing 5 MB takes Python
# about 7 s and 600 MB).
LARGEST_SOURCE_BYTES = 1_000_000
# Syntax that Python 3.12 reads and 3.11 does not: f-strings that nest quotes, backslashes
# or comments (PEP 701), type parameters and `type` statements (PEP 695).
NEWER_SYNTAX = re.compile(r"\b[rRbB]?[fF][rR]?[\"']|^\s*type\s+\w+.*=|^\s*(def|class)\s+\w+\[")
# How many times the walk through the app's imports starts again for a longer sys.path.
LONGEST_PATH_CHANGES = 5
# How deep the static evaluation of an expression goes before it gives up.
DEEPEST_EXPRESSION = 40
# Modules Python finds besides source files: extension modules and bytecode.
COMPILED_SUFFIXES = (*importlib.machinery.EXTENSION_SUFFIXES, *importlib.machinery.BYTECODE_SUFFIXES)
# How many of the project's modules or names a message offers instead of a missing one.
CLOSEST = 3
# Code that may bind a module's names where its statements do not show them.
DYNAMIC_NAMES = {"globals", "vars", "locals", "exec", "eval", "setattr", "__import__"}


@dataclass
class Source:
    """A Python file of the project: its syntax tree, or why there is none: `problem` when
    Python cannot read or compile it, `skipped` when the doctor does not read it."""

    path: Path
    tree: ast.Module | None
    problem: str | None = None
    skipped: str | None = None
    newer_python: bool = False  # the problem may be syntax that a newer Python reads


def source_files(project: Path) -> Iterator[Path]:
    """The project's .py files, outside NOT_SOURCES and hidden folders, never through a
    symlinked folder (a loop would never end)."""
    for folder, subfolders, files in os.walk(project):
        subfolders[:] = sorted(name for name in subfolders if name not in NOT_SOURCES and not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(folder) / name


def is_file(path: Path) -> bool:
    """Path.is_file, and False where the system refuses the name (longer than it allows)."""
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """Path.is_dir, and False where the system refuses the name."""
    try:
        return path.is_dir()
    except OSError:
        return False


def read_source(path: Path) -> Source:
    """The file parsed as Python parses it: bytes, so that a coding cookie is honoured."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
            return Source(path, None, skipped="it is not a regular file")
        if status.st_size > LARGEST_SOURCE_BYTES:
            return Source(path, None, skipped=f"it is larger than {LARGEST_SOURCE_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except OSError as error:  # a dangling symlink, a symlink loop, no permission
        return Source(path, None, f"it cannot be read ({error.strerror or error})")
    try:
        return Source(path, ast.parse(data, filename=str(path)))
    except SyntaxError as error:
        line = f" (line {error.lineno})" if error.lineno else ""
        text = data.splitlines()[error.lineno - 1].decode(errors="replace") if error.lineno else ""
        newer = sys.version_info < (3, 12) and bool(NEWER_SYNTAX.search(text) or "f-string" in str(error.msg))
        return Source(path, None, f"Python cannot compile it: {error.msg}{line}", newer_python=newer)
    except (ValueError, UnicodeDecodeError) as error:  # null bytes, a wrong encoding
        return Source(path, None, f"Python cannot compile it: {error}")
    except (RecursionError, MemoryError):
        return Source(path, None, "Python cannot compile it: its expressions are nested too deeply")


@dataclass
class AppCommand:
    """What cdktf.json's `app` runs: a script (or `-m module`), and PYTHONPATH set before it."""

    script: Path | None  # relative to the project
    module: str | None
    pythonpath: list[str]
    folder: Path = Path()  # where it runs, relative to the project (`cd lib && ...`)


def parse_app(app: str, dotenv: dict[str, str] | None = None) -> AppCommand | None:
    """The Python script or module an app command runs; None when it names neither. The
    command may set variables (`PYTHONPATH=. python3 tap.py`, `env ...`, `export ...`, and
    `dotenv`, the .env file pipenv loads) and change folder first (`cd lib && python
    main.py`). $PWD is the project folder; a script named through any other variable is
    not known (a command without script or module)."""
    try:
        lexer = shlex.shlex(app, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        return None
    folder, command, variables = Path(), [], dict(dotenv or {})
    for word in [*words, ";"]:
        if word.strip(";&|"):
            command.append(re.sub(r"\$\{?PWD\}?|\$\(pwd\)", ".", word))
            continue
        if len(command) == 2 and command[0] == "cd":
            folder = folder / command[1]
        elif command[:1] == ["export"]:
            variables.update(_assignments(command[1:])[0])
        elif parsed := _python_command(command, folder, variables):
            return parsed
        command = []
    return None


def _assignments(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """The leading `NAME=value` words of a command (after `env`), and the words after them."""
    words = words[1:] if words[:1] == ["env"] else words
    assigned = {}
    while words and (assignment := words[0].partition("="))[1] and assignment[0].isidentifier():
        assigned[assignment[0]] = assignment[2]
        words = words[1:]
    return assigned, words


def _python_command(words: list[str], folder: Path, variables: dict[str, str]) -> AppCommand | None:
    assigned, words = _assignments(words)
    pythonpath = {**variables, **assigned}.get("PYTHONPATH", "")
    entries = [str(folder / entry) for entry in pythonpath.split(os.pathsep) if entry and "$" not in entry]
    for index, word in enumerate(words):
        if word == "-m" and index + 1 < len(words):
            return AppCommand(None, words[index + 1], entries, folder)
        if word.endswith(".py"):
            script = None if "$" in word else folder / word
            return AppCommand(script, None, entries, folder)
    return None


@dataclass
class Found:
    """Where an import lands in the project: a module or package file, or a namespace's folders."""

    file: Path | None  # name.py or package/__init__.py
    folders: list[Path] = field(default_factory=list)  # a package's folders (several for a namespace)


# What an unresolved import lacks: its top-level module is off the app's path, a package of
# the project lacks its submodule (a regular one, or a namespace package), the project does
# not hold its top-level name at all, or its module does not bind the name imported from it.
OFF_PATH, SUBMODULE, NAMESPACE, NOWHERE, NAME = "off-path", "submodule", "namespace", "nowhere", "name"


@dataclass
class Unresolved:
    """An import of the app that Python cannot resolve, with why."""

    source: Path
    node: ast.AST
    module: str  # the module it imports ("" when a relative import has none)
    reason: str
    kind: str = OFF_PATH


class App:
    """The app as Python runs it: its search path and the modules it imports from the project.

    `complete` is False when the code changes sys.path in a way the sources do not show,
    or the project installs itself (then an import that is not found may still be found at
    run time).
    """

    def __init__(self, project: Path, sources: dict[Path, Source], command: AppCommand, complete: bool = True) -> None:
        self.project = project
        self.sources = sources
        self.entry = project / command.script if command.script else None
        self.folder = project / command.folder  # where the app runs
        # Python puts the script's folder first on sys.path; with -m, the working folder.
        start = self.entry.parent if self.entry else self.folder
        self.path = [start, *(project / entry for entry in command.pythonpath)]
        self.complete = complete
        # A folder the code adds to sys.path late in the walk may hold modules imported
        # earlier: walk again until the path stops growing.
        for _ in range(LONGEST_PATH_CHANGES):
            path = list(self.path)
            self.modules: dict[Path, str] = {}  # file -> the name it is imported as
            self.unresolved: list[Unresolved] = []
            self.not_found: list[tuple[Path, ast.AST, str]] = []  # imports not found in the project
            # `from module import name` of the project's modules: (file, statement, module, name)
            self.from_names: list[tuple[Path, ast.ImportFrom, str, str]] = []
            self.loads: list[tuple[Path, list[Path]]] = []  # a file, and the files it imports unguarded
            if self.entry is not None:
                self.modules[self.entry] = "__main__"
            elif command.module:
                self._import(command.module)
            self.start = list(self.modules)
            self._follow()
            if self.path == path:
                break
        for importer, node, dotted in self.not_found:
            self._missing(importer, node, dotted)
        for importer, node, dotted, name in self.from_names:
            self._missing_name(importer, node, dotted, name)

    def reached(self) -> list[Path]:
        """The files the app imports (its script first)."""
        return list(self.modules)

    def find(self, dotted: str) -> Found | None:
        """The project file or folders of a module name, as the path finder looks it up."""
        first, *rest = dotted.split(".")
        found = _find_in(first, self.path)
        for part in rest:
            if found is None or not found.folders:
                return None
            found = _find_in(part, found.folders)
        return found

    def _import(self, dotted: str, loaded: list[Path] | None = None) -> Found | None:
        """Import `dotted` (and each package above it): its files join the app's modules,
        and `loaded`."""
        found = None
        parts = dotted.split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            found = self.find(name)
            if found is None:
                return None
            if found.file is not None and found.file in self.sources:
                self.modules.setdefault(found.file, name)
                if loaded is not None:
                    loaded.append(found.file)
        return found

    def required(self) -> set[Path]:
        """The app's files that an import no failure can skip loads: not only behind a
        guarded import (try/except ImportError, a platform test)."""
        required, pending = set(), list(self.start)
        while pending:
            path = pending.pop()
            if path not in required:
                required.add(path)
                pending += [file for importer, files in self.loads if importer == path for file in files]
        return required

    def _follow(self) -> None:
        queue = list(self.modules)
        seen: set[Path] = set()
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            source = self.sources.get(path)
            if source is None or source.tree is None:
                continue
            self._read_path_changes(path, source.tree)
            for node, guarded in imports(source.tree, main=path == self.entry):
                for target in self._targets(path, node, guarded):
                    if target not in seen:
                        queue.append(target)

    def _targets(self, path: Path, node: ast.Import | ast.ImportFrom, guarded: bool) -> list[Path]:
        """The project files an import statement loads; records the ones that fail."""
        before = set(self.modules)
        if isinstance(node, ast.ImportFrom) and node.level:
            name = self._absolute(path, node)
            if name is None:
                return []
            modules = [name]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            modules = [alias.name for alias in node.names]
        loaded: list[Path] = []
        for dotted in modules:
            found = self._import(dotted, loaded)
            if found is None and not guarded:
                self.not_found.append((path, node, dotted))
            elif found is not None and isinstance(node, ast.ImportFrom):
                for alias in node.names:  # `from package import submodule`
                    if alias.name == "*":
                        continue
                    if found.folders:
                        self._import(f"{dotted}.{alias.name}", loaded)
                    if not guarded:
                        self.from_names.append((path, node, dotted, alias.name))
        if not guarded:
            self.loads.append((path, loaded))
        return [file for file in self.modules if file not in before]

    def _absolute(self, path: Path, node: ast.ImportFrom) -> str | None:
        """The absolute name of a relative import, or None (recorded) when there is none."""
        name = self.imported_module(path, node)
        if name is None:
            importer = self.modules.get(path, "")
            package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
            reason = (
                "a relative import beyond the top-level package"
                if package and importer != "__main__"
                else "a relative import in a module that is not imported as part of a package"
            )
            self.unresolved.append(Unresolved(path, node, "", reason))
        return name

    def imported_module(self, path: Path, node: ast.ImportFrom) -> str | None:
        """The absolute name of the module a `from ... import` in `path` imports from; None
        for a relative import that has no package to be relative to."""
        if not node.level:
            return node.module
        importer = self.modules.get(path, "")
        package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
        parts = package.split(".") if package and importer != "__main__" else []
        if node.level > len(parts):
            return None
        base = ".".join(parts[: len(parts) - node.level + 1])
        return f"{base}.{node.module}" if node.module else base

    def _missing(self, path: Path, node: ast.AST, dotted: str) -> None:
        """An import not found in the project: a failure where the project holds its
        top-level package (regular, or a namespace package: check_imports keeps the claim
        only where no installed package of that name may take its place), or holds it off
        the app's path, or holds a module of its last name elsewhere (a dependency is found
        in site-packages)."""
        if not self.complete:
            return
        first = dotted.split(".")[0]
        inside = self.find(first)
        if inside is not None:
            # A regular package of the project lacks the submodule, unless its __init__
            # changes its __path__. A namespace package lacks it in all its folders.
            if inside.file is None or not _may_extend_path(inside, self.sources):
                kind = NAMESPACE if inside.file is None else SUBMODULE
                reason = self._no_module(dotted) + (self._defined_elsewhere(node) if kind == NAMESPACE else "")
                self.unresolved.append(Unresolved(path, node, dotted, reason, kind))
            return
        elsewhere = self._folders_holding(first)
        on_path = ", ".join(_shown(folder, self.project) for folder in self.path)
        if elsewhere:
            self.unresolved.append(
                Unresolved(
                    path,
                    node,
                    dotted,
                    f"`{first}` is in {' and '.join(_shown(folder, self.project) for folder in elsewhere)}, "
                    f"which is not on the app's path ({on_path})",
                )
            )
            return
        # The project has no `first` anywhere: a failure only where it holds the module
        # under another package (lib.tap_stack, and tap_stack.py at the top or in stacks/).
        # (`from lib import tap_stack` names the module it looks for as the imported name.)
        last = dotted.rpartition(".")[2] if "." in dotted else None
        names = [alias.name for alias in node.names] if isinstance(node, ast.ImportFrom) else []
        held = [module for module in self._modules_named(last) if module.stem == last] if last else []
        held += [module for name in names for module in self._modules_named(name) if module.stem == name]
        held = list(dict.fromkeys(module for module in held if not _is_test_file(self.project, module)))
        if held:
            self.unresolved.append(
                Unresolved(
                    path,
                    node,
                    dotted,
                    f"the project has no `{first}` anywhere (the app's path is {on_path}); "
                    f"it has {_listed(_shown_file(module, self.project) for module in held)}"
                    + self._defined_elsewhere(node),
                    NOWHERE,
                )
            )

    def _no_module(self, dotted: str) -> str:
        """Why `dotted`, in one of the project's packages, is not found (the first of its
        levels that is missing), and the closest modules the project has."""
        parts = dotted.split(".")
        depth = next(depth for depth in range(1, len(parts) + 1) if self.find(".".join(parts[:depth])) is None)
        parent, last = ".".join(parts[: depth - 1]), parts[depth - 1]
        package = self.find(parent)
        folders = package.folders if package else []
        shown = " and ".join(_shown(folder, self.project) for folder in folders) or parent
        namespace = " (a namespace package: a folder without __init__.py)" if package and not package.file else ""
        if package and package.file is not None and not package.folders:
            module = _shown_file(package.file, self.project)
            reason = f"the project has no module {dotted}: {parent} is the module {module}, not a package"
        else:
            reason = f"the project has no module {dotted}: {shown}{namespace} holds no {last}.py or {last}/"
        closest = self._closest_modules(folders, last)
        if not closest and folders and not any(self._modules_in(folder) for folder in folders):
            return f"{reason}, nor any other Python module"
        return f"{reason}; it has {_listed(closest)}" if closest else reason

    def _defined_elsewhere(self, node: ast.AST, besides: Path | None = None, name: str | None = None) -> str:
        """Where the project defines the classes and functions a `from ... import` names
        (or `name` alone), outside tests and `besides`, as the end of a message."""
        if not isinstance(node, ast.ImportFrom):
            return ""
        places = []
        for alias in node.names:
            if name is not None and alias.name != name:
                continue
            files = [
                _shown_file(path, self.project)
                for path, source in sorted(self.sources.items())
                if path != besides
                and source.tree is not None
                and not _is_test_file(self.project, path)
                and any(
                    isinstance(item, ast.ClassDef | ast.FunctionDef) and item.name == alias.name
                    for item in source.tree.body
                )
            ]
            if files:
                places.append(f"{alias.name} is defined in {_listed(files[:CLOSEST])}")
        return "".join(f"; {place}" for place in places)

    def _closest_modules(self, folders: list[Path], last: str) -> list[str]:
        """The project's modules closest to a missing one named `last` that was looked for in
        `folders`: the same name in another case or spelling, or a close one, in those
        folders; the same name in other folders; then close names anywhere; else what those
        folders hold."""
        local = {
            module: module.stem if module.suffix else module.name
            for folder in folders
            for module in self._modules_in(folder)
        }
        wanted = _spelling(last)
        near = [module for module, name in local.items() if _spelling(name) == wanted]
        close = difflib.get_close_matches(last, sorted(set(local.values())), CLOSEST, 0.6)
        near += [module for name in close for module, stem in local.items() if stem == name]
        near += self._modules_named(last)
        if not near:  # close names anywhere in the project, or else what the package holds
            everywhere = {
                module: module.stem
                for module in sorted(self.sources)
                if not _is_test_file(self.project, module) and module.name != "__init__.py"
            }
            close = difflib.get_close_matches(last, sorted(set(everywhere.values())), CLOSEST, 0.6)
            near = [module for name in close for module, stem in everywhere.items() if stem == name]
            near = near or [module for module in local if module.name != "__init__.py"]
        shown = list(dict.fromkeys(_shown_file(module, self.project) for module in near))
        return shown[:CLOSEST]

    def _modules_in(self, folder: Path) -> list[Path]:
        """The modules and packages a folder holds: its .py files, and its folders that hold
        Python files at any depth (the project's sources)."""
        held = set()
        for path in self.sources:
            if path.parent == folder:
                held.add(path)
            elif folder in path.parents:
                held.add(folder / path.relative_to(folder).parts[0])
        return sorted(held)

    def _modules_named(self, name: str) -> list[Path]:
        """The project's modules and packages named `name`, or so in another case or with
        other underscores (TapStack.py, tapstack.py for tap_stack), wherever they are."""
        wanted = _spelling(name)
        found = []
        for path in sorted(self.sources):
            module = path.parent if path.name == "__init__.py" else path
            stem = module.name if module.is_dir() or path.name == "__init__.py" else module.stem
            if _spelling(stem) == wanted and module not in found:
                found.append(module)
        return found

    def _ambiguous(self, dotted: str) -> bool:
        """Whether two folders of the app's path hold a module `dotted`: which one Python
        imports depends on the order of sys.path, which the code may change (insert(0, ...))."""
        first, *rest = dotted.split(".")
        files = set()
        for folder in self.path:
            found = _find_in(first, [folder])
            for part in rest:
                found = _find_in(part, found.folders) if found is not None and found.folders else None
            if found is not None and found.file is not None:
                files.add(found.file)
        return len(files) > 1

    def _missing_name(self, path: Path, node: ast.ImportFrom, dotted: str, name: str) -> None:
        """`from module import name` where the project's module binds no `name` and has no
        submodule `name`: ImportError. No claim where the module may bind names its
        statements do not show (`import *`, a module __getattr__, globals(), ...)."""
        if not self.complete:
            return
        found = self.find(dotted)
        if found is None or self.find(f"{dotted}.{name}") is not None:
            return
        if found.file is None:  # a namespace package binds only its submodules
            shown = " and ".join(_shown(folder, self.project) for folder in found.folders)
            closest = self._closest_modules(found.folders, name)
            reason = (
                f"cannot import name {name} from {dotted}: {shown} is a namespace package (a folder "
                f"without __init__.py), which defines no names, and holds no {name}.py or {name}/"
            )
            reason += f"; it has {_listed(closest)}" if closest else ""
            reason += self._defined_elsewhere(node, None, name)
            self.unresolved.append(Unresolved(path, node, dotted, reason, NAME))
            return
        source = self.sources.get(found.file)
        if source is None or source.tree is None or _may_extend_path(found, self.sources) or self._ambiguous(dotted):
            return
        bound = bound_names(source.tree)
        if bound is None or name in bound:
            return
        shown = _shown_file(found.file, self.project)
        reason = f"cannot import name {name} from {dotted}: {shown} does not define it"
        imported = _imported_names(source.tree)
        closest = _closest_names(name, bound, imported)
        if closest:
            reason += f"; it defines {_listed(closest)}"
        elif classes := sorted(item for item in imported if item[:1].isupper()):
            reason += f"; it defines no class of its own (it imports {_listed(classes[:CLOSEST])})"
        reason += self._defined_elsewhere(node, found.file, name)
        self.unresolved.append(Unresolved(path, node, dotted, reason, NAME))

    def _folders_holding(self, name: str) -> list[Path]:
        """The project folders that hold a module or package `name`."""
        return sorted(self._holders.get(name, ()))

    @functools.cached_property
    def _holders(self) -> dict[str, set[Path]]:
        """Each module or package name of the project, with the folders that hold it."""
        holders: dict[str, set[Path]] = {}
        for path in self.sources:
            parts = path.relative_to(self.project).parts
            holders.setdefault(path.stem, set()).add(path.parent)
            for depth, part in enumerate(parts[:-1]):
                holders.setdefault(part, set()).add(self.project.joinpath(*parts[:depth]))
        return holders

    def _read_path_changes(self, path: Path, tree: ast.Module) -> None:
        """The folders the app's code adds to sys.path (append, insert, extend, slices,
        +=, site.addsitedir) join the path; one the sources do not show makes the path
        incomplete."""
        added: list[ast.expr | None] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                function = ast.unparse(node.func)
                if function in {"sys.path.append", "sys.path.insert", "site.addsitedir"}:
                    added += node.args[-1:] or [None]
                elif function == "sys.path.extend":
                    added += _elements(node.args[0]) if node.args else [None]
            elif isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(ast.unparse(target).startswith("sys.path") for target in targets):
                    added += _elements(node.value)
        evaluator = PathEvaluator(self.project, path, tree, self.folder) if added else None
        for value in added:
            folder = evaluator.evaluate(value) if evaluator and value is not None else None
            if folder is None:
                self.complete = False
            elif folder not in self.path:
                self.path.append(folder)


def _elements(node: ast.expr) -> list[ast.expr | None]:
    """The items of a list or tuple expression (`[a, b] + sys.path` too); [None] for
    anything else."""
    if isinstance(node, ast.List | ast.Tuple):
        return list(node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [item for side in (node.left, node.right) if ast.unparse(side) != "sys.path" for item in _elements(side)]
    return [None]


def absolute_imports(node: ast.AST) -> list[str]:
    """The modules an import statement names absolutely (`import a.b, c`; `from a.b import x`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return [node.module]
    return []


def called_name(node: ast.AST) -> str:
    """The name a call uses: `Vpc` for Vpc(...) and vpc.Vpc(...)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def imports(tree: ast.Module, main: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement, and whether it is guarded: a failure there does not stop the
    module. Guarded are imports under `try` with an ImportError handler (and in that
    handler: the fallback), under `if TYPE_CHECKING:`, under a test of the platform or the
    Python version, and under `if __name__ == "__main__":` unless the module runs as the
    main script (`main`)."""

    def conditional(test: ast.expr) -> bool:
        text = ast.unparse(test)
        return (
            "TYPE_CHECKING" in text
            or any(name in text for name in ("sys.platform", "platform.", "os.name", "sys.version_info"))
            or (not main and "__name__" in text and "__main__" in text)
        )

    def visit(node: ast.AST, guarded: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, guarded
            return
        if isinstance(node, ast.Try | ast.TryStar):
            catches = any(_catches_import_error(handler) for handler in node.handlers)
            for child in [*node.body, *node.handlers]:
                yield from visit(child, guarded or catches)
            for child in [*node.orelse, *node.finalbody]:
                yield from visit(child, guarded)
            return
        if isinstance(node, ast.If) and conditional(node.test):
            for child in node.body + node.orelse:
                yield from visit(child, True)
            return
        for child in ast.iter_child_nodes(node):
            yield from visit(child, guarded)

    try:
        yield from visit(tree, False)
    except RecursionError:
        return


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = {ast.unparse(handler.type).split(".")[-1]} | {
        _last_name(item) for item in getattr(handler.type, "elts", [])
    }
    return bool(names & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def _last_name(node: ast.AST) -> str:
    return ast.unparse(node).split(".")[-1]


def _find_in(name: str, folders: list[Path]) -> Found | None:
    """One name looked up in a list of folders, as importlib's path finder does (an
    extension module or bytecode is a module whose source the doctor does not read)."""
    portions = []
    for folder in folders:
        package = folder / name
        if is_file(package / "__init__.py"):
            return Found(package / "__init__.py", [package])
        if is_file(folder / f"{name}.py"):
            return Found(folder / f"{name}.py")
        if compiled := next(
            (folder / f"{name}{suffix}" for suffix in COMPILED_SUFFIXES if is_file(folder / f"{name}{suffix}")), None
        ):
            return Found(compiled)
        if is_dir(package):
            portions.append(package)
    return Found(None, portions) if portions else None


def bound_names(tree: ast.Module) -> set[str] | None:
    """The names a module binds at its top level, under `if` and `try` too (and `global`
    names its functions assign); None when it may bind others that its statements do not
    show: `from x import *`, a module __getattr__, globals(), exec(), sys.modules, __all__
    built at run time."""
    bound: set[str] = set()
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
            if node.name == "__getattr__":
                return None
            # Their bodies bind no module names, but for `global` ones and dynamic code.
            for inner in ast.walk(node):
                if isinstance(inner, ast.Global):
                    bound.update(inner.names)
                elif _dynamic(inner, top_level=False):
                    return None
            pending += [*node.decorator_list, *getattr(node, "bases", [])]
            continue
        if isinstance(node, ast.Lambda):
            continue
        if _dynamic(node):
            return None
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif getattr(ast, "TypeAlias", None) and isinstance(node, ast.TypeAlias):
            bound.add(node.name.id)
        elif isinstance(node, ast.AnnAssign) and node.value is None:
            continue  # `name: type` alone binds nothing
        pending.extend(ast.iter_child_nodes(node))
    return bound


def _dynamic(node: ast.AST, top_level: bool = True) -> bool:
    """Code that may bind module names its statements do not show: at the top level,
    globals(), vars(), exec(), setattr(), sys.modules, __dict__, an __all__ built at run
    time; in a function or class, globals(), exec() and sys.modules."""
    names = DYNAMIC_NAMES if top_level else {"globals", "exec"}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
        return True
    if isinstance(node, ast.Attribute) and (node.attr == "modules" or (top_level and node.attr == "__dict__")):
        return True
    if not top_level:
        return False
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
        return True
    if isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
    ):
        return not (
            isinstance(node.value, ast.List | ast.Tuple)
            and all(isinstance(item, ast.Constant) and isinstance(item.value, str) for item in node.value.elts)
        )
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "__all__"


def _closest_names(name: str, bound: set[str], imported: set[str]) -> list[str]:
    """The names a module binds that are closest to `name`: the same name in another case or
    spelling, then close names it defines itself, then its own classes, then close names it
    imports."""
    public = sorted(item for item in bound if not item.startswith("_"))
    own = [item for item in public if item not in imported]
    same = [item for item in public if _spelling(item) == _spelling(name)]
    close = difflib.get_close_matches(name, own, CLOSEST, 0.5)
    if not same and not close:
        close = [item for item in own if item[:1].isupper()] or difflib.get_close_matches(name, public, CLOSEST, 0.5)
    return list(dict.fromkeys(same + close))[:CLOSEST]


def _imported_names(tree: ast.Module) -> set[str]:
    """The names a module's import statements bind (outside its functions and classes)."""
    names, pending = set(), list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            pending.extend(ast.iter_child_nodes(node))
    return names


def _spelling(name: str) -> str:
    """A name without its case and underscores: TapStack, tapstack and tap_stack are one."""
    return name.replace("_", "").lower()


def _is_test_file(project: Path, path: Path) -> bool:
    parts = path.relative_to(project).parts
    return any(part in {"tests", "test"} for part in parts[:-1]) or parts[-1].startswith(("test_", "conftest"))


def _listed(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def _shown_file(path: Path, project: Path) -> str:
    """A project file or package folder as a message shows it: lib/TapStack.py, stacks/."""
    try:
        relative = path.relative_to(project).as_posix()
    except ValueError:
        return str(path)
    return f"{relative}/" if is_dir(path) else relative


def _may_extend_path(found: Found, sources: dict[Path, Source]) -> bool:
    """Whether a package's __init__ changes its __path__ (then submodules may be elsewhere)."""
    source = sources.get(found.file) if found.file else None
    return source is not None and source.tree is not None and "__path__" in ast.unparse(source.tree)


def _shown(folder: Path, project: Path) -> str:
    if folder == project:
        return "the project folder"
    try:
        return folder.relative_to(project).as_posix() + "/"
    except ValueError:
        return str(folder)


class PathEvaluator:
    """Evaluates the path expressions of app code without running it: literals, __file__,
    os.path.join / dirname / abspath, pathlib's Path, /, +, f-strings, and names assigned
    once in the module. Relative paths start from the working folder (the project folder
    unless the app changes folder first). None when an expression needs anything else."""

    def __init__(self, project: Path, path: Path, tree: ast.AST, working: Path | None = None) -> None:
        self.working = working or project
        self.file = path
        self.assigned: dict[str, list[ast.expr]] = {}
        for child in ast.walk(tree):
            if isinstance(child, ast.Assign) and len(child.targets) == 1 and isinstance(child.targets[0], ast.Name):
                self.assigned.setdefault(child.targets[0].id, []).append(child.value)
            elif isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name) and child.value:
                self.assigned.setdefault(child.target.id, []).append(child.value)

    def evaluate(self, node: ast.AST, relative_to: Path | None = None) -> Path | None:
        """The path, a relative one taken from `relative_to` (the working directory, the
        project folder, by default)."""
        try:
            value = self._value(node, 0)
        except RecursionError:
            return None
        if not isinstance(value, str | Path) or not str(value):
            return None
        path = Path(str(value).removeprefix("${path.module}/"))
        return Path(os.path.normpath(path if path.is_absolute() else (relative_to or self.working) / path))

    def text(self, node: ast.AST) -> str | None:
        """The expression's value when it is a string (a name, a literal, an f-string)."""
        try:
            value = self._value(node, 0)
        except RecursionError:
            return None
        return value if isinstance(value, str) else None

    def _value(self, node: ast.AST, depth: int):  # noqa: C901 - one case per kind of expression
        if depth > DEEPEST_EXPRESSION:
            return None
        value = lambda child: self._value(child, depth + 1)  # noqa: E731
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return str(self.file)
            values = self.assigned.get(node.id, [])
            return value(values[0]) if len(values) == 1 else None
        if isinstance(node, ast.JoinedStr):
            parts = [value(part.value) if isinstance(part, ast.FormattedValue) else value(part) for part in node.values]
            return "".join(str(part) for part in parts) if all(part is not None for part in parts) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Add):
            left, right = value(node.left), value(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Div):
                return Path(left) / str(right)
            return str(left) + str(right) if isinstance(left, str) and isinstance(right, str) else None
        if isinstance(node, ast.Attribute):
            base = value(node.value)
            if base is not None and node.attr == "parent":
                return Path(base).parent
            return None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
            base, index = value(node.value.value), node.slice
            if base is not None and isinstance(index, ast.Constant) and isinstance(index.value, int):
                parents = Path(base).parents
                return parents[index.value] if 0 <= index.value < len(parents) else None
            return None
        if isinstance(node, ast.Call):
            return self._call(node, value)
        return None

    def _call(self, node: ast.Call, value):
        name = ast.unparse(node.func)
        arguments = [value(argument) for argument in node.args]
        if node.keywords or any(argument is None for argument in arguments):
            return None
        last = name.split(".")[-1]
        if name in {"os.getcwd", "Path.cwd", "pathlib.Path.cwd"} and not arguments:
            return str(self.working)
        if name in {"os.path.join", "path.join"} and arguments:
            return os.path.join(*map(str, arguments))
        if name in {"os.path.dirname", "path.dirname"} and len(arguments) == 1:
            return os.path.dirname(str(arguments[0]))
        if name in {"os.path.abspath", "os.path.realpath", "os.path.normpath"} and len(arguments) == 1:
            path = Path(str(arguments[0]))
            return os.path.normpath(path if path.is_absolute() else self.working / path)
        if name in {"Path", "pathlib.Path", "PurePath"}:
            return Path(*map(str, arguments)) if arguments else Path(".")
        if name == "str" and len(arguments) == 1:
            return str(arguments[0])
        if isinstance(node.func, ast.Attribute) and last in {"resolve", "absolute"} and not arguments:
            base = value(node.func.value)
            if base is None:
                return None
            path = Path(base)
            return path if path.is_absolute() else self.working / path
        if isinstance(node.func, ast.Attribute) and last == "joinpath":
            base = value(node.func.value)
            return Path(base, *map(str, arguments)) if base is not None else None
        return None


def python_version_newer_than_this(project: Path) -> str | None:
    """The Python the project declares when it is newer than the one running the checks (its
    sources may use syntax this Python cannot read)."""
    declared = None
    version_file = project / ".python-version"
    try:
        if version_file.is_file():
            declared = version_file.read_text(errors="replace").strip().splitlines()[0]
        elif (project / "Pipfile").is_file():
            for line in (project / "Pipfile").read_text(errors="replace").splitlines():
                if line.strip().startswith("python_version"):
                    declared = line.split("=", 1)[1].strip().strip("\"'")
    except (OSError, IndexError):
        return None
    try:
        numbers = tuple(int(part) for part in (declared or "").split(".")[:2])
    except ValueError:
        return None
    return declared if len(numbers) == 2 and numbers > sys.version_info[:2] else None
