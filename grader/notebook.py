"""Reading exercise code out of notebooks without running the notebooks."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


@dataclass
class GradedCell:
    name: str
    source: str


def graded_cells(nb) -> list[GradedCell]:
    """The solution cells of a notebook (nbgrader ``solution: true`` code cells), in order."""
    return [
        GradedCell(c.metadata["nbgrader"]["grade_id"], c.source)
        for c in nb.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]


def strip_markers(source: str) -> str:
    """Drop the ``### BEGIN/END SOLUTION`` lines, keeping the solution itself."""
    return "\n".join(line for line in source.splitlines() if not MARKER.match(line)).strip("\n") + "\n"


def _imports(source: str) -> list[ast.stmt]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]


def setup_imports(nb) -> list[ast.stmt]:
    """Top-level import statements of the code cells that come before the first graded cell."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.metadata.get("nbgrader", {}).get("solution"):
            break
        found.extend(_imports(cell.source))
    return found


def bound_names(node: ast.stmt) -> set[str]:
    return {(alias.asname or alias.name).split(".")[0] for alias in node.names}


def used_names(source: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Name)}


@dataclass
class Namespace:
    """The functions a notebook's graded cells define, plus per-cell load errors."""

    functions: dict
    errors: dict  # exercise name -> one-line reason it could not be loaded


def load_functions(path: Path | str, names: list[str] | None = None, *, answers: bool = False) -> Namespace:
    """Execute a notebook's setup imports and its graded cells (only those) in a fresh namespace.

    Nothing else in the notebook runs: no data loading, no training. Each graded cell runs on its own, so a broken
    cell costs only its own exercise. With ``answers`` (a quiz) each cell sets a value rather than a function.
    """
    nb = nbformat.read(str(path), as_version=4)
    namespace: dict = {"__name__": "__ai4med_check__"}
    for node in setup_imports(nb):
        try:
            exec(compile(ast.Module([node], []), "<setup>", "exec"), namespace)  # noqa: S102
        except Exception:  # noqa: BLE001 - a missing optional import must not stop the check
            pass
    functions, errors = {}, {}
    for cell in graded_cells(nb):
        if names is not None and cell.name not in names:
            continue
        before = namespace.get(cell.name)
        try:
            exec(compile(cell.source, f"<cell {cell.name}>", "exec"), namespace)  # noqa: S102
        except NotImplementedError:
            errors[cell.name] = f"{cell.name} is not {'answered' if answers else 'implemented'} yet"
            continue
        except SyntaxError as err:
            errors[cell.name] = f"the cell has a syntax error on line {err.lineno}: {err.msg}"
            continue
        except Exception as err:  # noqa: BLE001
            # a line after the definition failed (a test call using a notebook variable): grade what it defined,
            # as the sandboxed path does (grader/isolated.py)
            if answers or not callable(namespace.get(cell.name)) or namespace.get(cell.name) is before:
                errors[cell.name] = f"running the cell raised {type(err).__name__}: {err}"
                continue
        fn = namespace.get(cell.name)
        if answers and cell.name in namespace:
            functions[cell.name] = fn
            continue
        if not callable(fn):
            errors[cell.name] = f"the cell does not define a function named {cell.name}"
            continue
        functions[cell.name] = fn
    return Namespace(functions, errors)


def fill_solutions(nb, sources: dict[str, str]):
    """Return a copy of a (learner) notebook whose graded cells are replaced by ``sources[name]``.

    Used to make solved or deliberately wrong submissions for tests, benchmarks and demonstrations.
    """
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        name = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution") and name in sources:
            cell.source = sources[name]
    return nb


def master_sources(nb) -> dict[str, str]:
    """The reference solution of every exercise of a master notebook, markers removed."""
    return {cell.name: strip_markers(cell.source) for cell in graded_cells(nb)}
