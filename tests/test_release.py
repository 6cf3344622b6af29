"""`python -m grader release OUT` holds what a learner gets and nothing that would give the answers away."""

import subprocess
import sys

from grader.course import REPO_ROOT, weeks
from grader.notebook import graded_cells


def _secret_lines():
    """Lines of every reference solution and hidden test that a release must not contain."""
    lines = set()
    for week in weeks():
        for cell in graded_cells(week.read_master()):
            source = cell.source
            if "### BEGIN SOLUTION" in source:
                solution = source.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
                lines.update(line.strip() for line in solution.splitlines() if len(line.strip()) > 25)
        hidden = (REPO_ROOT / "grader" / "hidden" / f"{week.module}.py").read_text()
        lines.update(
            line.strip()
            for line in hidden.splitlines()
            if len(line.strip()) > 40 and not line.strip().startswith(("#", "from ", "import ", '"""'))
        )
    public = [p for p in (REPO_ROOT / "helpers").rglob("*.py") if "solutions" not in p.parts]
    public += list((REPO_ROOT / "notebooks").glob("*.ipynb"))
    public_text = "\n".join(p.read_text() for p in public)
    return {line for line in lines if line not in public_text}  # a line the public code also has is no secret


def test_release_has_notebooks_and_helpers_but_no_reference_or_hidden_tests(tmp_path):
    out = tmp_path / "release"
    result = subprocess.run(
        [sys.executable, "-m", "grader", "release", out], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.relative_to(out).as_posix() for p in files}
    assert {f"notebooks/{w.learner.name}" for w in weeks()} <= names
    assert "helpers/public_tests/framework.py" in names and "requirements.txt" in names
    assert any(n.startswith("helpers/data/") for n in names)
    assert not any("solutions" in n or n.startswith("grader") or "hidden" in n or "mistakes" in n for n in names)
    secrets = _secret_lines()
    assert secrets
    for path in files:
        text = path.read_text(errors="ignore")
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{path.relative_to(out)} contains reference or hidden-test code: {leaked[:3]}"
    again = subprocess.run(
        [sys.executable, "-m", "grader", "release", out], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 2 and "not empty" in again.stdout
