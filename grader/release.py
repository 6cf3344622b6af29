"""``python -m grader release OUT``: what learners get in a graded class, without reference code or hidden tests.

OUT/notebooks/<WEEK>_<slug>.ipynb   the learner notebooks (stubs, public tests only) and quizzes (<WEEK>Q_quiz)
OUT/helpers/                         the course package without ``helpers/solutions`` (data loaders, plots, models,
                                     public tests, quiz self-check keys: digests, never answers)
OUT/requirements.txt, requirements-nodeps.txt, README.md

The same copy of ``helpers`` is what a learner's code sees while it is graded (``grader.sandbox``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.course import REPO_ROOT, assignments

__all__ = ["copy_helpers", "write_release"]

EXCLUDED = ("solutions", "__pycache__", "*.pyc", ".ipynb_checkpoints")

README = """# AI for Medicine — learner release

Open `notebooks/` in JupyterLab with this folder on `PYTHONPATH` (or from this folder), after installing
`requirements.txt` (then `pip install --no-deps -r requirements-nodeps.txt`). Fill in each `# GRADED FUNCTION` cell
and run the test cell below it; answer each quiz question (`<WEEK>Q_quiz.ipynb`) in its answer cell and run its check
cell. Submit your notebooks as your instructor tells you.
"""


def copy_helpers(target: Path) -> None:
    """Copy the ``helpers`` package to ``target`` without the reference solutions."""
    shutil.copytree(REPO_ROOT / "helpers", target, ignore=shutil.ignore_patterns(*EXCLUDED))


def write_release(out: Path) -> list[Path]:
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty: choose a new folder for the release")
    out.mkdir(parents=True, exist_ok=True)
    copy_helpers(out / "helpers")
    (out / "notebooks").mkdir()
    for week in assignments():  # exercise notebooks and quiz notebooks
        shutil.copy(week.learner, out / "notebooks" / week.learner.name)
    for name in ("requirements.txt", "requirements-nodeps.txt"):
        shutil.copy(REPO_ROOT / name, out / name)
    (out / "README.md").write_text(README)
    return sorted(p for p in out.rglob("*") if p.is_file())
