"""Adding a week needs only its master, public tests, hidden tests and mistakes — no change to build or grading.

Proof by doing: copy the course packages into a scratch folder, add a toy week there (files only), and run the
unchanged build, validate, mistakes, test-impl and check commands on it.
"""

import os
import shutil
import subprocess
import sys
import textwrap

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.course import REPO_ROOT

PUBLIC = """
from helpers.public_tests.framework import Checks, call


def test_mean_age(mean_age):
    checks = Checks("mean_age")
    checks.close_enough(call("mean_age", mean_age, [30, 50], case="two ages"), 40.0, "two ages")
    checks.done()
"""

HIDDEN = """
import numpy as np

from helpers.public_tests.framework import Checks, call, hidden_check


CASES = {"one age": [70], "evenly spread ages": list(range(20, 90, 7)), "floats": [1.5, 2.25]}


@hidden_check
def check_mean_age(fn):
    checks = Checks("mean_age", public=False)
    for case, ages in CASES.items():
        checks.close_enough(call("mean_age", fn, ages, case=case), float(np.mean(ages)), case)
    checks.done()
"""

MISTAKES = '''
def mean_age__median(ages):
    """Median instead of mean."""
    import statistics
    return statistics.median(ages)


def mean_age__first(ages):
    """Returns the first age."""
    return ages[0]
'''


def _master(path):
    solution = new_code_cell(
        "# GRADED FUNCTION: mean_age\ndef mean_age(ages):\n    ### BEGIN SOLUTION\n"
        "    return float(np.mean(ages))\n    ### END SOLUTION"
    )
    solution.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": "mean_age",
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    test = new_code_cell(
        "test_mean_age(mean_age)\n### BEGIN HIDDEN TESTS\n"
        "from grader.hidden.c3w4 import check_mean_age\ncheck_mean_age(mean_age)\n"
        "### END HIDDEN TESTS"
    )
    test.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "test_mean_age",
        "locked": True,
        "points": 2,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    nb = new_notebook(
        cells=[
            new_markdown_cell("# C3W4 — Toy week\n\n**Learning objectives**\n\n- average"),
            new_markdown_cell("## Setup"),
            new_code_cell(
                "import numpy as np\nimport helpers\nfrom helpers.public_tests.c3w4 import test_mean_age\n"
                "helpers.setup_notebook()"
            ),
            new_markdown_cell("## Data"),
            new_markdown_cell("## Exercise 1 — mean_age"),
            solution,
            test,
            new_markdown_cell("## Summary\n\n- done"),
        ],
        metadata={
            "ai4med": {"week": "C3W4"},
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        },
    )
    nbformat.write(nb, path)


def test_a_new_week_is_picked_up_without_code_changes(tmp_path):
    for name in ("helpers", "grader", "notebooks"):
        shutil.copytree(
            REPO_ROOT / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns(
                "__pycache__", "release", "submitted", "autograded", "feedback", "gradebook.db"
            ),
        )
    (tmp_path / "grader" / "source" / "C3W4").mkdir()
    _master(tmp_path / "grader" / "source" / "C3W4" / "C3W4_toy.ipynb")
    (tmp_path / "helpers" / "public_tests" / "c3w4.py").write_text(textwrap.dedent(PUBLIC))
    (tmp_path / "grader" / "hidden" / "c3w4.py").write_text(textwrap.dedent(HIDDEN))
    (tmp_path / "grader" / "mistakes" / "c3w4.py").write_text(textwrap.dedent(MISTAKES))

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "grader", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ["PYTHONPATH"]])},
        )

    built = run("build")
    assert built.returncode == 0, built.stderr
    assert "notebooks/C3W4_toy.ipynb" in built.stdout and "helpers/solutions/c3w4.py" in built.stdout
    assert (tmp_path / "helpers" / "solutions" / "c3w4.py").read_text().count("return float(np.mean(ages))") == 1
    assert run("build", "--check").returncode == 0
    validated = run("validate")
    assert validated.returncode == 0 and "C3W4" in validated.stdout, validated.stdout + validated.stderr
    # these hidden cases are all symmetric, so the "median" mistake survives: the corpus run must say so
    weak = run("mistakes", "C3W4")
    assert weak.returncode == 1 and "mean_age__median" in weak.stdout.split("SURVIVING")[1], weak.stdout
    hidden = tmp_path / "grader" / "hidden" / "c3w4.py"
    hidden.write_text(hidden.read_text().replace('"floats": [1.5, 2.25]', '"skewed ages": [20, 30, 85]'))
    mistakes = run("mistakes", "C3W4")
    assert mistakes.returncode == 0 and "100%" in mistakes.stdout, mistakes.stdout
    impl = tmp_path / "impl.py"
    impl.write_text("def mean_age(ages):\n    return sum(ages) / len(ages)\n")
    assert run("test-impl", "C3W4", "mean_age", str(impl)).returncode == 0
    checked = run("check", str(tmp_path / "notebooks" / "C3W4_toy.ipynb"))
    assert checked.returncode == 1 and "not implemented yet" in checked.stdout
