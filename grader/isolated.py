"""Grade one parsed submission with its code in a sandbox and the public + hidden tests in this process.

Used by ``python -m grader check`` (a learner's self-check), ``test-impl`` and every autograde task, so all three
give the same verdict on the same code. Only the Setup imports and the graded cells run (no training, no data
loading). A cell or a call that kills, hangs or exhausts the learner's process costs only its own exercise: the
sandbox is restarted (setup imports and the cells that loaded are replayed) for the exercises after it.
"""

from __future__ import annotations

import ast
import re
import time
from dataclasses import dataclass, field

from grader.course import Week
from grader.notebook import bound_names, used_names
from grader.runner import Outcome, run_exercise
from grader.sandbox import LearnerError, Limits, Remote, Sandbox, SandboxFailure, isolation_mode
from grader.submission import ParsedSubmission

__all__ = ["Report", "grade_parsed", "load_reason"]

USES_REFERENCE = re.compile(
    r"\bhelpers\s*\.\s*solutions\b|\bgrader\s*\.\s*hidden\b|\bfrom\s+grader\b|"
    r"\bimport\s+grader\b"
)
REFERENCE_HINT = "uses the reference solution (helpers.solutions is not available while grading)"


@dataclass
class Report:
    week: Week
    outcomes: dict[str, Outcome]
    notes: list[str] = field(default_factory=list)
    fatal: str = ""
    seconds: float = 0.0
    mode: str = ""
    startup_seconds: list[float] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(ex.points for ex in self.week.exercises if self.outcomes[ex.name].passed)

    @property
    def max_score(self) -> float:
        return self.week.max_points


def load_reason(err: BaseException, limits: Limits) -> str:
    """One line saying why a graded cell could not be loaded."""
    if isinstance(err, SandboxFailure):
        return f"running the cell stopped the learner process: {err.reason}"
    kind = getattr(err, "kind", "")
    message = str(err).splitlines()[0] if str(err) else ""
    if kind == "syntax":
        return f"the cell has a syntax error ({message})"
    if kind == "reference":
        return REFERENCE_HINT
    if kind == "memory":
        return f"running the cell {message}"
    if kind == "exit":
        return f"running the cell raised SystemExit: {message}"
    return f"running the cell raised {type(err).__name__}: {message}"


def needed_setup(parsed: ParsedSubmission) -> list[str]:
    """The setup imports that bind a name some graded cell uses (a graded function may use only those and its own
    cell's names), so a plotting or training library the exercises never touch is not imported for nothing."""
    used: set[str] = set()
    for source in parsed.cells.values():
        try:
            used |= used_names(source)
        except SyntaxError:
            continue
    needed = []
    for source in parsed.setup:
        try:
            nodes = ast.parse(source).body
        except SyntaxError:
            continue
        imports = [node for node in nodes if isinstance(node, (ast.Import, ast.ImportFrom))]
        if any(bound_names(node) & (used | {"*"}) for node in imports):
            needed.append(source)
    return needed


class _NotDefined(Exception):
    pass


class _Session:
    """The sandbox of one submission, restarted (with the loaded cells replayed) after a crash or a timeout."""

    def __init__(self, parsed: ParsedSubmission, limits: Limits, mode: str):
        self.parsed, self.limits, self.mode = parsed, limits, mode
        self.sandbox: Sandbox | None = None
        self.loaded: list[str] = []
        self.startups: list[float] = []
        self.raised_after_definition: set[str] = set()
        self.notes: list[str] = []

    def ensure(self) -> Sandbox:
        if self.sandbox is not None and self.sandbox.alive:
            return self.sandbox
        self.close()
        sandbox = Sandbox(self.limits, self.mode)
        sandbox.start()
        self.startups.append(sandbox.startup_seconds)
        self.sandbox = sandbox
        with sandbox.budget(self.limits.cell_seconds * 2):
            sandbox.request("setup", needed_setup(self.parsed))
        for name in self.loaded:
            with sandbox.budget(self.limits.cell_seconds):
                try:
                    sandbox.request("exec", name, self.parsed.cells[name])
                except LearnerError:
                    if name not in self.raised_after_definition:
                        raise
        return sandbox

    def load(self, name: str) -> Remote:
        sandbox = self.ensure()
        with sandbox.budget(self.limits.cell_seconds):
            try:
                sandbox.request("exec", name, self.parsed.cells[name])
            except LearnerError as err:
                # A line after the definition failed, typically a test call using a notebook variable that does not
                # exist while grading (`print(kaplan_meier(df))`): grade the function the cell defined.
                defined = self._defined_after_error(sandbox, name)
                if defined is None:
                    raise
                self.raised_after_definition.add(name)
                self.loaded.append(name)
                self.notes.append(
                    f"{name}: its cell raised {type(err).__name__} ({err}) after defining {name}; the function was graded as "
                    "defined. "
                    "While grading only the setup imports and the graded cells run, so keep test calls that use "
                    "other notebook variables out of graded cells."
                )
                return defined
            self.loaded.append(name)
            try:
                return sandbox.request("get", name)
            except NameError:
                raise _NotDefined() from None

    def _defined_after_error(self, sandbox: Sandbox, name: str) -> Remote | None:
        if self.parsed.week.is_quiz:  # an answer cell that raises has no answer
            return None
        try:
            obj = sandbox.request("get", name)
        except (NameError, LearnerError):
            return None
        return obj if type(obj) is Remote and callable(obj) else None

    def proxy(self, name: str) -> Remote:
        sandbox = self.ensure()
        with sandbox.budget(self.limits.cell_seconds):
            return sandbox.request("get", name)

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None


def grade_parsed(parsed: ParsedSubmission, limits: Limits | None = None, *, mode: str | None = None) -> Report:
    limits = limits or Limits()
    mode = mode or isolation_mode()
    week = parsed.week
    started = time.monotonic()
    report = Report(week, {}, list(parsed.notes), parsed.fatal, mode=mode)
    if parsed.fatal:
        report.outcomes = {ex.name: Outcome(ex.name, False, "load", parsed.fatal) for ex in week.exercises}
        return report
    outcomes = {name: Outcome(name, False, "load", reason) for name, reason in parsed.missing.items()}
    session = _Session(parsed, limits, mode)
    proxies: dict[str, Remote] = {}
    try:
        for ex in week.exercises:  # load every graded cell first (definitions only)
            if ex.name in outcomes:
                continue
            try:
                obj = session.load(ex.name)
            except _NotDefined:
                what = "answer variable" if week.is_quiz else "function"
                outcomes[ex.name] = Outcome(
                    ex.name, False, "load", f"the cell does not define {ex.name} (was the {what} renamed?)"
                )
                continue
            except NotImplementedError:  # the untouched stub of a quiz answer cell raises when it runs
                what = "answered" if week.is_quiz else "implemented"
                outcomes[ex.name] = Outcome(
                    ex.name, False, "load", f"{ex.name} is not {what} yet (the cell still raises NotImplementedError)"
                )
                continue
            except (LearnerError, SandboxFailure) as err:
                if isinstance(err, SandboxFailure):
                    session.close()
                    if ex.name in session.loaded:
                        session.loaded.remove(ex.name)
                reason = load_reason(err, limits)
                if week.is_quiz and "NameError" in reason:
                    reason += " (an answer cell is graded on its own: write the value itself)"
                outcomes[ex.name] = Outcome(ex.name, False, "load", reason)
                continue
            if week.is_quiz:  # an answer is a value: plain data, or a proxy the checks will reject
                proxies[ex.name] = obj
                continue
            if type(obj) is not Remote or not callable(obj):
                outcomes[ex.name] = Outcome(
                    ex.name, False, "load", f"{ex.name} is not a function: the cell sets it to a {type(obj).__name__}"
                )
                continue
            proxies[ex.name] = obj
        for ex in week.exercises:  # then test them, one exercise at a time
            if ex.name in outcomes:
                continue
            remaining = limits.submission_seconds - (time.monotonic() - started)
            if remaining <= 0:
                outcomes[ex.name] = Outcome(
                    ex.name,
                    False,
                    "public",
                    f"the submission used its whole time limit ({limits.submission_seconds:g} s)",
                )
                continue
            try:
                fn = proxies[ex.name]
                if type(fn) is Remote and (
                    object.__getattribute__(fn, "_ai4med_sandbox") is not session.sandbox or not session.sandbox.alive
                ):
                    fn = session.proxy(ex.name)
            except (LearnerError, SandboxFailure) as err:
                session.close()
                outcomes[ex.name] = Outcome(
                    ex.name, False, "load", f"could not restart the learner process: {getattr(err, 'reason', err)}"
                )
                continue
            if session.sandbox is None:  # quiz answers are plain data: no learner process needed to check them
                outcome = run_exercise(week, ex.name, fn, time_limit=None)
            else:
                with session.sandbox.budget(min(limits.exercise_seconds, remaining)):
                    outcome = run_exercise(week, ex.name, fn, time_limit=None)
            outcomes[ex.name] = outcome
    except SandboxFailure as err:  # the sandbox could not even start
        for ex in week.exercises:
            outcomes.setdefault(
                ex.name, Outcome(ex.name, False, "load", f"grading could not start the learner process: {err.reason}")
            )
    finally:
        session.close()
    mentions_reference = bool(USES_REFERENCE.search("\n".join(parsed.setup)))
    for name, outcome in outcomes.items():
        source = parsed.cells.get(name, "")
        missing_name = any(w in outcome.hint for w in ("NameError", "ModuleNotFoundError", "ImportError"))
        if not outcome.passed and missing_name and (mentions_reference or USES_REFERENCE.search(source)):
            outcome.hint, outcome.detail = REFERENCE_HINT, REFERENCE_HINT
    report.outcomes = {ex.name: outcomes[ex.name] for ex in week.exercises}
    report.notes += session.notes
    report.seconds = time.monotonic() - started
    report.startup_seconds = session.startups
    return report
