"""Scoring extractive answers (exact match, token F1) and a non-neural baseline to compare a QA model with.

The scores follow the SQuAD evaluation (Rajpurkar et al., "SQuAD: 100,000+ questions for machine comprehension of
text", EMNLP 2016): both answers are lower-cased, stripped of punctuation and of the articles a/an/the, and split
into words; *exact match* is 1 when the word lists are equal, *token F1* the harmonic mean of the word-level
precision and recall (bag of words).
"""

from __future__ import annotations

import collections
import re
import string

import numpy as np
import pandas as pd

from helpers.data.reports import split_sentences

__all__ = ["exact_match", "normalize_answer", "overlap_baseline", "qa_scores", "token_f1"]

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation)
_STOP = {
    "a",
    "an",
    "the",
    "is",
    "are",
    "was",
    "were",
    "of",
    "in",
    "on",
    "for",
    "to",
    "this",
    "what",
    "why",
    "how",
    "which",
    "where",
    "any",
    "there",
    "does",
    "did",
    "or",
    "and",
    "about",
    "say",
    "report",
    "be",
    "it",
}


def normalize_answer(text: str) -> list[str]:
    """Lower case, punctuation and articles removed, split on white space."""
    return _ARTICLES.sub(" ", str(text).lower().translate(_PUNCTUATION)).split()


def exact_match(prediction: str, truth: str) -> float:
    """1.0 when the normalized answers are equal, else 0.0."""
    return float(normalize_answer(prediction) == normalize_answer(truth))


def token_f1(prediction: str, truth: str) -> float:
    """Word-overlap F1 between two answers (1.0 when both are empty after normalization)."""
    pred, gold = normalize_answer(prediction), normalize_answer(truth)
    if not pred or not gold:
        return float(pred == gold)
    common = sum((collections.Counter(pred) & collections.Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def qa_scores(predictions, truths, groups=None) -> pd.DataFrame:
    """Mean exact match and token F1 (and the count), overall and, with ``groups``, per group (e.g. topic).

    Raises
    ------
    ValueError
        If ``predictions``, ``truths`` (and ``groups``) do not have the same length.
    """
    predictions, truths = list(predictions), list(truths)
    lengths = {len(predictions), len(truths)} | ({len(groups)} if groups is not None else set())
    if len(lengths) > 1:
        raise ValueError(
            f"qa_scores needs one prediction per truth: got {len(predictions)} predictions and {len(truths)} truths"
            + (f" and {len(groups)} groups" if groups is not None else "")
        )
    frame = pd.DataFrame(
        {
            "exact match": [exact_match(p, t) for p, t in zip(predictions, truths)],
            "token F1": [token_f1(p, t) for p, t in zip(predictions, truths)],
        }
    )
    overall = frame.mean().to_frame("all").T.assign(questions=len(frame))
    if groups is None:
        return overall
    per_group = frame.groupby(np.asarray(groups)).agg(["mean"]).droplevel(1, axis=1)
    per_group["questions"] = pd.Series(np.asarray(groups)).value_counts()
    return pd.concat([per_group, overall])


def _words(text: str) -> set[str]:
    return {w for w in normalize_answer(text) if w not in _STOP}


def overlap_baseline(question: str, passage: str) -> str:
    """The passage sentence sharing the most words with the question (ties: the earliest sentence).

    Passage lines are split into sentences; section headings (``FINDINGS:``) count as words of their first
    sentence, and common question words (what, is, the, ...) are ignored.
    """
    asked = _words(question)
    sentences = [s for line in passage.splitlines() for s in split_sentences(line)]
    if not sentences:
        return ""
    overlaps = [len(asked & _words(s)) for s in sentences]
    return sentences[int(np.argmax(overlaps))].rstrip(".")
