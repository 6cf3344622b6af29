"""C3W2 quiz: keyword labels, negation, per-label F1, BERT input and span decoding (Indiana University reports)."""

from grader.quizzes import Choice, Number

TITLE = "Labelling radiology reports and answering questions about them"

WORKSPACE = """
import re
import numpy as np
import pandas as pd
from helpers.data.reports import LABELS, load_iu_reports, mesh_labels

reports = load_iu_reports()    # 3,955 real reports: indication, comparison, findings, impression, MeSH terms
truth = mesh_labels(reports)   # one row per indexed report, one boolean column per label
truth.head()
"""

NEGATED_SENTENCE = "No evidence of focal consolidation or effusion."


def no_finding_fraction() -> float:
    from helpers.data.reports import load_iu_reports, mesh_labels

    return float(mesh_labels(load_iu_reports())["No Finding"].mean())


def smallest_negating_window() -> float:
    from helpers.solutions.c3w2 import get_labels_negative_aware

    keywords = {"Pleural Effusion": ["effusion"]}
    return float(
        next(
            w
            for w in range(1, 20)
            if not get_labels_negative_aware([NEGATED_SENTENCE], keywords, ["no"], window=w)["Pleural Effusion"]
        )
    )


def worked_f1() -> float:
    tp, fp, fn = 30, 10, 20
    return 2 * tp / (2 * tp + fp + fn)


def passage_tokens_kept() -> float:
    question, passage, max_length = 6, 400, 384
    return min(passage, max_length - question - 3)


QUESTIONS = [
    Choice(
        "Why keywords alone fail",
        "A keyword labeller (a finding is positive when a sentence mentions it) has a precision of only 0.05 for "
        "pleural effusion. Why?",
        {
            "A": "Radiologists list what they looked for and did not find: 'No pleural effusion' mentions the "
            "finding in most normal reports.",
            "B": "Effusion is described with too many synonyms.",
            "C": "The reports are de-identified.",
            "D": "Precision is always low for rare findings.",
        },
        "A",
        "Negated mentions outnumber positive ones for findings that are routinely ruled out, so almost every "
        "report is labelled positive. Handling negation (Exercise 2, negspacy) is what fixes precision.",
        {"B": "blames vocabulary: that would lower recall, not precision"},
    ),
    Number(
        "F1 by hand",
        "A labeller has, for one label, 30 true positives, 10 false positives and 20 false negatives. What is its F1?",
        0.666667,
        3,
        0.002,
        "Precision 30/40 = 0.75, recall 30/50 = 0.60; F1 = 2·TP/(2·TP + FP + FN) = 60/90 ≈ 0.667, the harmonic mean "
        "of the two.",
        {0.675: "took the arithmetic mean of precision and recall", 0.75: "gave the precision", 0.6: "gave the recall"},
        "worked_f1",
    ),
    Number(
        "Size of the negation window",
        "With the course's rule (a cue negates a mention when the cue ends within `window` words before the "
        "mention's first word), what is the **smallest** window for which 'no' negates 'effusion' in *No evidence "
        "of focal consolidation or effusion.*?",
        6.0,
        0,
        0,
        "'effusion' is word 6 (counting from 0) and 'no' is word 0: the cue must end at an index ≥ 6 − window, so "
        "window 6 is the smallest. The default window of 5 misses it — long negated lists are why the notebook's "
        "best window is about ten words.",
        {5.0: "counted the words between the cue and the mention", 7.0: "counted both ends"},
        "smallest_negating_window",
    ),
    Choice(
        "Uncertain mentions",
        "How should a labeller treat *'may represent pneumonia'*?",
        {
            "A": "As uncertain: neither a positive nor a negative finding (CheXpert gives such mentions a third "
            "value).",
            "B": "As negative, because 'may' weakens it.",
            "C": "As positive, with full confidence.",
            "D": "As a negation cue for the next sentence.",
        },
        "A",
        "Hedged language is common in reports. All three labellers of the notebook call it positive; the MeSH "
        "indexers mostly did not code it. Labelling systems such as CheXpert and NegBio keep a separate "
        "*uncertain* value.",
        {"C": "treats a hedge as a finding", "B": "treats a hedge as a negation"},
    ),
    Choice(
        "Double negation",
        "A report says *'pneumonia cannot be excluded'*. What does it mean, and what does a backward negation "
        "window do with it?",
        {
            "A": "Pneumonia is possibly present; a backward window does not see 'cannot' after the mention and calls "
            "it positive.",
            "B": "Pneumonia is absent; the window correctly calls it negative.",
            "C": "Pneumonia is certainly present; the window calls it negative.",
            "D": "The sentence says nothing about pneumonia.",
        },
        "A",
        "'Cannot be excluded' is a double negation meaning *possibly present*. A backward window only looks before "
        "the mention, so it labels the finding positive — right here by luck, and it would say the same of a "
        "definite finding. A labeller that also read 'excluded' after the mention as a negation would wrongly call "
        "it absent.",
        {"B": "reads 'cannot be excluded' as a negation"},
    ),
    Number(
        "How many normal reports",
        "Among the indexed reports (`truth` in the working space), what fraction is labelled **No Finding**?",
        0.360363,
        3,
        0.002,
        "About 36 % of the indexed reports are normal. The ground truth is one indexer's summary of each report, "
        "not a radiologist's per-finding label.",
        {0.640: "gave the fraction with at least one finding", 0.352: "divided by all 3,955 reports"},
        "no_finding_fraction",
    ),
    Choice(
        "WordPiece tokens",
        "MiniLM's tokenizer turns *'atelectasis'* into several tokens, the later ones starting with `##`. What "
        "does `##` mean?",
        {
            "A": "The piece continues the previous token's word (no space before it).",
            "B": "The piece is a special token such as [SEP].",
            "C": "The piece is unknown to the vocabulary.",
            "D": "The piece is a number.",
        },
        "A",
        "WordPiece splits rare words into frequent pieces; `##` marks a piece glued to the one before, which is how "
        "an answer span's tokens are joined back into words.",
        {"C": "confuses a continuation piece with [UNK]"},
    ),
    Number(
        "Truncating the passage",
        "A question has 6 tokens and a passage 400 tokens. With `max_seq_length = 384` and the input "
        "`[CLS] question [SEP] passage [SEP]`, how many passage tokens are kept?",
        375.0,
        0,
        0,
        "384 − 6 − 3 special tokens = 375 passage tokens; the question is never truncated.",
        {
            378.0: "forgot the three special tokens",
            376.0: "counted two special tokens",
            384.0: "truncated the whole input instead of the passage",
        },
        "passage_tokens_kept",
    ),
    Choice(
        "Decoding an answer span",
        "Start scores over four passage tokens are `[0.1, 2.0, 0.3, 1.5]`, end scores `[1.8, 0.2, 0.4, 0.9]`. "
        "Which span (start, end) does the decoder return?",
        {
            "A": "(1, 0): the best start and the best end taken separately.",
            "B": "(1, 3): the best sum of start and end scores with start ≤ end.",
            "C": "(0, 0): the first token.",
            "D": "(3, 3): the last token with a high start score.",
        },
        "B",
        "Taking the two maxima separately gives end < start, which is not a span. Among valid spans, start 1 with "
        "end 3 scores 2.0 + 0.9 = 2.9, the best.",
        {"A": "takes the argmax of starts and ends independently"},
    ),
    Choice(
        "What the MeSH ground truth is",
        "The labels are scored against the reports' major MeSH terms. Which statement is right?",
        {
            "A": "They are one indexer's summary of the whole report, so a finding the report mentions in passing may "
            "be missing from them.",
            "B": "They are radiologists' labels of the images.",
            "C": "They were produced by the same keyword rules.",
            "D": "They are exact per-sentence labels.",
        },
        "A",
        "The ground truth is an imperfect reference: some 'false positives' of a labeller are findings the indexer "
        "did not code. Scores against it are estimates of agreement, not of truth.",
        {"B": "thinks the labels come from the images"},
    ),
]
