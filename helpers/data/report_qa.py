"""An extractive question-answering set made by rules from the Indiana University reports.

Each example is a (question, passage, answer span) triple. The passage is the whole report, one section per line
(``INDICATION: ...``, ``COMPARISON: ...``, ``FINDINGS: ...``, ``IMPRESSION: ...``; empty sections left out); the
answer is a span of the passage, found by one of seven rules:

=============  =====================================================================================================
topic          answer
=============  =====================================================================================================
indication     the indication section (when it holds a real word besides the ``XXXX`` markers)
impression     the first sentence of the impression (its enumerator ``1.`` left out)
heart          the first findings sentence about the heart (heart, cardiac, cardiomediastinal, cardiomegaly)
lungs          the first findings sentence that names the lung(s)
pleura         the first findings sentence about pleural effusion or pneumothorax
location       the side and lobe or zone (e.g. ``right lower lobe``) of a finding in a sentence without negation
size           the size or severity word (e.g. ``small``, ``mild``) in front of a finding in such a sentence
=============  =====================================================================================================

Sentence answers leave out the final full stop. Every topic has several question wordings. The reports are split
into train / validation / test (70 / 15 / 15 %) with a fixed seed, and reports with identical findings and
impression always land in the same split (the collection has many word-for-word normal reports), so no test
passage was seen in training. Training and validation questions use the *training* wordings; test questions use
*held-out* wordings that training never sees, so the test set also measures whether a model understood the question
rather than matched a template.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from helpers.data.reports import SECTIONS, load_iu_reports, sentence_spans

__all__ = ["SPLIT_SEED", "TOPICS", "WORDINGS", "build_qa_set", "load_report_qa", "report_passage"]

SPLIT_SEED = 12
SPLIT_FRACTIONS = {"train": 0.70, "validation": 0.15, "test": 0.15}

WORDINGS: dict[str, dict[str, list[str]]] = {
    "indication": {
        "train": [
            "What is the indication for this exam?",
            "Why was the chest X-ray done?",
            "What is the reason for the study?",
        ],
        "held_out": ["Why was this radiograph ordered?", "What clinical concern prompted the imaging?"],
    },
    "impression": {
        "train": ["What is the impression?", "What is the main conclusion?", "Summarize the report."],
        "held_out": ["What is the radiologist's overall assessment?", "What is the bottom line?"],
    },
    "heart": {
        "train": ["How is the heart?", "What does the report say about the heart?", "Comment on the heart."],
        "held_out": ["Is the cardiac silhouette normal?", "What was noted about heart size?"],
    },
    "lungs": {
        "train": ["How are the lungs?", "What does the report say about the lungs?", "Describe the lungs."],
        "held_out": ["Are the lung fields clear?", "What was seen in the lungs?"],
    },
    "pleura": {
        "train": [
            "What does the report say about the pleura?",
            "Is there an effusion or a pneumothorax?",
            "How is the pleural space?",
        ],
        "held_out": ["Any fluid or air around the lungs?", "Was a pleural abnormality seen?"],
    },
    "location": {
        "train": ["Where is the {finding}?", "In which part of the lungs is the {finding}?"],
        "held_out": ["What is the location of the {finding}?", "Which side and zone show the {finding}?"],
    },
    "size": {
        "train": ["How big is the {finding}?", "What is the size of the {finding}?"],
        "held_out": ["How severe is the {finding}?", "What degree of {finding} is described?"],
    },
}
TOPICS = list(WORDINGS)

# ------------------------------------------------------------------------------------------ rules

_TOPIC_PATTERNS = {
    "heart": re.compile(r"\b(heart|cardiac|cardiomediastinal|cardiomegaly)\b", re.I),
    "lungs": re.compile(r"\blungs?\b", re.I),
    "pleura": re.compile(r"\b(effusions?|pneumothorax|pneumothoraces)\b", re.I),
}
_FINDING = (
    r"(?P<finding>opacity|opacities|atelectasis|consolidation|effusions?|nodules?|infiltrates?|density|"
    r"densities|airspace disease|pneumothorax|granulomas?|cardiomegaly|edema|scarring)"
)
_SINGULAR = {
    "opacities": "opacity",
    "effusions": "effusion",
    "nodules": "nodule",
    "infiltrates": "infiltrate",
    "densities": "density",
    "granulomas": "granuloma",
}
_LOCATION = re.compile(
    r"\b(?:right|left|bilateral)(?:\s+(?:upper|middle|lower|mid))?(?:\s+lung)?"
    r"(?:\s+(?:lobes?|bases?|apex|apices|midlung|hilum|lung|hemithorax))\b",
    re.I,
)
_SIZE = re.compile(
    r"\b(?P<size>mild|moderate|severe|small|large|minimal|trace|tiny|marked)\b"
    r"(?:\s+[a-z]+){0,3}?\s+" + _FINDING + r"\b",
    re.I,
)
_FINDING_WORD = re.compile(r"\b" + _FINDING + r"\b", re.I)
_NEGATED = re.compile(r"\b(no|not|without|negative|resolved|clear|exclude|possible|may|versus)\b", re.I)
_ENUMERATOR = re.compile(r"^\(?\d{1,2}[.)]\s*")
_REAL_WORD = re.compile(r"\b(?!XXXX\b)[A-Za-z]{3,}\b")


def report_passage(report: pd.Series) -> tuple[str, dict[str, int]]:
    """The passage of a report (one ``SECTION: text`` line per non-empty section) and each section's offset."""
    lines, offsets, position = [], {}, 0
    for section in SECTIONS:
        text = report[section]
        if not text:
            continue
        header = f"{section.upper()}: "
        offsets[section] = position + len(header)
        lines.append(header + text)
        position += len(header) + len(text) + 1
    return "\n".join(lines), offsets


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a sentence span: leading enumerator, trailing full stop and spaces."""
    piece = text[start:end]
    lead = _ENUMERATOR.match(piece)
    start += lead.end() if lead else 0
    piece = text[start:end].rstrip()
    end = start + len(piece.rstrip(".").rstrip())
    return start, end


def _answers(report: pd.Series) -> list[tuple[str, str, int, int]]:
    """(topic, finding word or "", start, end) within the report's sections, by the rules of the module doc."""
    found = []
    indication = report["indication"]
    if _REAL_WORD.search(indication):
        found.append(("indication", "", "indication", *_sentence(indication, 0, len(indication))))
    impression = sentence_spans(report["impression"])
    if impression:
        found.append(("impression", "", "impression", *_sentence(report["impression"], *impression[0])))
    findings = [(start, end) for start, end in sentence_spans(report["findings"])]
    for topic, pattern in _TOPIC_PATTERNS.items():
        match = next(((s, e) for s, e in findings if pattern.search(report["findings"][s:e])), None)
        if match:
            found.append((topic, "", "findings", *_sentence(report["findings"], *match)))
    for topic, rule in (("location", _location), ("size", _size)):
        for section in ("findings", "impression"):
            hit = rule(report[section])
            if hit:
                found.append((topic, hit[0], section, hit[1], hit[2]))
                break
    return found


def _location(text: str):
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        finding = _FINDING_WORD.search(sentence)
        places = list(_LOCATION.finditer(sentence))
        if finding and places and not _NEGATED.search(sentence):
            place = min(places, key=lambda m: abs(m.start() - finding.start()))
            return finding.group().lower(), start + place.start(), start + place.end()
    return None


def _size(text: str):
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        match = _SIZE.search(sentence)
        if match and not _NEGATED.search(sentence):
            return match.group("finding").lower(), start + match.start("size"), start + match.end("size")
    return None


# ------------------------------------------------------------------------------------------ the set


def _split_of_reports(reports: pd.DataFrame, seed: int) -> pd.Series:
    key = (reports["findings"] + " | " + reports["impression"]).str.lower().str.split().str.join(" ")
    groups = key.drop_duplicates().to_numpy()
    order = np.random.default_rng(seed).permutation(len(groups))
    cuts = np.cumsum([int(round(f * len(groups))) for f in SPLIT_FRACTIONS.values()])[:-1]
    names = np.empty(len(groups), dtype=object)
    for name, part in zip(SPLIT_FRACTIONS, np.split(order, cuts)):
        names[part] = name
    return key.map(dict(zip(groups, names)))


def build_qa_set(reports: pd.DataFrame, seed: int = SPLIT_SEED) -> pd.DataFrame:
    """Make the question-answering examples of ``reports`` (see the module docstring for the rules).

    Returns
    -------
    pandas.DataFrame, one row per question
        ``report_id``, ``split`` (train / validation / test), ``topic``, ``question``, ``passage``,
        ``answer_text`` and ``answer_start`` (character offset of the answer in ``passage``; always
        ``passage[answer_start:answer_start + len(answer_text)] == answer_text``).

    The question wording is drawn at random (seeded) from the topic's training wordings for the train and
    validation splits and from its held-out wordings for the test split.
    """
    split = _split_of_reports(reports, seed)
    rng = np.random.default_rng(seed + 1)
    rows = []
    for report_id, report in reports.iterrows():
        passage, offsets = report_passage(report)
        part = split[report_id]
        for topic, finding, section, start, end in _answers(report):
            if end <= start:
                continue
            wordings = WORDINGS[topic]["held_out" if part == "test" else "train"]
            question = wordings[rng.integers(len(wordings))].format(finding=_SINGULAR.get(finding, finding))
            begin = offsets[section] + start
            rows.append(
                {
                    "report_id": report_id,
                    "split": part,
                    "topic": topic,
                    "question": question,
                    "passage": passage,
                    "answer_text": passage[begin : offsets[section] + end],
                    "answer_start": begin,
                }
            )
    return pd.DataFrame(rows)


def load_report_qa(seed: int = SPLIT_SEED) -> pd.DataFrame:
    """:func:`build_qa_set` on all 3,955 reports (about a second)."""
    return build_qa_set(load_iu_reports(), seed=seed)
