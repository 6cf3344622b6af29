"""Benchmark week C3W2 (report labelling and question answering) and record it in docs/BENCHMARKS.md.

    flock /tmp/ai4med-bench.lock python benchmarks/bench_c3w2.py [--runs 3] [--full-runs 1] [--qa fast,full]
                                                                 [--no-notebook] [--no-write]

Measures, on this machine:
- the three labellers on every indexed report (reference solutions of the master, negspacy): per-label precision,
  recall and F1 against the MeSH ground truth, and how long each takes;
- question answering with the notebook's settings (helpers.qa.QA_SETTINGS, the same training path as the notebook):
  fine-tuning time, exact match and token F1 on the validation and test samples, against the overlap baseline;
- `python -m grader test-impl` per exercise with the reference module (budget 5 s, 10 s where transformers loads);
- the master executed end to end in FAST mode (budget 150 s) and, with --full-runs, in full mode (budget 10 min).
Not a unit test: numbers depend on the machine and its load (recorded with each run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from bench_grading import execute_cmd, fmt, test_impl_cmd, timed, write_section  # noqa: E402  (one timing helper for every benchmark)

DOC = REPO_ROOT / "docs" / "BENCHMARKS.md"
HEADING = "## C3W2: report labelling and question answering"


def labeller_section() -> str:
    import pandas as pd

    from helpers.data.report_keywords import KEYWORDS, NEGATION_CUES
    from helpers.data.reports import load_iu_reports, mesh_labels, report_sentences
    from helpers.labelling import label_reports, label_scores, negex_labels
    from helpers.solutions.c3w2 import get_labels, get_labels_negative_aware

    reports = load_iu_reports()
    truth = mesh_labels(reports)
    sentences = reports.loc[truth.index].apply(report_sentences, axis=1)
    runs, seconds = {}, {}
    for name, make in {
        "keywords": lambda: label_reports(sentences, get_labels, KEYWORDS),
        "keywords + negation (window 5)": lambda: label_reports(
            sentences, get_labels_negative_aware, KEYWORDS, NEGATION_CUES
        ),
        "keywords + negation (window 10)": lambda: label_reports(
            sentences, get_labels_negative_aware, KEYWORDS, NEGATION_CUES, 10
        ),
        "negspacy (NegEx)": lambda: negex_labels(
            sentences.str.join(" "), KEYWORDS, index=sentences.index, progress=False
        ),
    }.items():
        start = time.perf_counter()
        runs[name] = make()
        seconds[name] = time.perf_counter() - start
    scores = label_scores(truth, runs)
    f1 = scores.xs("F1", axis=1, level=1)
    lines = ["| label | positive reports | " + " | ".join(f1.columns) + " |", "|---|---|" + "---|" * len(f1.columns)]
    positives = truth.sum()
    for label, row in f1.iterrows():
        count = positives.get(label, "")
        lines.append(f"| {label} | {count} | " + " | ".join("n/a" if pd.isna(v) else f"{v:.3f}" for v in row) + " |")
    timing = ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items())
    return (
        f"F1 per label against the MeSH ground truth ({len(truth)} indexed reports; precision and recall are "
        f"printed by the notebook). Labelling all reports took: {timing}.\n\n" + "\n".join(lines)
    )


def qa_section(mode: str) -> str:
    from helpers.data.report_qa import load_report_qa
    from helpers.qa import QA_SETTINGS, fine_tune_qa, load_minilm_qa, predict_answers
    from helpers.qa_eval import overlap_baseline, qa_scores
    from helpers.solutions.c3w2 import get_span_from_scores

    settings = QA_SETTINGS[mode]
    qa = load_report_qa()
    tokenizer, model = load_minilm_qa(seed=0)
    start = time.perf_counter()
    fine_tune_qa(
        model,
        tokenizer,
        qa[qa["split"] == "train"],
        steps=settings["steps"],
        batch_size=settings["batch_size"],
        learning_rate=settings["learning_rate"],
        seed=0,
        progress=False,
    )
    train_s = time.perf_counter() - start
    rows = []
    for split in ("validation", "test"):
        part = qa[qa["split"] == split].sample(n=settings["n_eval"], random_state=0)
        start = time.perf_counter()
        predicted = predict_answers(
            model, tokenizer, part["question"], part["passage"], get_span_from_scores, progress=False
        )
        answer_s = time.perf_counter() - start
        baseline = [overlap_baseline(q, p) for q, p in zip(part["question"], part["passage"])]
        for name, answers in (("fine-tuned MiniLM", predicted), ("overlap baseline", baseline)):
            score = qa_scores(answers, part["answer_text"]).iloc[0]
            rows.append(
                f"| {mode} | {split} ({len(part)} questions) | {name} | {score['exact match']:.3f} | "
                f"{score['token F1']:.3f} | {f'{answer_s:.0f} s' if name.startswith('fine') else ''} |"
            )
    return (
        f"{mode} mode: {settings['steps']} steps x {settings['batch_size']} questions, learning rate "
        f"{settings['learning_rate']}: fine-tuning took {train_s:.0f} s.\n\n",
        rows,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--full-runs", type=int, default=0, help="also time the master in full mode (0: skip)")
    parser.add_argument("--qa", default="fast,full", help="QA settings to train and score (comma-separated)")
    parser.add_argument("--no-notebook", action="store_true", help="skip the master and test-impl timings")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(REPO_ROOT))
    load_before = os.getloadavg()
    parts = [labeller_section()]
    qa_rows, qa_notes = [], []
    for mode in filter(None, args.qa.split(",")):
        note, rows = qa_section(mode)
        qa_notes.append(note.strip())
        qa_rows += rows
    if qa_rows:
        parts.append(
            "Question answering (test questions use wordings never seen in training):\n\n"
            + "\n".join(f"- {n}" for n in qa_notes)
            + "\n\n| mode | split | method | exact match | "
            "token F1 | answering time |\n|---|---|---|---|---|---|\n" + "\n".join(qa_rows)
        )
    if not args.no_notebook:
        from grader.course import get_week

        week = get_week("C3W2")
        timing = ["| what | median wall time |", "|---|---|"]
        for ex in week.exercises:
            median, times = timed(test_impl_cmd(week, ex.name), args.runs)
            timing.append(f"| test-impl C3W2 {ex.name} (reference) | {fmt(median, times)} |")
        work = Path(tempfile.mkdtemp(prefix="ai4med-c3w2-"))
        cmd = execute_cmd(week.master, work, timeout=1800)
        fast_env = dict(os.environ, AI4MED_FAST="1", PYTHONPATH=str(REPO_ROOT))
        timing.append(f"| master, FAST mode (budget 150 s) | {fmt(*timed(cmd, args.runs, env=fast_env))} |")
        if args.full_runs:
            full_env = {k: v for k, v in fast_env.items() if k != "AI4MED_FAST"}
            timing.append(f"| master, full mode (budget 10 min) | {fmt(*timed(cmd, args.full_runs, env=full_env))} |")
        parts.append("\n".join(timing))
    load_after = os.getloadavg()
    body = (
        f"`python benchmarks/bench_c3w2.py --runs {args.runs} --full-runs {args.full_runs} --qa {args.qa}`, "
        f"measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores; load average (1/5/15 min) "
        f"{'/'.join(f'{x:.1f}' for x in load_before)} before and {'/'.join(f'{x:.1f}' for x in load_after)} "
        "after.\n\n" + "\n\n".join(parts)
    )
    print(body)
    if not args.no_write:
        write_section(body, HEADING)
        print(f"\nwritten to {DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
