"""``python -m grader``: the instructor and maintainer command line.

    build [--check]                      regenerate learner notebooks + reference solutions (or verify freshness)
    validate                             masters pass all tests; learner stubs fail every graded test
    check NOTEBOOK                       learner self-check: per-exercise pass/fail with a one-line hint
    test-impl WEEK NAME FILE.py[:OBJ]    run exercise NAME's public + hidden tests on OBJ from FILE.py
    mistakes [WEEK]                      every plausible mistake must be rejected
    autograde SUBMISSIONS [--workers N]  real nbgrader autograde -> grades CSV + feedback HTML

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
    from grader.course import weeks
    from grader.notebook import load_functions
    from grader.runner import run_exercise

    ok = True
    for week in weeks():
        reference = load_functions(week.master)
        stubs = load_functions(week.learner) if week.learner.exists() else None
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
            else:
                stub_ok, stub_note = False, stubs.errors.get(ex.name, "missing")
            ok &= ref_ok and stub_ok
            ref_note = "passes" if ref_ok else (ref_out.hint if ref_out else reference.errors.get(ex.name, "missing"))
            rows.append((ex.name, "ok" if ref_ok else "FAIL", "ok" if stub_ok else "FAIL",
                         _clip(ref_note if not ref_ok else stub_note, 80)))
        print(f"\n{week.name} ({week.master.name})")
        print(_table(rows, ("exercise", "reference passes", "stub fails", "note")))
    print("\nvalidate: OK" if ok else "\nvalidate: FAILED")
    return 0 if ok else 1


def cmd_check(args) -> int:
    import nbformat

    from grader.course import week_of_notebook
    from grader.notebook import load_functions
    from grader.runner import Outcome, run_exercise

    path = Path(args.notebook)
    if not path.is_file():
        print(f"notebook not found: {path}")
        return USAGE_ERROR
    week = week_of_notebook(path, nbformat.read(path, as_version=4))
    loaded = load_functions(path)
    rows, passed, total = [], 0.0, 0.0
    started = time.perf_counter()
    for ex in week.exercises:
        if ex.name in loaded.functions:
            outcome = run_exercise(week, ex.name, loaded.functions[ex.name])
        else:
            outcome = Outcome(ex.name, False, "load", loaded.errors.get(ex.name, "exercise cell not found"))
        total += ex.points
        passed += ex.points if outcome.passed else 0
        hint = "" if outcome.passed else _clip(outcome.hint)
        rows.append((f"{ex.index}", ex.name, f"{ex.points:g}", outcome.status, hint))
    print(f"{week.name} self-check of {path.name} (public + hidden tests, without running the notebook)\n")
    print(_table(rows, ("#", "exercise", "points", "result", "hint")))
    print(f"\nscore: {passed:g} / {total:g}   ({time.perf_counter() - started:.1f} s)")
    return 0 if passed == total else 1


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


def cmd_test_impl(args) -> int:
    from grader.course import get_week
    from grader.runner import run_exercise

    week = get_week(args.week)
    week.exercise(args.name)
    try:
        fn = _load_object(args.file, args.name)
    except (FileNotFoundError, ImportError, AttributeError) as err:
        print(f"usage error: {err}")
        return USAGE_ERROR
    outcome = run_exercise(week, args.name, fn)
    if outcome.passed:
        print(f"ACCEPTED: {week.name} {args.name} passes its public and hidden tests")
        return 0
    print(f"REJECTED by the {outcome.stage} tests: {outcome.hint}")
    if args.verbose and outcome.detail:
        print(outcome.detail)
    return 1


def mistakes_of(week) -> dict[str, list]:
    """Mistake functions of a week's corpus, grouped by exercise (names ``<exercise>__<slug>``)."""
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
            raise ValueError(f"grader/mistakes/{week.module}.py: {name!r} must be named <exercise>__<slug> with "
                             f"one of {sorted(grouped)}")
        grouped[exercise].append(fn)
    return grouped


MIN_MISTAKES = 6


def cmd_mistakes(args) -> int:
    """Each mistake must be rejected by the hidden tests on their own (the public tests are reported too)."""
    from grader.course import get_week, weeks
    from grader.runner import run_exercise

    selected = [get_week(args.week)] if args.week else weeks()
    survivors, rows, thin = [], [], []
    for week in selected:
        for exercise, fns in mistakes_of(week).items():
            by_hidden = by_public = 0
            for fn in fns:
                hidden = run_exercise(week, exercise, fn, stages=("hidden",))
                public = run_exercise(week, exercise, fn, stages=("public",))
                by_public += not public.passed
                if hidden.passed:
                    survivors.append(f"{week.name} {fn.__name__}: {(fn.__doc__ or '').strip()}")
                else:
                    by_hidden += 1
                    if args.verbose:
                        print(f"  {week.name} {fn.__name__}: {_clip(hidden.hint, 90)}")
            rate = f"{by_hidden / len(fns):.0%}" if fns else "-"
            rows.append((week.name, exercise, len(fns), by_hidden, rate, by_public))
            if len(fns) < MIN_MISTAKES:
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

    return autograde(Path(args.submissions), Path(args.out), workers=args.workers, keep=args.keep)


# ----------------------------------------------------------------------------------------------------- parser


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="regenerate learner notebooks and reference solutions from the masters",
                       description="Write notebooks/<WEEK>_<slug>.ipynb (nbgrader's preprocessors: stubs, no hidden "
                                   "tests, no outputs) and helpers/solutions/<week>.py from grader/source/.")
    b.add_argument("--check", action="store_true", help="only verify that the generated files are fresh (exit 1 if not)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="masters pass all tests; learner stubs fail every graded test",
                       description="For every week: the master's solutions pass the public and hidden tests, and "
                                   "the learner notebook's stubs fail every graded test.")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser("check", help="learner self-check of a notebook (public + hidden tests)",
                       description="Run the notebook's exercise functions (only the graded cells and the setup "
                                   "imports, not the whole notebook) against the public and hidden tests and print "
                                   "a per-exercise table. The hidden tests' code is never shown. Exit 0 only if "
                                   "every exercise passes.")
    c.add_argument("notebook", help="path to a learner notebook, e.g. notebooks/C2W3_survival_estimates.ipynb")
    c.set_defaults(func=cmd_check)

    t = sub.add_parser("test-impl", help="test one implementation from a .py file (exit 0 accepted, 1 rejected)",
                       description="Load OBJ (default NAME) from FILE.py and run the public and hidden tests of "
                                   "exercise NAME of WEEK, without running any notebook. Exit codes: 0 accepted, "
                                   "1 rejected (reason on stdout), 2 usage error.")
    t.add_argument("week", help="week, e.g. C2W3")
    t.add_argument("name", help="exercise (graded function) name, e.g. kaplan_meier")
    t.add_argument("file", metavar="FILE.py[:OBJ]", help="python file, optionally :name of the function in it")
    t.add_argument("-v", "--verbose", action="store_true", help="print every failed check, not only the first")
    t.set_defaults(func=cmd_test_impl)

    m = sub.add_parser("mistakes", help="run the mistakes corpus; exit 1 if any mistake survives",
                       description="Run every plausible wrong implementation in grader/mistakes/<week>.py through "
                                   "the tests of its exercise and print the kill rate per exercise.")
    m.add_argument("week", nargs="?", help="only this week (default: all weeks)")
    m.add_argument("-v", "--verbose", action="store_true", help="show which check rejects each mistake")
    m.set_defaults(func=cmd_mistakes)

    a = sub.add_parser("autograde", help="real nbgrader autograde of a folder of submissions",
                       description="Autograde SUBMISSIONS/<student>/<WEEK>/<notebook>.ipynb (or "
                                   "SUBMISSIONS/<student>/<notebook>.ipynb) with nbgrader: writes OUT/grades.csv, "
                                   "OUT/grades_by_exercise.csv and OUT/feedback/. Exit 1 if any submission could "
                                   "not be matched to a week.")
    a.add_argument("submissions", help="folder with one sub-folder per student")
    a.add_argument("--workers", type=int, default=1, help="parallel nbgrader workers (default 1)")
    a.add_argument("--out", default="grader_output", help="output folder (default ./grader_output)")
    a.add_argument("--keep", action="store_true", help="keep the temporary nbgrader courses for inspection")
    a.set_defaults(func=cmd_autograde)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from grader.course import CourseError

    try:
        return args.func(args)
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
