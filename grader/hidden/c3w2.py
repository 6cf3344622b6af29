"""Hidden tests for week C3W2. Failure messages say what kind of case fails, never the expected values.

Randomized cases are compared with the reference solutions (helpers.solutions.c3w2, generated from the master);
tests/test_c3w2_reference.py checks those against scikit-learn's f1_score and the tokenizers' own pair encoding.
Tokenizers are built inside the public harness (helpers.public_tests.c3w2), never passed to learner code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.public_tests.c3w2 import (
    build_tokenizer,
    check_bert_input,
    check_f1_series,
    check_label_dict,
    check_raises,
    check_span,
    prepare_bert_input_harness,
)
from helpers.public_tests.framework import Checks, call, hidden_check
from helpers.solutions import c3w2 as ref

KEYWORDS = {
    "Cardiomegaly": ["cardiomegaly", "enlarged heart"],
    "Pleural Effusion": ["pleural effusion", "effusion"],
    "Pneumothorax": ["pneumothorax"],
    "Nodule/Mass": ["nodul", "mass"],
    "Edema": ["edema"],
    "Fracture": ["fracture"],
}
CUES = ["no", "not", "without", "negative for", "free of"]
FILLER = [
    "the",
    "heart",
    "is",
    "normal",
    "in",
    "size",
    "lungs",
    "are",
    "clear",
    "left",
    "right",
    "small",
    "large",
    "seen",
    "there",
    "a",
    "stable",
    "mild",
    "lobe",
    "base",
    "and",
    "with",
    "of",
    "evidence",
    "acute",
    "chest",
]
MENTIONS = [
    "cardiomegaly",
    "enlarged heart",
    "pleural effusion",
    "effusions",
    "effusion",
    "pneumothorax",
    "nodular",
    "nodule",
    "mass",
    "edema",
    "fracture",
    "fractures",
]
CUE_WORDS = ["no", "not", "without", "negative for", "free of", "negative", "free"]


def _random_sentences(rng: np.random.Generator, n_sentences: int) -> list[str]:
    """Sentences of filler words, mentions and cues (all whole words; mentions start at word starts)."""
    sentences = []
    for _ in range(n_sentences):
        parts = []
        for _ in range(int(rng.integers(2, 16))):
            pool = rng.choice(3, p=[0.6, 0.25, 0.15])
            words = (FILLER, MENTIONS, CUE_WORDS)[pool]
            parts.append(words[rng.integers(len(words))])
        text = " ".join(parts)
        if rng.random() < 0.5:
            text = text.capitalize()
        if rng.random() < 0.3:
            text = text.replace(" ", ", ", 1)
        sentences.append(text + ".")
    return sentences


def _real_sentences(n_reports: int, seed: int) -> list[list[str]]:
    from helpers.data.reports import load_iu_reports, report_sentences

    reports = load_iu_reports()
    rows = np.random.default_rng(seed).choice(len(reports), size=n_reports, replace=False)
    return [report_sentences(reports.iloc[i]) for i in rows]


# ------------------------------------------------------------------------------------------ get_labels


# Keyword lists unlike the course's (other phrases, a label the course does not have): a labeller that reads the
# notebook's KEYWORDS instead of its keywords argument gets these wrong.
OWN_KEYWORDS = {"Cardiomegaly": ["big heart"], "Broken bone": ["broken rib", "fractured clavicle"]}
OWN_KEYWORD_CASES = [
    (["A big heart.", "Old broken rib on the left."], "the caller's own phrases and a label the course lacks"),
    (["Cardiomegaly.", "Rib fracture."], "course phrases that the caller's lists do not contain"),
    (["Seen without a broken rib."], "the caller's own phrase after a cue"),
]


@hidden_check
def check_get_labels(fn) -> None:
    checks = Checks("get_labels", public=False)
    from helpers.data.report_keywords import KEYWORDS as PROJECT_KEYWORDS

    fixed = [
        (["Mild Cardiomegaly.", "NO EFFUSION."], "upper-case mentions"),
        (["The lungs are enlarged", "heart is normal."], "a phrase split across two sentences"),
        (["Known fracture of the left rib."], "a single sentence with one mention"),
        ([], "an empty list of sentences"),
        (["Lungs are clear."], "a sentence with no mention"),
        (["Nodular opacity.", "Stable mass.", "Edema is mild."], "several labels in several sentences"),
    ]
    for sentences, case in fixed:
        got = call("get_labels", fn, sentences, KEYWORDS, case=case)
        check_label_dict(checks, got, ref.get_labels(sentences, KEYWORDS), case)
    got = call("get_labels", fn, ["Edema."], {**KEYWORDS, "Other": []}, case="a label with no phrase")
    check_label_dict(checks, got, ref.get_labels(["Edema."], {**KEYWORDS, "Other": []}), "a label with no phrase")
    for sentences, case in OWN_KEYWORD_CASES:  # the keywords argument, not the notebook's KEYWORDS, decides
        got = call("get_labels", fn, sentences, OWN_KEYWORDS, case=case)
        check_label_dict(checks, got, ref.get_labels(sentences, OWN_KEYWORDS), case)
    rng = np.random.default_rng(41)
    for i in range(25):
        sentences = _random_sentences(rng, int(rng.integers(1, 5)))
        got = call("get_labels", fn, sentences, KEYWORDS, case=f"random sentences #{i}")
        check_label_dict(checks, got, ref.get_labels(sentences, KEYWORDS), f"random sentences #{i}")
    for i, sentences in enumerate(_real_sentences(60, 42)):
        case = f"real report #{i} with the course's keyword lists"
        got = call("get_labels", fn, sentences, PROJECT_KEYWORDS, case=case)
        check_label_dict(checks, got, ref.get_labels(sentences, PROJECT_KEYWORDS), case)
    checks.done()


# ------------------------------------------------------------------------------------------ get_labels_negative_aware

NEGATION_CASES = [
    (["No pleural effusion."], 5, "a cue right before the mention"),
    (["NO PNEUMOTHORAX IS SEEN."], 5, "an upper-case cue and mention"),
    (["Pleural effusion, no pneumothorax."], 5, "a cue after one mention and before another"),
    (["Cardiomegaly is present, not changed."], 5, "a cue after the only mention"),
    (["No acute change and a small left sided pleural effusion is present."], 5, "a cue far before the mention"),
    (["A known effusion."], 5, "a cue's letters inside another word ('no' in 'known')"),
    (["Stable nodular density with a mass."], 5, "'no' inside 'nodular' before a mass"),
    (["No effusion on the left but a small effusion on the right."], 5, "negated first mention, affirmed second"),
    (["Small effusion on the right, no effusion on the left."], 5, "affirmed first mention, negated second"),
    (["No acute disease.", "Pleural effusion is present."], 5, "a cue at the end of the previous sentence"),
    (["Lungs are negative for pneumothorax."], 5, "a two-word cue"),
    (["Negative chest with an effusion."], 5, "the first word of a two-word cue alone"),
    (["The lungs are free of edema."], 5, "another two-word cue"),
    (["There is no evidence of pneumothorax."], 2, "window=2 with the cue three words away"),
    (["No acute findings and a large pleural effusion today."], 8, "window=8 with the cue six words away"),
    (["Without edema.", "Mild edema at the bases."], 5, "negated in one sentence, affirmed in another"),
    (["Negative for pneumothorax or effusion and no cardiomegaly."], 5, "several cues and mentions"),
    (["No acute disease is seen in the chest today and there is no pneumothorax."], 5, "a cue repeated in a sentence"),
    ([], 5, "an empty list of sentences"),
]


def _window_safe(sentences, keywords, cues, window) -> bool:
    """True when the verdict does not depend on where exactly the window ends: a cue exactly `window` words away,
    or a mention starting inside a word (whose position a learner may count as that word or the next)."""
    verdicts = [ref.get_labels_negative_aware(sentences, keywords, cues, w) for w in (window - 1, window, window + 1)]
    return verdicts[0] == verdicts[1] == verdicts[2]


def _negation_case(checks: Checks, fn, sentences, window, case, keywords=KEYWORDS, cues=CUES) -> None:
    got = call("get_labels_negative_aware", fn, sentences, keywords, cues, window, case=case)
    check_label_dict(checks, got, ref.get_labels_negative_aware(sentences, keywords, cues, window), case)


@hidden_check
def check_get_labels_negative_aware(fn) -> None:
    checks = Checks("get_labels_negative_aware", public=False)
    for sentences, window, case in NEGATION_CASES:
        _negation_case(checks, fn, sentences, window, case)
    got = call("get_labels_negative_aware", fn, ["No edema."], KEYWORDS, CUES, case="the default window")
    check_label_dict(checks, got, ref.get_labels_negative_aware(["No edema."], KEYWORDS, CUES), "the default window")
    for sentences, case in OWN_KEYWORD_CASES:
        got = call("get_labels_negative_aware", fn, sentences, OWN_KEYWORDS, ["without"], case=case)
        check_label_dict(checks, got, ref.get_labels_negative_aware(sentences, OWN_KEYWORDS, ["without"]), case)
    rng = np.random.default_rng(43)
    tried = 0
    while tried < 40:
        sentences = _random_sentences(rng, int(rng.integers(1, 4)))
        window = int(rng.integers(2, 9))
        if not _window_safe(sentences, KEYWORDS, CUES, window):
            continue
        _negation_case(checks, fn, sentences, window, f"random sentences #{tried} (window={window})")
        tried += 1
    from helpers.data.report_keywords import KEYWORDS as PROJECT_KEYWORDS
    from helpers.data.report_keywords import NEGATION_CUES

    for i, sentences in enumerate(_real_sentences(40, 44)):
        if not _window_safe(sentences, PROJECT_KEYWORDS, NEGATION_CUES, 5):
            continue
        _negation_case(
            checks, fn, sentences, 5, f"real report #{i} with the course's lists", PROJECT_KEYWORDS, NEGATION_CUES
        )
    checks.done()


# ------------------------------------------------------------------------------------------ f1_per_label


def _random_frames(rng: np.random.Generator):
    n, k = int(rng.integers(1, 40)), int(rng.integers(1, 7))
    labels = [f"label {j}" for j in range(k)]
    index = [f"CXR{i}" for i in rng.permutation(n) + 1]
    truth = pd.DataFrame(rng.random((n, k)) < rng.uniform(0.0, 0.6, k), index=index, columns=labels)
    pred = pd.DataFrame(rng.random((n, k)) < rng.uniform(0.0, 0.6, k), index=index, columns=labels)
    if rng.random() < 0.5:
        pred = pred.sample(frac=1.0, random_state=int(rng.integers(1000)))
    if rng.random() < 0.5:
        pred = pred[list(rng.permutation(labels))]
    return truth, pred


def _f1_case(checks: Checks, fn, truth, pred, case: str) -> None:
    got = call("f1_per_label", fn, truth, pred, case=case)
    check_f1_series(checks, got, ref.f1_per_label(truth, pred).astype(float), case)


@hidden_check
def check_f1_per_label(fn) -> None:
    checks = Checks("f1_per_label", public=False)
    idx = ["a", "b", "c", "d", "e"]
    truth = pd.DataFrame(
        {
            "X": [True, False, True, True, False],
            "Y": [False] * 5,
            "Z": [True] * 5,
            "W": [False, True, False, False, False],
        },
        index=idx,
    )
    pred = pd.DataFrame(
        {
            "X": [True, True, False, True, False],
            "Y": [False] * 5,
            "Z": [True] * 5,
            "W": [False, False, True, True, False],
        },
        index=idx,
    )
    _f1_case(checks, fn, truth, pred, "labels with F1 between 0 and 1, undefined and perfect")
    _f1_case(
        checks, fn, truth, pred.assign(Y=[False, False, True, False, False]), "a label predicted once but never true"
    )
    _f1_case(checks, fn, truth, pred.iloc[::-1][["W", "Z", "Y", "X"]], "predictions in another row and column order")
    _f1_case(checks, fn, truth, truth.copy(), "perfect predictions")
    _f1_case(checks, fn, truth.iloc[:1], pred.iloc[:1], "a single report")
    _f1_case(checks, fn, truth, ~truth, "every prediction wrong")
    rng = np.random.default_rng(45)
    for i in range(30):
        _f1_case(checks, fn, *_random_frames(rng), f"random frames #{i}")
    checks.done()


# ------------------------------------------------------------------------------------------ prepare_bert_input

QUESTION = "Is there a pleural effusion?"
PASSAGE = (
    "FINDINGS: The heart is normal in size. Small left pleural effusion (stable).\n"
    "IMPRESSION: No pneumothorax. XXXX-year-old male, chest pain."
)
BERT_CASES = [
    (QUESTION, "No pleural effusion.", 32, "a short passage padded"),
    (QUESTION, PASSAGE, 24, "a long passage truncated"),
    ("What's the Impression?", PASSAGE, 64, "a question with capitals and an apostrophe"),
    (QUESTION, PASSAGE, None, "the default max_seq_length"),
    (
        "Where is the opacity located in the Right Lower lobe region of the chest?",
        PASSAGE,
        "room for 3",
        "a long question leaving room for three passage tokens",
    ),
    ("Heart?", "Mild cardiomegaly (stable).", "exact", "a passage that fits exactly"),
]


def _length(tokenizer_name: str, question: str, passage: str, length):
    """Resolve the relative lengths of BERT_CASES for one tokenizer (built here, in the checker)."""
    if length == "exact":
        return len(build_tokenizer(tokenizer_name)(question, passage)["input_ids"])
    if length == "room for 3":
        return len(build_tokenizer(tokenizer_name).tokenize(question)) + 3 + 3
    return length


@hidden_check
def check_prepare_bert_input(fn) -> None:
    checks = Checks("prepare_bert_input", public=False)
    for tokenizer in ("minilm", "cased"):
        for question, passage, length, case in BERT_CASES:
            label = f"{case} ({'the uncased MiniLM' if tokenizer == 'minilm' else 'a cased'} tokenizer)"
            length = _length(tokenizer, question, passage, length)
            check_bert_input(checks, fn, tokenizer, question, passage, length, label)
        check_raises(
            checks,
            "prepare_bert_input",
            fn,
            prepare_bert_input_harness,
            (tokenizer, "Where is the opacity located in the right lower lobe region?", PASSAGE, 12),
            f"a question longer than max_seq_length ({tokenizer} tokenizer)",
        )
    checks.done()


# ------------------------------------------------------------------------------------------ get_span_from_scores


def _span_case(checks: Checks, fn, start, end, mask, length, case: str) -> None:
    expected = ref.get_span_from_scores(start, end, mask, length)
    check_span(checks, fn, start, end, mask, length, expected, case)


def _layout(rng: np.random.Generator, n: int) -> np.ndarray:
    """A mask 0 on [CLS] question [SEP], 1 on the passage, 0 on the final [SEP] and the padding."""
    question = int(rng.integers(2, max(3, n // 3)))
    passage = int(rng.integers(1, max(2, n - question - 1)))
    mask = np.zeros(n, dtype=int)
    mask[question : question + passage] = 1
    return mask


@hidden_check
def check_get_span_from_scores(fn) -> None:
    checks = Checks("get_span_from_scores", public=False)
    mask = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0])
    high_outside = np.array([20.0, 0, 0, 1, 0, 0, 0, 0, 0, 20, 20, 20])
    _span_case(checks, fn, high_outside, high_outside[::-1].copy(), mask, 30, "high scores outside the mask")
    _span_case(
        checks, fn, np.arange(12.0), np.arange(12.0)[::-1].copy(), mask, 30, "start scores rising, end scores falling"
    )
    _span_case(checks, fn, np.ones(12), np.ones(12), mask, 30, "all scores equal")
    _span_case(checks, fn, np.ones(12), np.ones(12), mask, 1, "all scores equal, answers of one token")
    _span_case(
        checks,
        fn,
        np.array([0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0.0]),
        np.array([0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0.0]),
        mask,
        5,
        "the best end too far from the best start",
    )
    _span_case(
        checks,
        fn,
        np.array([0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0.0]),
        np.array([0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0.0]),
        mask,
        5,
        "the end exactly max_answer_length - 1 after the start",
    )
    single = np.zeros(12, dtype=int)
    single[6] = 1
    _span_case(checks, fn, np.arange(12.0), np.arange(12.0), single, 30, "a mask with a single 1")
    _span_case(checks, fn, np.arange(12.0, dtype=np.float32), np.ones(12, dtype=np.float32), mask, 3, "float32 scores")
    _span_case(
        checks,
        fn,
        np.array([0, 0, 0, 1, 2, 3, 0, 9, 0, 0, 0, 0.0]),
        np.array([0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0.0]),
        mask,
        30,
        "the best end before the best start",
    )
    rng = np.random.default_rng(46)
    for i in range(30):
        n = int(rng.integers(6, 60))
        m = _layout(rng, n)
        length = int(rng.choice([1, 2, 3, 5, 10, 30]))
        if i % 2:
            start, end = rng.integers(0, 3, n).astype(float), rng.integers(0, 3, n).astype(float)
            case = f"random integer scores with ties #{i}"
        else:
            start, end = rng.normal(0, 3, n), rng.normal(0, 3, n)
            case = f"random scores #{i}"
        _span_case(checks, fn, start, end, m, length, f"{case} (max_answer_length={length})")
    check_raises(
        checks,
        "get_span_from_scores",
        fn,
        None,
        (np.ones(12), np.ones(12), np.zeros(12, dtype=int), 30),
        "a mask with no 1",
    )
    checks.done()


# ------------------------------------------------------------------------------------------ construct_answer

ANSWER_CASES = [
    (["[CLS]", "the", "lungs", "are", "clear", ".", "[SEP]"], "special tokens and a final full stop"),
    (["small", "left", "pl", "##eur", "##al", "effusion"], "a word split into three pieces"),
    (["xx", "##xx", "-", "year", "-", "old", "male", ",", "chest", "pain"], "a de-identification marker and dashes"),
    (["(", "stable", ")", "since", "prior", ";", "no", "change", ":", "mild"], "parentheses, semicolon, colon"),
    (["any", "effusion", "?", "no", "!"], "question and exclamation marks"),
    (["right", "lower", "lobe", "[SEP]", "[PAD]", "[PAD]", "[PAD]"], "trailing padding"),
    (["[CLS]", "[SEP]"], "only special tokens"),
    ([], "no tokens at all"),
    (["heart", "size", "[UNK]", "normal"], "an unknown token"),
    (["The", "Heart", "(", "Cardiac", "##megaly", ")", "."], "cased tokens and a piece after a parenthesis"),
    (("mild", "card", "##io", "##megaly"), "tokens given as a tuple"),
    (["a", "(", "b", ")", "(", "c", ")"], "two pairs of parentheses"),
]
POOL = [
    "heart",
    "lungs",
    "clear",
    "normal",
    "the",
    "no",
    "effusion",
    "right",
    "lobe",
    "xx",
    "mild",
    "size",
    "##s",
    "##ed",
    "##xx",
    "##al",
    "##ity",
    ".",
    ",",
    ";",
    ":",
    "?",
    "!",
    "(",
    ")",
    "-",
    "'",
    "[SEP]",
    "[PAD]",
    "[CLS]",
    "[UNK]",
    "2",
    "cm",
]


@hidden_check
def check_construct_answer(fn) -> None:
    checks = Checks("construct_answer", public=False)
    rng = np.random.default_rng(47)
    cases = list(ANSWER_CASES)
    for i in range(30):
        tokens = [str(t) for t in rng.choice(POOL, size=int(rng.integers(1, 14)))]
        kept = [t for t in tokens if t not in ("[CLS]", "[SEP]", "[PAD]")]
        if kept and kept[0].startswith("##"):
            continue  # a continuation with nothing to continue: not specified
        cases.append((tokens, f"random tokens #{i}"))
    for tokens, case in cases:
        got = call("construct_answer", fn, tokens, case=case)
        if not isinstance(got, str):
            checks.that(False, f"{case}: the answer must be a string")
            continue
        checks.that(got == ref.construct_answer(tokens), f"{case}: wrong text")
    checks.done()
