"""nbgrader configuration for the course. This folder (grader/) is the nbgrader course root:

    grader/source/<WEEK>/<WEEK>_<slug>.ipynb   masters (solutions + hidden-test calls)
    grader/release/, submitted/, autograded/, feedback/, gradebook.db   nbgrader's working folders (git-ignored)

Run nbgrader from this folder (cd grader && nbgrader generate_assignment C2W3), or use `python -m grader`.
`python -m grader build` applies the same preprocessors to write the learner notebooks in notebooks/.
"""

import contextlib
import os

c = get_config()  # noqa: F821 - provided by nbgrader / traitlets

c.CourseDirectory.course_id = "ai4med"
# nbgrader's release/collect exchange: a folder of this course (grader/exchange/, git-ignored), not the system-wide
# /usr/local/share/nbgrader/exchange, which a laptop does not have (formgrader then warns on every page and logs a
# critical "Unwritable directory" until the first release creates it, so it is created here). On a shared
# JupyterHub, point this line at the hub's exchange (e.g. "/srv/nbgrader/exchange"): this file overrides system ones.
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
with contextlib.suppress(OSError):  # a read-only checkout still loads its configuration
    os.makedirs(c.Exchange.root, exist_ok=True)

# Learner stubs: the solution region becomes this; the stub fails every graded test.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per-cell execution limit during autograding. nbgrader's default (30 s) silently scores correct submissions
# of training weeks as errors; the longest cell of any week is budgeted at 5 min in full mode, so we allow 10 min.
c.Execute.timeout = 600
# nbgrader keeps executing after a failing cell (Execute.allow_errors is True by default), so every
# exercise is graded even when an earlier one raises.
# Feedback shows at most this many lines of each cell's output.
c.LimitOutput.max_lines = 200
