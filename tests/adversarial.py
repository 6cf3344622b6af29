"""The adversarial corpus: submissions that try to break, fake or escape grading, with the grade each must get.

Every row of issue 9's table is here, plus a few more. Each case is a C2W3 submission (one of them a C2W1 notebook
under a C2W3 folder) built from the learner notebook, the reference answers and a twist. ``expected`` is the exact
C2W3 score (points: frac_censored 1, naive_estimator 2, kaplan_meier 4, logrank_test 3) and ``reasons`` maps each
exercise that must lose its points to a phrase its one-line reason contains.

Placeholders filled in by :func:`build`: ``{OUT}`` (the autograde output folder), ``{REPO}`` (this checkout),
``{SUBMISSIONS}`` (the submissions folder), ``{PORT}`` (a port on which the test process listens on 127.0.0.1).
"""

from __future__ import annotations

import copy
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.course import get_week
from grader.notebook import fill_solutions, master_sources

C2W3, C2W1 = get_week("C2W3"), get_week("C2W1")
REF = master_sources(C2W3.read_master())
STUB = "raise NotImplementedError()"

KM_STUB = "def kaplan_meier(df):\n    raise NotImplementedError()\n"


def _with(**sources) -> dict:
    return dict(REF, **sources)


def _stubs(**sources) -> dict:
    learner = nbformat.read(C2W3.learner, as_version=4)
    stubs = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in learner.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    return dict(stubs, **sources)


def _prefix_function(name: str, lines: str) -> str:
    """The reference of ``name`` (renamed) behind a wrapper that first runs ``lines`` (``args`` are the inputs)."""
    inner = "".join(f"    {line}\n" for line in lines.strip("\n").splitlines())
    reference = REF[name].replace(f"def {name}(", f"def _reference_{name}(", 1)
    return f"{reference}\n\ndef {name}(*args):\n{inner}    return _reference_{name}(*args)\n"


@dataclass
class Case:
    student: str
    expected: float
    sources: dict  # exercise -> graded cell source
    reasons: dict = field(default_factory=dict)  # exercise -> phrase of its reason
    extra_cells: list = field(default_factory=list)  # code cells appended (never graded, never run)
    folder: str | None = "C2W3"
    transform: str = ""  # name of a notebook transformation below
    note: str = ""  # phrase the feedback notes must contain
    week: str = "C2W3"


CASES = [
    Case("correct", 10, REF),
    Case("untouched", 0, _stubs(), {n: "not implemented yet" for n in REF}),
    # -- ending the process, signals, output ----------------------------------------------------------------------
    Case("os_exit_in_other_cell", 10, REF, extra_cells=["import os\nos._exit(0)"]),
    Case(
        "os_exit_in_function",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "import os\nos._exit(0)")),
        {"logrank_test": "exited with code 0"},
    ),
    Case(
        "os_exit_in_graded_cell",
        6,
        _with(kaplan_meier="import os\nos._exit(0)\n" + REF["kaplan_meier"]),
        {"kaplan_meier": "stopped the learner process"},
    ),
    Case(
        "sys_exit_in_function",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "import sys\nsys.exit(0)")),
        {"logrank_test": "SystemExit"},
    ),
    Case(
        "keyboard_interrupt",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "raise KeyboardInterrupt")),
        {"logrank_test": "KeyboardInterrupt"},
    ),
    Case(
        "sigterm_to_parent",
        10,
        _with(frac_censored="import os, signal\nos.kill(os.getppid(), signal.SIGTERM)\n" + REF["frac_censored"]),
        extra_cells=["import os, signal\nos.kill(os.getppid(), signal.SIGTERM)"],
    ),
    Case(
        "kill_everything",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "import os, signal\nos.kill(-1, signal.SIGKILL)")),
        {"logrank_test": "ProcessLookupError"},
    ),
    Case(
        "segfault",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "import ctypes\nctypes.string_at(0)")),
        {"logrank_test": "crashed"},
    ),
    Case("print_200_mb", 10, _with(frac_censored="print('x' * 200_000_000)\n" + REF["frac_censored"])),
    Case("print_200k_per_call", 10, _with(naive_estimator=_prefix_function("naive_estimator", "print('y' * 200_000)"))),
    # -- time and memory -----------------------------------------------------------------------------------------
    Case(
        "endless_loop",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "while True:\n    pass")),
        {"logrank_test": "did not finish within"},
    ),
    Case(
        "loop_ignoring_sigint",
        7,
        _with(
            logrank_test="import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    pass\n" + REF["logrank_test"]
        ),
        {"logrank_test": "did not finish within"},
    ),
    Case(
        "allocates_30_gb",
        7,
        _with(logrank_test=_prefix_function("logrank_test", "import numpy as np\nhog = np.ones(30 * 2**30 // 8)")),
        {"logrank_test": "memory limit"},
    ),
    Case(
        "background_sleep",
        10,
        _with(frac_censored="import subprocess\nsubprocess.Popen(['sleep', '4321'])\n" + REF["frac_censored"]),
    ),
    # -- faking the verdict --------------------------------------------------------------------------------------
    Case(
        "replaces_check_kaplan_meier",
        6,
        _with(
            kaplan_meier=(
                "try:\n    import grader.hidden.c2w3 as h\n    h.check_kaplan_meier = lambda fn: None\nexcept Exception:\n"
                "    pass\n" + KM_STUB
            )
        ),
        {"kaplan_meier": "not implemented yet"},
        extra_cells=["import grader.hidden.c2w3 as h\nh.check_kaplan_meier = lambda fn: None"],
    ),
    Case(
        "replaces_numpy_allclose",
        0,
        _stubs(
            frac_censored="import numpy\nnumpy.allclose = lambda *a, **k: True\nnumpy.isclose = lambda a, b, **k: "
            "numpy.ones(numpy.shape(a), bool)\ndef frac_censored(df):\n    return 0.123\n",
            naive_estimator="def naive_estimator(t, df):\n    return 0.5\n",
        ),
        {"frac_censored": "expected", "naive_estimator": "expected", "kaplan_meier": "not implemented"},
    ),
    Case(
        "replaces_checks_done",
        0,
        _stubs(
            frac_censored="from helpers.public_tests import framework\nframework.Checks.done = lambda self: "
            "print('All tests passed.')\ndef frac_censored(df):\n    return 0.123\n"
        ),
        {"frac_censored": "expected"},
    ),
    Case(
        "prints_all_tests_passed",
        0,
        _stubs(frac_censored="def frac_censored(df):\n    print('All tests passed.')\n    return -1.0\n"),
        {"frac_censored": "expected"},
    ),
    Case(
        "imports_reference_solution",
        6,
        _with(kaplan_meier="from helpers.solutions.c2w3 import kaplan_meier\n"),
        {"kaplan_meier": "uses the reference solution"},
    ),
    Case(
        "reference_in_setup_cell",
        6,
        _with(kaplan_meier="def kaplan_meier(df):\n    return ref_km(df)\n"),
        {"kaplan_meier": "uses the reference solution"},
        transform="reference_in_setup",
    ),
    Case(
        "edits_gradebook_with_sqlite",
        0,
        _stubs(
            frac_censored=(
                "import glob, sqlite3\n"
                "for db in glob.glob('{OUT}/**/gradebook.db', recursive=True) + glob.glob('../../../gradebook.db') + "
                "glob.glob('/tmp/**/gradebook.db', recursive=True):\n"
                "    con = sqlite3.connect(db)\n"
                "    con.execute('UPDATE grade SET auto_score = 100')\n"
                "    con.commit()\n" + "def frac_censored(df):\n    raise NotImplementedError()\n"
            )
        ),
        {"frac_censored": "not implemented"},
    ),
    Case(
        "rewrites_hidden_tests",
        0,
        _stubs(
            frac_censored=(
                "for path in ['{REPO}/grader/hidden/c2w3.py', '{REPO}/helpers/public_tests/c2w3.py']:\n"
                "    try:\n"
                "        open(path, 'w').write('def check_frac_censored(fn):\\n    pass\\n')\n"
                "    except OSError:\n"
                "        pass\n" + "def frac_censored(df):\n    raise NotImplementedError()\n"
            )
        ),
        {"frac_censored": "not implemented"},
    ),
    Case(
        "deletes_course_files",
        10,
        _with(
            frac_censored=(
                "import os, shutil\n"
                "for target in ['{OUT}', '{SUBMISSIONS}', '{REPO}/grader', '{REPO}/helpers', '../course', '../../course']:\n"
                "    shutil.rmtree(target, ignore_errors=True)\n"
                "for name in ['gradebook.db', '../gradebook.db', '../../../gradebook.db']:\n"
                "    try:\n"
                "        os.remove(name)\n"
                "    except OSError:\n"
                "        pass\n" + REF["frac_censored"]
            )
        ),
    ),
    Case(
        "reads_hidden_tests",
        9,
        _with(
            frac_censored=(
                "def frac_censored(df):\n    raise ValueError(open('{REPO}/grader/hidden/c2w3.py').read())\n"
            )
        ),
        {"frac_censored": "FileNotFoundError"},
    ),
    Case(
        "hidden_only_base_exception",
        6,
        _with(
            kaplan_meier=(
                "class Sneaky(BaseException):\n    pass\n\n\n"
                + _prefix_function(
                    "kaplan_meier", "if args[0].index.min() >= 100:\n    raise Sneaky('only the hidden tests see this')"
                )
            )
        ),
        {"kaplan_meier": "Sneaky"},
    ),
    Case(
        "network",
        9,
        _with(
            frac_censored=(
                "import socket\n"
                "def frac_censored(df):\n"
                "    socket.create_connection(('127.0.0.1', {PORT}), timeout=2).close()\n"
                "    return float((df['Event'] == 0).mean())\n"
            )
        ),
        {"frac_censored": "raised"},
    ),
    # -- broken notebooks -----------------------------------------------------------------------------------------
    Case("duplicated_answer_cell", 10, REF, transform="duplicate_km_cell", note="appears 2 times"),
    Case(
        "renamed_function",
        6,
        _with(kaplan_meier=REF["kaplan_meier"].replace("def kaplan_meier(", "def kaplan_meier_v2(")),
        {"kaplan_meier": "does not define kaplan_meier"},
    ),
    Case(
        "syntax_error",
        8,
        _with(naive_estimator="def naive_estimator(t, df)\n    return 1.0\n"),
        {"naive_estimator": "syntax error"},
    ),
    Case(
        "edited_locked_cell",
        6,
        _with(kaplan_meier=KM_STUB),
        {"kaplan_meier": "not implemented"},
        transform="edit_locked_cell",
        note="were edited",
    ),
    Case("stripped_metadata", 10, REF, transform="strip_metadata", note="metadata"),
    # a learner's debug line after the definition uses a notebook variable that does not exist while grading
    Case(
        "debug_print_after_definition",
        10,
        _with(kaplan_meier=REF["kaplan_meier"] + "\nprint(kaplan_meier(df)[1][:5])\n"),
        note="raised NameError",
    ),
    # ... but a cell that fails before its function is defined still costs that exercise
    Case(
        "error_before_definition",
        6,
        _with(kaplan_meier="print(df.head())\n" + REF["kaplan_meier"]),
        {"kaplan_meier": "NameError"},
    ),
    Case("corrupt_json", 0, REF, {"*": "corrupt JSON"}, transform="corrupt"),
    Case("other_week_in_folder", 0, {}, {"*": "notebook of week C2W1"}, transform="c2w1_notebook"),
    Case("Jane Doe", 10, REF),
    Case("extra_copy", 10, REF, transform="extra_copy", note="ignored"),
    Case("no_week_folder", 10, REF, folder=None),
]


# ----------------------------------------------------------------------------------------------------- building


def _fill(text: str, values: dict) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def build(case: Case, root: Path, values: dict) -> list[Path]:
    """Write ``case``'s files under ``root/<student>/``; return them."""
    learner = nbformat.read(C2W3.learner, as_version=4)
    sources = {k: _fill(v, values) for k, v in case.sources.items()}
    nb = fill_solutions(learner, sources)
    for source in case.extra_cells:
        nb.cells.append(nbformat.v4.new_code_cell(_fill(source, values)))
    folder = root / case.student / case.folder if case.folder else root / case.student
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / C2W3.notebook_name
    transform = case.transform
    if transform == "duplicate_km_cell":
        index = next(
            i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "kaplan_meier"
        )
        wrong = copy.deepcopy(nb.cells[index])
        wrong.source = "def kaplan_meier(df):\n    return [0], [1]\n"
        nb.cells.insert(index, wrong)  # the first copy is wrong, the last (graded) one right
    elif transform == "edit_locked_cell":
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_kaplan_meier":
                cell.source = "print('All tests passed.')"
                cell.metadata["nbgrader"].update(locked=False, points=100)
                cell.metadata["editable"] = True
    elif transform == "strip_metadata":
        for cell in nb.cells:
            cell.metadata = {}
    elif transform == "reference_in_setup":
        setup = next(c for c in nb.cells if c.cell_type == "code")
        setup.source += "\nfrom helpers.solutions.c2w3 import kaplan_meier as ref_km\n"
    elif transform == "c2w1_notebook":
        c2w1 = nbformat.read(C2W1.learner, as_version=4)
        nb = fill_solutions(c2w1, master_sources(C2W1.read_master()))
        target = folder / C2W1.notebook_name
    if transform == "corrupt":
        target.write_text(nbformat.writes(nb)[:5000])
        return [target]
    nbformat.write(nb, target)
    written = [target]
    if transform == "extra_copy":
        copy_path = folder / f"{target.stem}-Copy1.ipynb"
        nbformat.write(learner, copy_path)  # an untouched copy, saved later
        later = time.time() + 60
        os.utime(copy_path, (later, later))
        written.append(copy_path)
    return written


def expected_reasons(case: Case) -> dict:
    if "*" in case.reasons:
        return {ex.name: case.reasons["*"] for ex in C2W3.exercises}
    return case.reasons


def dump_table(rows) -> str:
    return json.dumps(rows, indent=1)
