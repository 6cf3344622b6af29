"""Labelling many reports at once, a NegEx labeller (negspacy on a blank spaCy pipeline) and per-label scores.

negspacy (MIT) implements NegEx (Chapman et al., J Biomed Inform 34(5):301-310, 2001) as a spaCy component: it
marks an entity as negated when a pre-negation trigger (its clinical termset has 62, e.g. "no", "no evidence of",
"negative for") comes before it or a post-negation trigger (11, e.g. "is ruled out", "unlikely") after it,
within the same sentence and up to a termination word ("but", "however", ...). Here the entities are the keyword
mentions, found by a spaCy ``entity_ruler``; ``spacy.blank("en")`` needs no trained model and no download.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from helpers.data.reports import FINDINGS, LABELS

__all__ = ["add_no_finding", "label_reports", "label_scores", "negex_labels", "negex_pipeline"]


def add_no_finding(labels: pd.DataFrame) -> pd.DataFrame:
    """Add (or replace) a ``No Finding`` column: True when none of the ten findings is True."""
    out = labels.copy()
    out["No Finding"] = ~out[FINDINGS].any(axis=1)
    return out[LABELS]


def label_reports(sentences: pd.Series, labeller: Callable, *args, **kwargs) -> pd.DataFrame:
    """Apply ``labeller(report_sentences, *args, **kwargs) -> dict`` to every report; add ``No Finding``.

    ``sentences`` holds one list of sentences per report (index: report id). Returns a boolean frame
    (n_reports, 11) with the columns of :data:`helpers.data.reports.LABELS`.
    """
    rows = [labeller(list(s), *args, **kwargs) for s in sentences]
    return add_no_finding(pd.DataFrame(rows, index=sentences.index).astype(bool))


def negex_pipeline(keywords: dict[str, list[str]]):
    """A blank English spaCy pipeline: sentencizer, an entity ruler for ``keywords``, then negspacy's ``negex``.

    Each phrase becomes a token pattern whose words match the start of a lower-cased token (so ``"effusion"``
    matches "effusions", as the substring labellers do).
    """
    import spacy
    from negspacy.negation import Negex  # noqa: F401  (registers the "negex" factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    patterns = []
    for label, phrases in keywords.items():
        for phrase in phrases:
            words = [token.text for token in nlp.make_doc(phrase)]
            patterns.append(
                {"label": label, "pattern": [{"LOWER": {"REGEX": "^" + re.escape(word)}} for word in words]}
            )
    ruler.add_patterns(patterns)
    nlp.add_pipe("negex", config={"ent_types": list(keywords)})
    return nlp


def negex_labels(
    texts: Iterable[str], keywords: dict[str, list[str]], index=None, progress: bool = True
) -> pd.DataFrame:
    """Label each text with negspacy: a label is True when any of its mentions is not negated.

    Returns a boolean frame (n_texts, 11) with the columns of :data:`LABELS` (``No Finding`` added as in
    :func:`add_no_finding`).
    """
    from tqdm.auto import tqdm

    nlp = negex_pipeline(keywords)
    texts = list(texts)
    rows = []
    for doc in tqdm(nlp.pipe(texts, batch_size=256), total=len(texts), desc="negspacy", disable=not progress):
        found = dict.fromkeys(keywords, False)
        for entity in doc.ents:
            if not entity._.negex:
                found[entity.label_] = True
        rows.append(found)
    return add_no_finding(pd.DataFrame(rows, index=index))


def label_scores(truth: pd.DataFrame, predictions: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per-label precision, recall and F1 of each labeller (scikit-learn), plus their mean over the labels.

    Returns a frame indexed by label (and a last row ``mean``) with one column per (labeller, metric). A score
    that is undefined (no positive prediction, or no positive report) is nan and left out of the mean.
    """
    from sklearn.metrics import precision_recall_fscore_support

    columns = {}
    for name, predicted in predictions.items():
        predicted = predicted.loc[truth.index, truth.columns]
        p, r, f, _ = precision_recall_fscore_support(truth, predicted, zero_division=np.nan)
        for metric, values in (("precision", p), ("recall", r), ("F1", f)):
            columns[(name, metric)] = pd.Series(values, index=truth.columns)
    table = pd.DataFrame(columns)
    table.loc["mean"] = table.mean()
    return table
