"""Where everything lives, and what the weeks and exercises are — discovered from the files, never listed by hand.

A week exists when ``grader/source/<WEEK>/<WEEK>_<slug>.ipynb`` exists. Its exercises are the master's solution cells
(nbgrader ``solution: true``), named by their ``grade_id``; the points are those of the matching ``test_<name>``
cell. The public test is ``helpers.public_tests.<week>.test_<name>``, the hidden test
``grader.hidden.<week>.check_<name>``, the mistakes ``grader.mistakes.<week>.<name>__<slug>``.
Adding a week therefore needs only its master, those three modules and its data loader.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

GRADER_DIR = Path(__file__).resolve().parent
REPO_ROOT = GRADER_DIR.parent
SOURCE_DIR = GRADER_DIR / "source"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
SOLUTIONS_DIR = REPO_ROOT / "helpers" / "solutions"
CONFIG_FILE = GRADER_DIR / "nbgrader_config.py"

WEEK_PATTERN = re.compile(r"^C[1-3]W[1-4]$")
METADATA_KEY = "ai4med"


class CourseError(Exception):
    """A problem with the course files or with how a command was called (CLI exit code 2)."""


@dataclass(frozen=True)
class Exercise:
    name: str
    points: float
    index: int  # 1-based position in the notebook ("Exercise N")


@dataclass(frozen=True)
class Week:
    name: str  # "C2W3"
    master: Path = field(compare=False)

    @property
    def module(self) -> str:
        return self.name.lower()

    @property
    def notebook_name(self) -> str:
        return self.master.name

    @property
    def learner(self) -> Path:
        return NOTEBOOKS_DIR / self.master.name

    @property
    def solutions_file(self) -> Path:
        return SOLUTIONS_DIR / f"{self.module}.py"

    def read_master(self):
        import nbformat

        return nbformat.read(self.master, as_version=4)

    @cached_property
    def exercises(self) -> tuple[Exercise, ...]:
        # plain json, not nbformat: importing nbformat costs ~2 s and test-impl must answer in seconds
        cells = json.loads(self.master.read_text(encoding="utf-8"))["cells"]
        names, points = [], {}
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and cell["cell_type"] == "code":
                names.append(meta["grade_id"])
            if meta.get("grade") and meta.get("grade_id", "").startswith("test_"):
                points[meta["grade_id"][len("test_"):]] = float(meta.get("points", 0))
        missing = [n for n in names if n not in points]
        if missing:
            raise CourseError(f"{self.master}: exercise(s) {missing} have no graded 'test_<name>' cell")
        return tuple(Exercise(n, points[n], i) for i, n in enumerate(names, start=1))

    def exercise(self, name: str) -> Exercise:
        for ex in self.exercises:
            if ex.name == name:
                return ex
        known = ", ".join(e.name for e in self.exercises)
        raise CourseError(f"week {self.name} has no exercise {name!r}; its exercises are: {known}")

    @property
    def max_points(self) -> float:
        return sum(e.points for e in self.exercises)


def weeks() -> list[Week]:
    """All weeks that have a master notebook, in course order."""
    found = []
    for folder in sorted(SOURCE_DIR.iterdir()) if SOURCE_DIR.is_dir() else []:
        if not (folder.is_dir() and WEEK_PATTERN.match(folder.name)):
            continue
        masters = sorted(folder.glob(f"{folder.name}_*.ipynb"))
        if len(masters) != 1:
            raise CourseError(f"{folder} must hold exactly one master notebook named {folder.name}_<slug>.ipynb, "
                              f"found {[m.name for m in masters]}")
        found.append(Week(folder.name, masters[0]))
    return found


def get_week(name: str) -> Week:
    for week in weeks():
        if week.name.lower() == name.strip().lower():
            return week
    known = ", ".join(w.name for w in weeks()) or "none"
    raise CourseError(f"unknown week {name!r}; weeks with a master notebook: {known}")


def week_of_notebook(path: Path, nb) -> Week:
    """The week a (learner, master or submitted) notebook belongs to: its metadata, else its file name."""
    tagged = nb.metadata.get(METADATA_KEY, {}).get("week")
    if tagged:
        return get_week(tagged)
    match = re.match(r"(C[1-3]W[1-4])", Path(path).name, flags=re.IGNORECASE)
    if match:
        return get_week(match.group(1))
    raise CourseError(f"{path}: cannot tell which week this notebook belongs to (no '{METADATA_KEY}.week' "
                      "metadata and the file name does not start with a week such as C2W3)")
