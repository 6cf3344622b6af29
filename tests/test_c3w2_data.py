"""C3W2 data layer: the Indiana University reports, the MeSH ground truth, the QA set and the offline MiniLM."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.data import report_qa
from helpers.data import reports as rep
from helpers.data.report_keywords import KEYWORDS, NEGATION_CUES
from helpers.qa_eval import exact_match, overlap_baseline, qa_scores, token_f1

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reports():
    return rep.load_iu_reports()


@pytest.fixture(scope="module")
def qa(reports):
    return report_qa.build_qa_set(reports)


# --------------------------------------------------------------------------------------------- reports


def test_all_reports_with_their_sections(reports):
    assert reports.shape == (3955, 5)
    assert list(reports.columns) == ["indication", "comparison", "findings", "impression", "mesh"]
    assert reports.index.is_unique and reports.index[0] == "CXR1"
    assert (reports["findings"] == "").sum() == 530 and (reports["impression"] == "").sum() == 34
    assert reports["findings"].str.contains(r"\bXXXX\b").sum() > 100  # de-identification markers kept
    assert reports.loc["CXR1000", "mesh"][0] == "Opacity/lung/upper lobe/right"


def test_loader_returns_a_fresh_copy(reports):
    again = rep.load_iu_reports()
    again.loc["CXR1", "mesh"].append("changed")
    assert "changed" not in rep.load_iu_reports().loc["CXR1", "mesh"]


def test_a_missing_package_gives_an_actionable_error(monkeypatch):
    monkeypatch.setattr(rep.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="make setup"):
        rep.reports_archive()


def test_mesh_ground_truth(reports):
    truth = rep.mesh_labels(reports)
    assert list(truth.columns) == rep.LABELS and len(truth) == 3955 - 95  # "No Indexing" reports left out
    counts = truth.sum()
    assert counts["No Finding"] == 1391 and counts["Cardiomegaly"] == 395 and counts["Pneumothorax"] == 23
    assert not (truth["No Finding"] & truth[rep.FINDINGS].any(axis=1)).any()
    one = pd.DataFrame(
        {"mesh": [["Cardiac Shadow/enlarged/mild", "Density/lung/base/left"], ["Cardiac Shadow/prominent"]]},
        index=["a", "b"],
    )
    labels = rep.mesh_labels(one)
    assert labels.loc["a", "Cardiomegaly"] and labels.loc["a", "Opacity"]
    assert not labels.loc["b"].any()


def test_sentence_splitting():
    assert rep.split_sentences("1. Chest. Elevated 2.5 cm. 2. No effusion. .") == [
        "1. Chest.",
        "Elevated 2.5 cm.",
        "2. No effusion.",
    ]
    assert rep.split_sentences("") == [] and rep.split_sentences("No period") == ["No period"]


def test_keyword_lists_are_lower_case():
    assert set(KEYWORDS) == set(rep.FINDINGS)
    assert all(p == p.lower() for phrases in KEYWORDS.values() for p in phrases)
    assert all(c == c.lower() for c in NEGATION_CUES)


# --------------------------------------------------------------------------------------------- QA set


def test_answers_are_spans_of_their_passage(qa):
    assert len(qa) > 15000
    spans = [p[s : s + len(a)] for p, s, a in zip(qa["passage"], qa["answer_start"], qa["answer_text"])]
    assert spans == list(qa["answer_text"])
    assert (qa["answer_text"].str.len() > 0).all()
    assert set(qa["topic"]) == set(report_qa.TOPICS)


def test_split_by_report_with_duplicates_kept_together(qa, reports):
    per_report = qa.groupby("report_id")["split"].nunique()
    assert (per_report == 1).all()
    shares = qa.drop_duplicates("report_id")["split"].value_counts(normalize=True)
    assert shares["train"] == pytest.approx(0.70, abs=0.05) and shares["test"] == pytest.approx(0.15, abs=0.05)
    text = (reports["findings"] + " | " + reports["impression"]).str.lower().str.split().str.join(" ")
    splits = qa.drop_duplicates("report_id").set_index("report_id")["split"]
    assert (
        pd.DataFrame({"text": text.loc[splits.index], "split": splits}).groupby("text")["split"].nunique() == 1
    ).all()


def test_test_wordings_never_appear_in_training(qa):
    train_questions = set(qa.loc[qa["split"] != "test", "question"])
    assert not train_questions & set(qa.loc[qa["split"] == "test", "question"])
    for topic, wordings in report_qa.WORDINGS.items():
        assert not set(wordings["train"]) & set(wordings["held_out"]), topic


def test_the_qa_set_is_deterministic(reports):
    first = report_qa.build_qa_set(reports.iloc[:300])
    assert first.equals(report_qa.build_qa_set(reports.iloc[:300]))


# --------------------------------------------------------------------------------------------- scores and baseline


def test_squad_style_scores():
    assert exact_match("The right lower lobe.", "right lower lobe") == 1.0
    assert token_f1("right lower lobe", "left lower lobe") == pytest.approx(2 / 3)
    assert token_f1("", "") == 1.0 and token_f1("x", "") == 0.0
    table = qa_scores(["a b", "c"], ["a b", "d"], groups=["g1", "g2"])
    assert table.loc["all", "exact match"] == 0.5 and table.loc["g1", "questions"] == 1
    with pytest.raises(ValueError, match="1 predictions and 2 truths"):
        qa_scores(["a"], ["a", "b"])


def test_overlap_baseline_returns_the_sentence_sharing_most_words():
    passage = "FINDINGS: The heart is normal. The lungs are clear.\nIMPRESSION: Normal chest."
    assert overlap_baseline("How are the lungs?", passage) == "The lungs are clear"
    assert overlap_baseline("Anything?", passage) == "FINDINGS: The heart is normal"


# --------------------------------------------------------------------------------------------- MiniLM, offline


def test_minilm_loads_with_the_network_blocked_and_no_offline_variable_set():
    """The helper itself sets HF_HUB_OFFLINE: a child process with the network blocked and the variables unset."""
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    code = (
        "import socket, os\n"
        "from helpers.qa import load_minilm_qa\n"
        "tokenizer, model = load_minilm_qa()\n"
        "assert getattr(socket, '_ai4med_blocked', False)\n"
        "assert os.environ['HF_HUB_OFFLINE'] == '1'\n"
        "print(type(model).__name__, sum(p.numel() for p in model.parameters()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "BertForQuestionAnswering" in result.stdout


def test_fine_tuning_runs_and_answers_are_passage_spans(qa):
    from helpers.qa import fine_tune_qa, load_minilm_qa, predict_answers
    from helpers.solutions.c3w2 import get_span_from_scores

    tokenizer, model = load_minilm_qa(seed=0)
    train = qa[qa["split"] == "train"].head(24)
    before = model.qa_outputs.weight.detach().clone()
    losses = fine_tune_qa(model, tokenizer, train, steps=3, batch_size=8, seed=0, progress=False)
    assert len(losses) == 3 and np.all(np.isfinite(losses))
    assert not np.allclose(before, model.qa_outputs.weight.detach())
    assert not model.bert.embeddings.word_embeddings.weight.requires_grad
    part = qa[qa["split"] == "test"].head(5)
    answers = predict_answers(model, tokenizer, part["question"], part["passage"], get_span_from_scores, progress=False)
    assert all(a in p for a, p in zip(answers, part["passage"]))
    with pytest.raises(ValueError):
        fine_tune_qa(model, tokenizer, train, steps=0)


# --------------------------------------------------------------------------------------------- labelling helpers


def test_negspacy_labeller_and_scores():
    from helpers.labelling import add_no_finding, label_scores, negex_labels

    texts = ["No pleural effusion. Mild cardiomegaly.", "Small left pleural effusion.", "The lungs are clear."]
    labels = negex_labels(texts, KEYWORDS, index=["a", "b", "c"], progress=False)
    assert list(labels.columns) == rep.LABELS
    assert labels.loc["a", "Cardiomegaly"] and not labels.loc["a", "Pleural Effusion"]
    assert labels.loc["b", "Pleural Effusion"] and labels.loc["c", "No Finding"] and not labels.loc["b", "No Finding"]
    truth = add_no_finding(labels.assign(Cardiomegaly=[True, True, False]))
    table = label_scores(truth, {"negspacy": labels})
    assert table.loc["Cardiomegaly", ("negspacy", "precision")] == 1.0
    assert table.loc["Cardiomegaly", ("negspacy", "recall")] == 0.5
    assert np.isnan(table.loc["Fracture", ("negspacy", "F1")])


def test_plots_return_figures():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from helpers.plots import label_f1_bars, training_curve

    scores = pd.DataFrame({("a", "F1"): [0.5, np.nan], ("b", "F1"): [0.7, 0.2]}, index=["X", "Y"])
    assert isinstance(label_f1_bars(scores), Figure)
    assert isinstance(training_curve([3.0, 2.5, 2.0, 1.0], smooth=2), Figure)
    with pytest.raises(ValueError):
        training_curve([])
