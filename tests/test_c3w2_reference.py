"""The C3W2 reference solutions agree with established libraries, and correct answers in any form pass.

- f1_per_label against scikit-learn's f1_score on hundreds of random label frames;
- the labellers against brute-force restatements of their definitions, and negation against simple properties;
- prepare_bert_input against the tokenizers' own pair encoding (truncation="only_second"), for both test tokenizers;
- get_span_from_scores against an exhaustive search; construct_answer against the tokenizer's decoder.
"""

import re

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

from grader.course import get_week
from grader.runner import run_exercise
from helpers.public_tests.c3w2 import build_tokenizer, pair_encoding
from helpers.solutions import c3w2 as ref

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
WEEK = get_week("C3W2")


# --------------------------------------------------------------------------------------------- f1_per_label


@st.composite
def label_frames(draw):
    n = draw(st.integers(1, 30))
    k = draw(st.integers(1, 6))
    cells = st.lists(st.lists(st.booleans(), min_size=k, max_size=k), min_size=n, max_size=n)
    columns = [f"L{j}" for j in range(k)]
    truth = pd.DataFrame(draw(cells), columns=columns, index=[f"r{i}" for i in range(n)])
    pred = pd.DataFrame(draw(cells), columns=columns, index=truth.index)
    order = draw(st.permutations(list(range(n))))
    return truth, pred.iloc[order][list(reversed(columns))]


@SETTINGS
@given(label_frames())
def test_f1_per_label_matches_scikit_learn(frames):
    truth, pred = frames
    got = ref.f1_per_label(truth, pred)
    aligned = pred.loc[truth.index, truth.columns]
    for label in truth.columns:
        expected = f1_score(truth[label], aligned[label], zero_division=np.nan)
        assert got[label] == pytest.approx(expected, nan_ok=True)
    assert list(got.index) == list(truth.columns)


# --------------------------------------------------------------------------------------------- labellers

WORDS = [
    "no",
    "not",
    "negative",
    "for",
    "effusion",
    "effusions",
    "pleural",
    "heart",
    "enlarged",
    "the",
    "mass",
    "nodular",
    "known",
    "clear",
    "lungs",
    "small",
]
KEYWORDS = {"E": ["effusion", "pleural effusion"], "C": ["enlarged heart"], "N": ["nodul", "mass"]}
CUES = ["no", "not", "negative for"]


@st.composite
def sentence_lists(draw):
    sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
    return draw(st.lists(sentence, min_size=0, max_size=4))


@SETTINGS
@given(sentence_lists())
def test_get_labels_is_a_substring_search_per_sentence(sentences):
    got = ref.get_labels([s.upper() for s in sentences], KEYWORDS)
    assert got == {label: any(p in s for s in sentences for p in phrases) for label, phrases in KEYWORDS.items()}


@SETTINGS
@given(sentence_lists(), st.integers(1, 10))
def test_negation_only_removes_labels_and_a_wider_window_removes_more(sentences, window):
    plain = ref.get_labels(sentences, KEYWORDS)
    narrow = ref.get_labels_negative_aware(sentences, KEYWORDS, CUES, window)
    wide = ref.get_labels_negative_aware(sentences, KEYWORDS, CUES, window + 3)
    assert all(plain[k] or not narrow[k] for k in KEYWORDS)
    assert all(narrow[k] or not wide[k] for k in KEYWORDS)
    assert ref.get_labels_negative_aware(sentences, KEYWORDS, [], window) == plain


def test_negation_window_examples():
    cases = [
        ("there is no evidence of effusion", 5, False),
        ("there is no evidence of effusion", 2, True),
        ("effusion but no mass", 5, True),
        ("known effusion", 5, True),
        ("not an enlarged heart", 5, False),
        ("lungs negative for effusion", 5, False),
        ("lungs negative effusion", 5, True),
    ]
    for sentence, window, expected in cases:
        labels = ref.get_labels_negative_aware([sentence], KEYWORDS, CUES, window)
        assert (labels["E"] or labels["C"]) is expected, sentence


# --------------------------------------------------------------------------------------------- BERT input

TEXT = st.lists(
    st.sampled_from(list("abcdeXYZ .,()?'-") + ["heart ", "Effusion ", "lobe ", "XXXX"]), min_size=1, max_size=40
).map("".join)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["minilm", "cased"]), TEXT, TEXT, st.integers(8, 64))
def test_prepare_bert_input_matches_the_tokenizers_pair_encoding(name, question, passage, length):
    tokenizer = build_tokenizer(name)
    n_question = len(tokenizer.tokenize(question))
    if not tokenizer.tokenize(passage) or not n_question:
        return
    if n_question + 3 >= length:
        with pytest.raises(ValueError):
            ref.prepare_bert_input(question, passage, tokenizer, length)
        return
    ids, mask, tokens = ref.prepare_bert_input(question, passage, tokenizer, length)
    assert (list(ids), list(mask), list(tokens)) == tuple(pair_encoding(name, question, passage, length))


def test_the_cased_tokenizer_differs_where_the_tests_need_it():
    cased, minilm = build_tokenizer("cased"), build_tokenizer("minilm")
    assert (cased.cls_token_id, cased.sep_token_id, cased.pad_token_id) == (4, 3, 5)
    assert (minilm.cls_token_id, minilm.sep_token_id, minilm.pad_token_id) == (101, 102, 0)
    assert cased.tokenize("Heart heart") == ["Heart", "heart"]
    assert minilm.tokenize("Heart heart") == ["heart", "heart"]


# --------------------------------------------------------------------------------------------- spans and answers


@st.composite
def score_cases(draw):
    n = draw(st.integers(1, 25))
    scores = st.lists(st.integers(-3, 3).map(float), min_size=n, max_size=n)
    mask = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if not any(mask):
        mask[draw(st.integers(0, n - 1))] = 1
    return np.array(draw(scores)), np.array(draw(scores)), np.array(mask), draw(st.integers(1, 8))


@SETTINGS
@given(score_cases())
def test_get_span_from_scores_is_the_first_best_span_of_an_exhaustive_search(case):
    start, end, mask, length = case
    spans = [(i, j) for i in range(len(start)) for j in range(i, min(len(start), i + length)) if mask[i] and mask[j]]
    best = max(start[i] + end[j] for i, j in spans)
    assert ref.get_span_from_scores(start, end, mask, length) == min(
        (i, j) for i, j in spans if start[i] + end[j] == best
    )


def test_get_span_from_scores_raises_on_an_empty_mask():
    with pytest.raises(ValueError):
        ref.get_span_from_scores(np.zeros(4), np.zeros(4), np.zeros(4), 3)


def test_construct_answer_matches_the_tokenizer_decoder_on_plain_words():
    tokenizer = build_tokenizer("minilm")
    for text in ["the heart is normal in size", "small left pleural effusion", "xxxx year old male"]:
        tokens = tokenizer.tokenize(text)
        assert ref.construct_answer(["[CLS]", *tokens, "[SEP]", "[PAD]"]) == tokenizer.convert_tokens_to_string(tokens)
    assert (
        ref.construct_answer(tokenizer.tokenize("Mild cardiomegaly (stable), no effusion."))
        == "mild cardiomegaly (stable), no effusion."
    )


# --------------------------------------------------------------------------------------------- any reasonable form


def _regex_construct_answer(tokens):
    """A learner's regular-expression version of construct_answer."""
    text = " ".join(t for t in tokens if t not in ("[CLS]", "[SEP]", "[PAD]")).replace(" ##", "")
    return re.sub(r"\( ", "(", re.sub(r" ([.,;:?!)])", r"\1", text)).strip()


def _vectorized_span(start_scores, end_scores, input_mask, max_answer_length=30):
    """A learner's all-pairs version of get_span_from_scores (returns NumPy integers)."""
    start, end = np.asarray(start_scores, float), np.asarray(end_scores, float)
    mask = np.asarray(input_mask).astype(bool)
    if not mask.any():
        raise ValueError("empty mask")
    i, j = np.indices((len(start), len(end)))
    valid = (j >= i) & (j - i < max_answer_length) & mask[:, None] & mask[None, :]
    best = np.argmax(np.where(valid, start[:, None] + end[None, :], -np.inf))
    return np.unravel_index(best, valid.shape)


def test_correct_answers_in_other_forms_pass():
    """Series instead of dicts, dicts instead of Series, tensors and arrays for ids, NumPy integers for spans."""
    variants = {
        "get_labels": [
            lambda s, k: pd.Series(ref.get_labels(s, k)),
            lambda s, k: {key: np.bool_(v) for key, v in ref.get_labels(s, k).items()},
        ],
        "get_labels_negative_aware": [
            lambda s, k, c, w=5: {key: int(v) for key, v in ref.get_labels_negative_aware(s, k, c, w).items()}
        ],
        "f1_per_label": [
            lambda t, p: ref.f1_per_label(t, p).to_dict(),
            lambda t, p: ref.f1_per_label(t, p).astype(np.float32).iloc[::-1],
        ],
        "prepare_bert_input": [
            lambda q, p, tok, n=384: tuple(
                torch.tensor(x) if i < 2 else x for i, x in enumerate(ref.prepare_bert_input(q, p, tok, n))
            ),
            lambda q, p, tok, n=384: [
                np.asarray(x) if i < 2 else tuple(x) for i, x in enumerate(ref.prepare_bert_input(q, p, tok, n))
            ],
            lambda q, p, tok, n=384: tuple(
                torch.tensor([x]) if i < 2 else x for i, x in enumerate(ref.prepare_bert_input(q, p, tok, n))
            ),
        ],
        "get_span_from_scores": [
            _vectorized_span,
            lambda s, e, m, n=30: list(map(np.int64, ref.get_span_from_scores(s, e, m, n))),
            lambda s, e, m, n=30: np.array(ref.get_span_from_scores(s, e, m, n)),
        ],
        "construct_answer": [_regex_construct_answer],
    }
    for name, fns in variants.items():
        for fn in fns:
            outcome = run_exercise(WEEK, name, fn)
            assert outcome.passed, f"{name}: {outcome.detail}"
