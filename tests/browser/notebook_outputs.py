"""What a learner sees under each cell: the checks that make a notebook "clean", and the executed copies they run on.

A notebook is clean when, executed top to bottom with the reference solutions filled in, no cell shows an error, no
cell writes to standard error (warnings, library log lines), every figure is drawn (a ``<Figure size ...>`` text
without its picture is a figure that never rendered) and no figure is shown twice.

The execution is nbval's run of the masters (``pytest grader/source``, part of ``make test``): the root conftest
fails a master's cell that breaks these rules and, when a master's last cell has run, writes the executed
*learner* notebook (reference solutions filled in, outputs attached) to ``test-artifacts/executed/<WEEK>.ipynb``
with a fingerprint of everything that decides its outputs. The browser tests open those copies in JupyterLab and
check that every output renders; when a copy is missing or stale they execute the week themselves
(:func:`execute_week`). A master is the learner notebook with the solutions in place plus the hidden-test calls
(which print nothing when they pass), so a clean master run means a clean learner run.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = [
    "ARTIFACTS",
    "EXECUTED_DIR",
    "problems",
    "fingerprint",
    "learner_copy",
    "write_executed",
    "read_executed",
    "execute_week",
    "slider_makers",
    "makes_slider",
    "slider_cells",
]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
EXECUTED_DIR = ARTIFACTS / "executed"
META_KEY = "ai4med_test"

_FIGURE_TEXT = re.compile(r"^<Figure size \d+(\.\d+)?x\d+(\.\d+)? with \d+ Axes>$")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def problems(outputs) -> list[str]:
    """What a learner would find wrong in one cell's outputs (nbformat output dicts); empty when clean."""
    found, pictures = [], []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "error":
            found.append(f"error output: {out.get('ename')}: {_text(out.get('evalue'))[:300]}")
        elif kind == "stream" and out.get("name") == "stderr":
            lines = [line for line in _text(out.get("text")).splitlines() if line.strip()]
            shown = "\n    ".join(lines[:6]) + ("\n    ..." if len(lines) > 6 else "")
            found.append(f"writes to standard error ({len(lines)} line(s)):\n    {shown}")
        elif kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            if "image/png" in data:
                pictures.append(_text(data["image/png"]))
            elif _FIGURE_TEXT.match(_text(data.get("text/plain")).strip()):
                found.append(f"a figure that was not drawn: {_text(data['text/plain']).strip()}")
    if len(pictures) != len(set(pictures)):
        found.append("the same figure is shown twice")
    return found


def fingerprint(week) -> str:
    """A hash of everything that decides a week's executed copy: its master and learner notebook, the course's
    ``helpers`` package, its hidden tests, the pinned requirements, the FAST switch and this module."""
    from helpers.config import FAST

    files = [
        week.master,
        week.learner,
        ROOT / "requirements.txt",
        ROOT / "grader" / "hidden" / f"{week.module}.py",
        Path(__file__),
    ]
    files += sorted((ROOT / "helpers").rglob("*.py"))
    digest = hashlib.sha256(f"FAST={FAST}".encode())
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def learner_copy(week, master_outputs: dict[int, list] | None = None):
    """The week's learner notebook with the reference solutions filled in; with ``master_outputs`` (code-cell number
    -> outputs of the executed master) each learner cell gets the outputs of its master cell."""
    import nbformat

    from grader.notebook import fill_solutions, master_sources

    master = week.read_master()
    learner = fill_solutions(nbformat.read(week.learner, as_version=4), master_sources(master))
    if master_outputs is not None:
        code = [cell for cell in learner.cells if cell.cell_type == "code"]
        if len(code) != sum(cell.cell_type == "code" for cell in master.cells):
            raise AssertionError(
                f"{week.learner.name} and its master have different numbers of code cells: "
                "rebuild with `python -m grader build`"
            )
        for number, cell in enumerate(code):
            cell.outputs = [nbformat.from_dict(dict(out)) for out in master_outputs.get(number, [])]
            cell.execution_count = number + 1 if number in master_outputs else None
    return learner


def _for_saving(out: dict) -> dict:
    """An output as a saved notebook keeps it. A live widget cannot be shown from a file (its state lives in the
    kernel), so widget views keep only their text; nbval passes execute results without a count."""
    out = dict(out)
    if "data" in out and _WIDGET_VIEW in out["data"]:
        out["data"] = {k: v for k, v in out["data"].items() if k != _WIDGET_VIEW}
        out["metadata"] = {}
    if out.get("output_type") == "execute_result":
        out.setdefault("execution_count", None)
    return out


def write_executed(week, master_outputs: dict[int, list], failed_cells: list[int]) -> Path:
    """Write the executed learner copy of ``week`` (see :func:`learner_copy`) with its fingerprint."""
    import nbformat

    saved = {number: [_for_saving(out) for out in outs] for number, outs in master_outputs.items()}
    nb = learner_copy(week, saved)
    sources = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    nb.metadata[META_KEY] = {
        "fingerprint": fingerprint(week),
        "failed_cells": failed_cells,
        "sliders": slider_cells(sources, master_outputs),
    }
    EXECUTED_DIR.mkdir(parents=True, exist_ok=True)
    path = EXECUTED_DIR / f"{week.name}.ipynb"
    tmp = path.with_suffix(".tmp")
    nbformat.write(nb, tmp)
    tmp.replace(path)
    return path


def read_executed(week):
    """The executed learner copy of ``week`` if it exists and is current, else None."""
    import nbformat

    path = EXECUTED_DIR / f"{week.name}.ipynb"
    if not path.exists():
        return None
    nb = nbformat.read(path, as_version=4)
    return nb if nb.metadata.get(META_KEY, {}).get("fingerprint") == fingerprint(week) else None


def slider_makers() -> set[str]:
    """Names of the functions in ``helpers`` whose code builds an ipywidgets slider, plus ipywidgets' own."""
    import ast

    names = {"interact", "interactive", "interact_manual"}
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if "Slider(" in source:
            names |= {
                node.name
                for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.FunctionDef) and "Slider(" in (ast.get_source_segment(source, node) or "")
            }
    return names


def makes_slider(source: str) -> bool:
    """Whether a code cell's source builds a slider: ``...Slider(`` itself, or a call of a slider-making function."""
    makers = "|".join(map(re.escape, sorted(slider_makers())))
    return re.search(rf"Slider\(|\b(?:{makers})\s*\(", source) is not None


def slider_cells(sources: list[str], outputs_by_cell: dict[int, list]) -> list[int]:
    """Code-cell numbers that build a slider (:func:`makes_slider`) and show an ipywidgets widget. (A widget's text
    form is cut short, so it cannot tell a slider from tqdm's progress bar; the source can.)"""
    return [
        number
        for number, source in enumerate(sources)
        if makes_slider(source) and any(_WIDGET_VIEW in out.get("data", {}) for out in outputs_by_cell.get(number, []))
    ]


def execute_week(week, timeout: int = 1200) -> Path:
    """Execute the week's master headlessly (nbclient, this environment: FAST mode under the tests) and write its
    executed learner copy. Used when nbval has not produced a current copy in this or an earlier run."""
    from nbclient import NotebookClient

    nb = week.read_master()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(week.master.parent)}},
    ).execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    outputs = {number: [dict(out) for out in cell.outputs] for number, cell in enumerate(code)}
    failed = [number for number, outs in outputs.items() if problems(outs)]
    return write_executed(week, outputs, failed)
