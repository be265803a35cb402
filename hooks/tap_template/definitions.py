"""What a name in the app's code refers to: the classes and functions the project's modules
define at their top level, found through imports as Python binds them (re-exports of a
package's __init__ too). A name that comes from outside the project refers to nothing here.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from tap_template.modules import App, Source, called_name

Key = tuple[Path, str]  # the file that defines it, and its name
DEEPEST_INHERITANCE = 50


def _merge(sequences: list[list]) -> list:
    """C3's merge; a library class (None) ends the order, since its own bases are unknown."""
    merged = []
    sequences = [list(sequence) for sequence in sequences if sequence]
    while sequences:
        head = next(
            (sequence[0] for sequence in sequences if not any(sequence[0] in other[1:] for other in sequences)),
            None,
        )
        merged.append(head)
        if head is None:
            return merged
        sequences = [[item for item in sequence if item != head] for sequence in sequences]
        sequences = [sequence for sequence in sequences if sequence]
    return merged


class Definitions:
    def __init__(self, app: App, sources: dict[Path, Source], files: list[Path]) -> None:
        self.app = app
        self.trees = {path: sources[path].tree for path in files if sources[path].tree is not None}
        self.classes: dict[Key, ast.ClassDef] = {}
        self.functions: dict[Key, ast.FunctionDef] = {}
        # Per module, each name an import binds: (the statement, the name it imports).
        self.imported: dict[Path, dict[str, tuple[ast.Import | ast.ImportFrom, str]]] = {}
        for path, tree in self.trees.items():
            for node in tree.body:
                if isinstance(node, ast.ClassDef):
                    self.classes[(path, node.name)] = node
                elif isinstance(node, ast.FunctionDef):
                    self.functions[(path, node.name)] = node
            bindings = self.imported.setdefault(path, {})
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    for alias in node.names:
                        bindings.setdefault(alias.asname or alias.name, (node, alias.name))

    def callee(self, path: Path, function: ast.expr) -> Key | None:
        """The project class or function that `function` (a call's callee, a base class)
        names in the module at `path`."""
        if isinstance(function, ast.Name):
            return self.lookup(path, function.id)
        if isinstance(function, ast.Attribute):
            module = self.module_named(path, ast.unparse(function.value))
            return self.lookup(module, function.attr) if module else None
        return None

    def lookup(self, path: Path, name: str, seen: frozenset[Key] = frozenset()) -> Key | None:
        """The class or function `name` is bound to in the module at `path`."""
        key = (path, name)
        if key in self.classes or key in self.functions:
            return key
        node, imported = self.imported.get(path, {}).get(name, (None, ""))
        if key in seen or not isinstance(node, ast.ImportFrom):
            return None
        module = self.app.imported_module(path, node)
        found = self.app.find(module) if module else None
        if found is None or found.file is None:
            return None  # from outside the project, or a namespace package
        return self.lookup(found.file, imported, seen | {key})

    def module_named(self, path: Path, dotted: str) -> Path | None:
        """The project module a dotted name refers to in the module at `path`
        (`import lib.stacks as stacks`, `import lib.stacks`, `from lib import stacks`)."""
        node, imported = self.imported.get(path, {}).get(dotted, (None, ""))
        if isinstance(node, ast.Import):
            target = imported
        elif isinstance(node, ast.ImportFrom):
            module = self.app.imported_module(path, node)
            target = f"{module}.{imported}" if module else None
        else:
            return None
        found = self.app.find(target) if target else None
        return found.file if found else None

    def bases(self, key: Key) -> Iterator[tuple[Key, ast.ClassDef]]:
        """The class and its ancestors that the project defines, nearest first."""
        seen = set()
        pending = [key]
        while pending:
            current = pending.pop(0)
            if current in seen or current not in self.classes:
                continue
            seen.add(current)
            node = self.classes[current]
            yield current, node
            pending += [parent for base in node.bases if (parent := self.callee(current[0], base))]

    def method_order(self, key: Key) -> list[Key | None]:
        """The class's method resolution order (C3, as Python computes it) through the
        project's classes; a library class in it is None, and ends what is known."""

        def linearize(current: Key, depth: int) -> list[Key | None]:
            node = self.classes.get(current)
            if node is None or depth > DEEPEST_INHERITANCE:
                return [None]
            parents = [self.callee(current[0], base) for base in node.bases]
            sequences = [linearize(parent, depth + 1) if parent else [None] for parent in parents]
            return [current, *_merge([*sequences, list(parents)])]

        return linearize(key, 0)

    def derives_from(self, key: Key, names: set[str]) -> bool:
        """Whether the class derives, through the project's classes, from one named in `names`
        (a class of a library: TerraformStack, Construct)."""
        return any(called_name(base) in names for _, node in self.bases(key) for base in node.bases)
