"""``python -m grader``: the instructor and maintainer command line.

    build [--check]                      regenerate learner notebooks + reference solutions (or verify freshness)
    validate                             masters pass all tests; learner stubs fail every graded test
    check NOTEBOOK                       learner self-check: per-exercise pass/fail with a one-line hint
    test-impl WEEK NAME FILE.py[:OBJ]    run exercise NAME's public + hidden tests on OBJ from FILE.py
    mistakes [WEEK]                      every plausible mistake must be rejected
    autograde SUBMISSIONS [--workers N]  grade a folder on Dask (sandboxed) -> nbgrader gradebook, CSVs, feedback
    release OUT                          learner notebooks + helpers without solutions (what a class gets)

Exit codes: 0 success / accepted, 1 failure / rejected, 2 usage error (unknown week or exercise, missing file).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import sys
import time
from pathlib import Path

USAGE_ERROR = 2


def _table(rows: list[tuple], header: tuple) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*map(str, row)) for row in rows]
    return "\n".join(lines)


def _clip(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ----------------------------------------------------------------------------------------------------- commands


def cmd_build(args) -> int:
    from grader.build import build

    changed = build(check=args.check)
    if args.check:
        if changed:
            print("Generated files are stale; run `python -m grader build` and commit:")
            print("\n".join(f"  {c}" for c in changed))
            return 1
        print("Generated files are up to date.")
        return 0
    print("\n".join(f"wrote {c}" for c in changed) if changed else "Nothing to do: generated files are up to date.")
    return 0


def cmd_validate(args) -> int:
    from grader.course import assignments
    from grader.notebook import load_functions
    from grader.runner import run_exercise

    ok = True
    for week in assignments():
        reference = load_functions(week.master, answers=week.is_quiz)
        stubs = load_functions(week.learner, answers=week.is_quiz) if week.learner.exists() else None
        rows = []
        for ex in week.exercises:
            ref_fn = reference.functions.get(ex.name)
            ref_out = run_exercise(week, ex.name, ref_fn) if ref_fn else None
            ref_ok = bool(ref_out and ref_out.passed)
            if stubs is None:
                stub_ok, stub_note = False, "learner notebook missing (run build)"
            elif ex.name in stubs.functions:
                stub_out = run_exercise(week, ex.name, stubs.functions[ex.name])
                stub_ok, stub_note = not stub_out.passed, stub_out.hint
            elif week.is_quiz and "not answered yet" in stubs.errors.get(ex.name, ""):
                stub_ok, stub_note = True, stubs.errors[ex.name]  # an untouched answer cell raises
            else:
                stub_ok, stub_note = False, stubs.errors.get(ex.name, "missing")
            ok &= ref_ok and stub_ok
            ref_note = "passes" if ref_ok else (ref_out.hint if ref_out else reference.errors.get(ex.name, "missing"))
            rows.append(
                (
                    ex.name,
                    "ok" if ref_ok else "FAIL",
                    "ok" if stub_ok else "FAIL",
                    _clip(ref_note if not ref_ok else stub_note, 80),
                )
            )
        print(f"\n{week.name} ({week.master.name})")
        print(_table(rows, ("exercise", "reference passes", "stub fails", "note")))
    print("\nvalidate: OK" if ok else "\nvalidate: FAILED")
    return 0 if ok else 1


def _print_report(report, title: str) -> None:
    rows = []
    for ex in report.week.exercises:
        outcome = report.outcomes[ex.name]
        rows.append(
            (f"{ex.index}", ex.name, f"{ex.points:g}", outcome.status, "" if outcome.passed else _clip(outcome.hint))
        )
    print(title + "\n")
    print(_table(rows, ("#", "exercise", "points", "result", "hint")))
    for note in report.notes:
        print(f"note: {_clip(note, 200)}")


def _limits(args):
    from grader.sandbox import Limits

    # not through grader.autograde: importing it (nbformat, Dask) costs about a second on every test-impl
    return Limits().changed(
        memory_gb=getattr(args, "memory_gb", None),
        exercise_seconds=getattr(args, "time_limit", None),
        submission_seconds=getattr(args, "submission_time_limit", None),
    )


def cmd_check(args) -> int:
    from grader.isolated import grade_parsed
    from grader.submission import SubmissionError, guess_week, parse_submission, read_notebook

    path = Path(args.notebook)
    if not path.is_file():
        print(f"notebook not found: {path}")
        return USAGE_ERROR
    try:
        nb = read_notebook(path.read_bytes(), path.name)
    except SubmissionError as err:
        print(f"cannot check {path.name}: {err}")
        return 1
    week = guess_week(nb, path.name)
    if week is None:
        print(f"cannot tell which week {path.name} belongs to (no ai4med.week metadata, no week in its name)")
        return 1
    started = time.perf_counter()
    report = grade_parsed(parse_submission(nb, week), _limits(args))
    _print_report(
        report,
        f"{week.name} self-check of {path.name} (public + hidden tests; your graded cells run "
        "in a separate, sandboxed process, exactly as when they are graded)",
    )
    print(f"\nscore: {report.score:g} / {report.max_score:g}   ({time.perf_counter() - started:.1f} s)")
    return 0 if report.score == report.max_score else 1


def _load_object(spec: str, default_name: str):
    file_part, _, obj_name = spec.partition(":")
    path = Path(file_part)
    if not path.is_file():
        raise FileNotFoundError(f"file not found: {path}")
    module_name = f"_ai4med_impl_{abs(hash(path.resolve()))}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as err:  # noqa: BLE001
        raise ImportError(f"could not load {path}: {type(err).__name__}: {err}") from err
    name = obj_name or default_name
    if not callable(getattr(module, name, None)):
        raise AttributeError(f"{path} defines no function named {name!r}")
    return getattr(module, name)


def _test_isolated(week, name: str, spec: str, verbose: bool, limits) -> int:
    from grader.runner import run_exercise
    from grader.sandbox import LearnerError, Remote, Sandbox, SandboxFailure

    file_part, _, obj_name = spec.partition(":")
    path = Path(file_part)
    if not path.is_file():
        print(f"usage error: file not found: {path}")
        return USAGE_ERROR
    obj_name = obj_name or name
    with Sandbox(limits) as sandbox:
        try:
            with sandbox.budget(limits.cell_seconds):
                sandbox.request("module", path.name, path.read_text(encoding="utf-8"))
                fn = sandbox.request("get", obj_name)
        except NameError:
            print(f"usage error: {path} defines no function named {obj_name!r}")
            return USAGE_ERROR
        except (LearnerError, SandboxFailure) as err:
            print(f"usage error: could not load {path}: {type(err).__name__}: {getattr(err, 'reason', err)}")
            return USAGE_ERROR
        if type(fn) is not Remote:
            print(f"usage error: {path} defines no function named {obj_name!r}")
            return USAGE_ERROR
        with sandbox.budget(limits.exercise_seconds):
            return _verdict(week, run_exercise(week, name, fn, time_limit=None), verbose)


def _verdict(week, outcome, verbose: bool) -> int:
    if outcome.passed:
        print(f"ACCEPTED: {week.name} {outcome.exercise} passes its public and hidden tests")
        return 0
    print(f"REJECTED by the {outcome.stage} tests: {outcome.hint}")
    if verbose and outcome.detail:
        print(outcome.detail)
    return 1


def cmd_test_impl(args) -> int:
    from grader.course import get_week
    from grader.runner import run_exercise

    week = get_week(args.week)
    week.exercise(args.name)
    if week.is_quiz:
        print(f"usage error: {week.name} is a quiz; check an answer with `python -m grader check NOTEBOOK`")
        return USAGE_ERROR
    if not args.in_process:
        return _test_isolated(week, args.name, args.file, args.verbose, _limits(args))
    try:
        fn = _load_object(args.file, args.name)
    except (FileNotFoundError, ImportError, AttributeError) as err:
        print(f"usage error: {err}")
        return USAGE_ERROR
    return _verdict(week, run_exercise(week, args.name, fn), args.verbose)


def cmd_release(args) -> int:
    from grader.release import write_release

    try:
        files = write_release(Path(args.out))
    except FileExistsError as err:
        print(f"error: {err}")
        return USAGE_ERROR
    print(f"wrote {len(files)} files to {args.out} (learner notebooks, helpers without solutions, requirements)")
    return 0


def mistakes_of(week) -> dict[str, list]:
    """Mistake functions of a week's corpus, grouped by exercise (names ``<exercise>__<slug>``); for a quiz, the
    plausible wrong answers of its questions (objects with ``__name__``, ``__doc__`` and ``value``)."""
    if week.is_quiz:
        from grader.quizzes import distractors

        return distractors(week.course_week)
    try:
        module = importlib.import_module(f"grader.mistakes.{week.module}")
    except ModuleNotFoundError:
        return {}
    grouped: dict[str, list] = {ex.name: [] for ex in week.exercises}
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ != module.__name__ or name.startswith("_"):
            continue
        exercise = name.split("__")[0]
        if "__" not in name or exercise not in grouped:
            raise ValueError(
                f"grader/mistakes/{week.module}.py: {name!r} must be named <exercise>__<slug> with "
                f"one of {sorted(grouped)}"
            )
        grouped[exercise].append(fn)
    return grouped


MIN_MISTAKES = 6  # per graded function; a quiz question needs at least one plausible wrong answer


def cmd_mistakes(args) -> int:
    """Each mistake must be rejected by the hidden tests on their own (the public tests are reported too)."""
    from grader.course import assignments, get_week
    from grader.runner import run_exercise

    selected = [get_week(args.week)] if args.week else assignments()
    survivors, rows, thin = [], [], []
    for week in selected:
        for exercise, fns in mistakes_of(week).items():
            by_hidden = by_public = 0
            for fn in fns:
                answer = fn.value if week.is_quiz else fn
                hidden = run_exercise(week, exercise, answer, stages=("hidden",))
                public = run_exercise(week, exercise, answer, stages=("public",))
                by_public += not public.passed
                if hidden.passed:
                    survivors.append(f"{week.name} {fn.__name__}: {(fn.__doc__ or '').strip()}")
                else:
                    by_hidden += 1
                    if args.verbose:
                        print(f"  {week.name} {fn.__name__}: {_clip(hidden.hint, 90)}")
            rate = f"{by_hidden / len(fns):.0%}" if fns else "-"
            rows.append((week.name, exercise, len(fns), by_hidden, rate, by_public))
            if len(fns) < (1 if week.is_quiz else MIN_MISTAKES):
                thin.append(f"{week.name} {exercise}: {len(fns)} mistakes (at least {MIN_MISTAKES} expected)")
    print(_table(rows, ("week", "exercise", "mistakes", "rejected by hidden", "kill rate", "also by public")))
    for line in thin:
        print(f"warning: {line}")
    if survivors:
        print("\nSURVIVING mistakes (the hidden tests accept them):")
        print("\n".join(f"  {s}" for s in survivors))
        return 1
    print("\nEvery mistake is rejected by the hidden tests.")
    return 0


def cmd_autograde(args) -> int:
    from grader.autograde import autograde

    return autograde(
        Path(args.submissions),
        Path(args.out),
        workers=args.workers,
        scheduler=args.scheduler,
        limits=_limits(args),
        dry_run=args.dry_run,
        regrade=args.regrade,
        progress=not args.no_progress,
    )


# ----------------------------------------------------------------------------------------------------- parser


def _limit_options(p) -> None:
    g = p.add_argument_group("limits for the learner's code")
    g.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="seconds for one exercise's public + hidden tests (default 60)",
    )
    g.add_argument(
        "--submission-time-limit",
        type=float,
        default=None,
        metavar="S",
        help="seconds for a whole submission (default 600)",
    )
    g.add_argument(
        "--memory-gb", type=float, default=None, metavar="GB", help="memory of the learner's process (default 4)"
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m grader", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="regenerate learner notebooks and reference solutions from the masters",
        description="Write notebooks/<WEEK>_<slug>.ipynb (nbgrader's preprocessors: stubs, no hidden "
        "tests, no outputs) and helpers/solutions/<week>.py from grader/source/.",
    )
    b.add_argument(
        "--check", action="store_true", help="only verify that the generated files are fresh (exit 1 if not)"
    )
    b.set_defaults(func=cmd_build)

    v = sub.add_parser(
        "validate",
        help="masters pass all tests; learner stubs fail every graded test",
        description="For every week: the master's solutions pass the public and hidden tests, and "
        "the learner notebook's stubs fail every graded test.",
    )
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser(
        "check",
        help="learner self-check of a notebook (public + hidden tests)",
        description="Run the notebook's graded cells (only those and the setup imports, not the whole "
        "notebook) in a sandboxed process, exactly as autograde does, against the public "
        "and hidden tests, and print a per-exercise table. The hidden tests' code is never "
        "shown. Exit 0 only if every exercise passes.",
    )
    c.add_argument("notebook", help="path to a learner notebook, e.g. notebooks/C2W3_survival_estimates.ipynb")
    _limit_options(c)
    c.set_defaults(func=cmd_check)

    t = sub.add_parser(
        "test-impl",
        help="test one implementation from a .py file (exit 0 accepted, 1 rejected)",
        description="Load OBJ (default NAME) from FILE.py and run the public and hidden tests of "
        "exercise NAME of WEEK, without running any notebook. The file runs in a "
        "sandboxed process (as in autograde) unless --in-process is given. Exit codes: "
        "0 accepted, 1 rejected (reason on stdout), 2 usage error.",
    )
    t.add_argument("week", help="week, e.g. C2W3")
    t.add_argument("name", help="exercise (graded function) name, e.g. kaplan_meier")
    t.add_argument("file", metavar="FILE.py[:OBJ]", help="python file, optionally :name of the function in it")
    t.add_argument("-v", "--verbose", action="store_true", help="print every failed check, not only the first")
    t.add_argument(
        "--in-process",
        action="store_true",
        help="run the file in this process (faster; only for code you trust, such as a mistakes corpus)",
    )
    _limit_options(t)
    t.set_defaults(func=cmd_test_impl)

    m = sub.add_parser(
        "mistakes",
        help="run the mistakes corpus; exit 1 if any mistake survives",
        description="Run every plausible wrong implementation in grader/mistakes/<week>.py through "
        "the tests of its exercise (in-process: the corpus is trusted code) and print the "
        "kill rate per exercise.",
    )
    m.add_argument("week", nargs="?", help="only this week (default: all weeks)")
    m.add_argument("-v", "--verbose", action="store_true", help="show which check rejects each mistake")
    m.set_defaults(func=cmd_mistakes)

    a = sub.add_parser(
        "autograde",
        help="grade a folder of submissions on Dask (nbgrader gradebook + feedback)",
        description="Grade SUBMISSIONS/<student>/<WEEK>/<notebook>.ipynb (or "
        "SUBMISSIONS/<student>/<notebook>.ipynb): one Dask task per submission, learner "
        "code in a sandbox with limits, nbgrader's autograde and feedback. Writes "
        "OUT/grades.csv, OUT/grades_by_exercise.csv, OUT/gradebook.db, OUT/feedback/, "
        "OUT/logs/ and OUT/results/ (what makes a re-run resume). Exit 0 when every "
        "submission got its grade; 1 if a file could not be matched to a week or a "
        "grading task failed (it is retried on the next run).",
    )
    a.add_argument("submissions", help="folder with one sub-folder per student")
    a.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes of the local Dask cluster (default: one per CPU core)",
    )
    a.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS|FILE",
        help="use an existing Dask cluster: tcp://host:8786 or a scheduler JSON file "
        "(dask-jobqueue, dask-kubernetes, Dask Gateway; see docs/GRADING.md)",
    )
    a.add_argument("--out", default="grader_output", help="output folder (default ./grader_output)")
    a.add_argument("--dry-run", action="store_true", help="list what would be graded (and what is already graded)")
    a.add_argument("--regrade", action="store_true", help="forget stored results and grade everything again")
    a.add_argument("--no-progress", action="store_true", help="no progress bar")
    a.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)  # logs are always kept in OUT/logs
    _limit_options(a)
    a.set_defaults(func=cmd_autograde)

    r = sub.add_parser(
        "release",
        help="write what learners get: notebooks, helpers without solutions, requirements",
        description="Write the learner release of every week into OUT (a new folder): learner "
        "notebooks, the helpers package without helpers/solutions, requirements files. "
        "It holds no reference solution and no hidden test.",
    )
    r.add_argument("out", help="new output folder")
    r.set_defaults(func=cmd_release)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from grader.course import CourseError

    try:
        return args.func(args)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
