"""Public tests for week C3W2 (labelling reports, question answering). Each prints 'All tests passed.' or raises.

The sentences below are invented for the tests (they imitate, but do not copy, the style of the Indiana University
reports). Tokenizers are built here, inside harness functions, never passed across from a test: see
``helpers/public_tests/framework.py``.
"""

from __future__ import annotations

import functools
import string

import numpy as np
import pandas as pd

from helpers.public_tests.framework import Checks, ExerciseFailed, as_pair, call, raised_or_returned, run_harness

# ------------------------------------------------------------------------------------------ shared fixtures

KEYWORDS = {
    "Cardiomegaly": ["cardiomegaly", "enlarged heart"],
    "Pleural Effusion": ["pleural effusion", "effusion"],
    "Pneumothorax": ["pneumothorax"],
    "Nodule/Mass": ["nodul", "mass"],
}
CUES = ["no", "not", "without", "negative for"]
TOKENIZERS = ("minilm", "cased")


def as_label_dict(value) -> dict:
    """A learner's labels as a plain dict (a dict or a Series indexed by label); raises ExerciseFailed otherwise."""
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, dict):
        raise ExerciseFailed(f"the result must be a dict mapping each label to True/False, got {type(value).__name__}")
    return value


def check_label_dict(checks: Checks, got, expected: dict, case: str) -> None:
    """Compare a labeller's answer with the expected labels: same keys, same truth values."""
    try:
        got = as_label_dict(got)
    except ExerciseFailed as err:
        checks.that(False, f"{case}: {err}")
        return
    if set(got) != set(expected):
        shown = f" (expected {sorted(expected)}, got {sorted(map(str, got))})" if checks.public else ""
        checks.that(False, f"{case}: the dict must have one entry per label of keywords{shown}")
        return
    bad_type = [k for k, v in got.items() if not isinstance(v, (bool, np.bool_)) and v not in (0, 1)]
    if bad_type:
        checks.that(False, f"{case}: each label must map to True or False (label {bad_type[0]!r} does not)")
        return
    wrong = [k for k in expected if bool(got[k]) != expected[k]]
    if checks.public and wrong:
        label = wrong[0]
        checks.that(False, f"{case}: label {label!r}: expected {expected[label]}, got {bool(got[label])}")
    else:
        checks.that(not wrong, f"{case}: wrong value for {len(wrong)} label(s)")


def as_label_series(value) -> pd.Series:
    """A learner's per-label scores as a float Series (a Series or a dict label -> number); ExerciseFailed else."""
    if isinstance(value, dict):
        value = pd.Series(value, dtype=float)
    if not isinstance(value, pd.Series):
        raise ExerciseFailed(f"return a pandas Series indexed by label, got {type(value).__name__}")
    return value


def check_f1_series(checks: Checks, got, expected: pd.Series, case: str) -> None:
    """Compare per-label F1 values label by label (any order of the labels; nan where F1 is undefined)."""
    try:
        got = as_label_series(got)
    except ExerciseFailed as err:
        checks.that(False, f"{case}: {err}")
        return
    if set(got.index) != set(expected.index) or len(got) != len(expected):
        shown = f" {list(expected.index)}, got {list(got.index)}" if checks.public else ""
        checks.that(False, f"{case}: expected one value per label{shown}")
        return
    checks.vectors_close(
        got.reindex(expected.index),
        expected,
        case,
        hint="F1 = 2 TP / (2 TP + FP + FN); nan when a label is never true nor predicted",
    )


# ------------------------------------------------------------------------------------------ tokenizers


def _cased_vocab() -> list[str]:
    special = ["[unused0]", "[UNK]", "[MASK]", "[SEP]", "[CLS]", "[PAD]"]
    chars = list(string.ascii_letters + string.digits + string.punctuation)
    words = (
        "The the heart is normal in size Heart lungs Lungs are clear No no pleural effusion Effusion "
        "pneumothorax Pneumothorax right left Right Left lower upper lobe opacity Opacity with small large "
        "What What's is Is there a an of on mild Mild cardiomegaly Cardiomegaly chest pain Chest year old "
        "male female XX Where How Why stable Stable compared prior exam findings impression "
        "FINDINGS IMPRESSION INDICATION COMPARISON"
    ).split()
    pieces = ["##" + p for p in ["s", "es", "ed", "ing", "al", "ly", "X", "XX", "ion", "ity", "ies", "ar", "ous"]]
    vocab = special + [f"[unused{i}]" for i in range(12)] + chars + ["##" + c for c in string.ascii_letters]
    vocab += [w for w in dict.fromkeys(words + pieces) if w not in vocab]
    return vocab


@functools.cache
def build_tokenizer(name: str):
    """``"minilm"``: the shipped MiniLM tokenizer (uncased; [CLS] 101, [SEP] 102, [PAD] 0). ``"cased"``: a
    BERT-style WordPiece tokenizer written here, cased, whose [PAD], [CLS] and [SEP] have the ids 5, 4 and 3 of a
    small vocabulary of its own. Both are transformers fast tokenizers; neither needs the network."""
    if name == "minilm":
        from helpers.qa import load_minilm_tokenizer

        return load_minilm_tokenizer()
    if name != "cased":
        raise ValueError(f"unknown tokenizer {name!r}; use one of {TOKENIZERS}")
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(_cased_vocab())}
    core = Tokenizer(WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    core.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False, clean_text=True)
    core.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    core.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=core,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )


def _plain(value):
    """Arrays and tensors to (nested) lists, tuples to lists, NumPy scalars to Python ones."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def prepare_bert_input_harness(fn, tokenizer_name: str, question: str, passage: str, max_seq_length=None):
    """Run the learner's ``prepare_bert_input`` with a tokenizer built here; plain lists back (or the error name)."""
    tokenizer = build_tokenizer(tokenizer_name)
    args = (question, passage, tokenizer) + (() if max_seq_length is None else (max_seq_length,))
    try:
        result = fn(*args)
    except ValueError as err:
        return {"raised": "ValueError", "message": str(err)}
    return _plain(result)


def pair_encoding(tokenizer_name: str, question: str, passage: str, max_seq_length: int = 384):
    """The tokenizer's own pair encoding, ``[CLS] question [SEP] passage [SEP]`` padded: (ids, mask, tokens)."""
    tokenizer = build_tokenizer(tokenizer_name)
    enc = tokenizer(question, passage, truncation="only_second", max_length=max_seq_length, padding="max_length")
    ids, mask = list(enc["input_ids"]), list(enc["attention_mask"])
    return ids, mask, tokenizer.convert_ids_to_tokens(ids[: sum(mask)])


def check_bert_input(
    checks: Checks, fn, tokenizer_name: str, question: str, passage: str, max_seq_length, case: str
) -> None:
    """Compare the learner's (input_ids, attention_mask, tokens) with the tokenizer's own pair encoding."""
    got = run_harness(
        "prepare_bert_input",
        fn,
        prepare_bert_input_harness,
        tokenizer_name,
        question,
        passage,
        max_seq_length,
        case=case,
    )
    if isinstance(got, dict):
        checks.that(False, f"{case}: raised ValueError although the question fits ({got['message']})")
        return
    if not isinstance(got, list) or len(got) != 3:
        checks.that(False, f"{case}: return a tuple (input_ids, attention_mask, tokens)")
        return
    ids, mask, tokens = pair_encoding(tokenizer_name, question, passage, max_seq_length or 384)
    checks.vectors_close(
        got[0],
        ids,
        f"{case} — input_ids",
        hint="[CLS] question [SEP] passage [SEP], then the tokenizer's pad_token_id up to max_seq_length",
    )
    checks.vectors_close(got[1], mask, f"{case} — attention_mask", hint="1 for real tokens, 0 for padding")
    got_tokens = [str(t) for t in got[2]] if isinstance(got[2], list) else got[2]
    if checks.public:
        checks.that(got_tokens == tokens, f"{case} — tokens: expected {tokens}, got {got_tokens}")
    else:
        checks.that(got_tokens == tokens, f"{case} — tokens: wrong list of token strings")


def check_raises(checks: Checks, name: str, fn, harness, args, case: str, error: str = "ValueError") -> None:
    """``fn`` must raise ``error``. With ``harness=None`` it is called directly, exactly as in the cases where it must
    not raise (see ``raised_or_returned``); a harness must be one that the valid cases use too."""
    if harness is None:
        raised, _ = raised_or_returned(name, fn, *args, case=case)
    else:
        got = run_harness(name, fn, harness, *args, case=case)
        raised = got.get("raised") if isinstance(got, dict) else None
    checks.that(
        raised == error,
        f"{case}: expected {error} to be raised" if checks.public else f"{case}: {error} was not raised",
    )


# ------------------------------------------------------------------------------------------ exercises 1-3


def test_get_labels(get_labels) -> None:
    checks = Checks("get_labels")
    cases = [
        (
            ["The heart is normal in size.", "No pleural effusion."],
            {"Cardiomegaly": False, "Pleural Effusion": True, "Pneumothorax": False, "Nodule/Mass": False},
            "'effusion' in 'No pleural effusion' (this labeller ignores negation)",
        ),
        (
            ["Mild CARDIOMEGALY.", "Small right Pneumothorax."],
            {"Cardiomegaly": True, "Pleural Effusion": False, "Pneumothorax": True, "Nodule/Mass": False},
            "upper-case words (lower-case the sentence first)",
        ),
        (
            ["Bilateral pleural effusions.", "Nodular opacity in the left lung."],
            {"Cardiomegaly": False, "Pleural Effusion": True, "Pneumothorax": False, "Nodule/Mass": True},
            "phrases inside longer words ('effusion' in 'effusions', 'nodul' in 'nodular')",
        ),
        ([], dict.fromkeys(KEYWORDS, False), "no sentences at all (every label False)"),
    ]
    for sentences, expected, case in cases:
        check_label_dict(checks, call("get_labels", get_labels, sentences, KEYWORDS, case=case), expected, case)
    checks.done()


def test_get_labels_negative_aware(get_labels_negative_aware) -> None:
    checks = Checks("get_labels_negative_aware")
    none = dict.fromkeys(KEYWORDS, False)
    cases = [
        (["No pleural effusion."], none, "'no' right before the mention"),
        (["There is no evidence of pneumothorax."], none, "'no' three words before 'pneumothorax'"),
        (
            ["The heart is enlarged, there is cardiomegaly and no effusion."],
            {**none, "Cardiomegaly": True},
            "cue after 'cardiomegaly' does not negate it, but negates 'effusion'",
        ),
        (
            ["No acute disease but a large right sided pleural effusion is present today."],
            {**none, "Pleural Effusion": True},
            "'no' eight words before the mention (outside the window of 5)",
        ),
        (
            ["A nodule is present.", "Stable mass."],
            {**none, "Nodule/Mass": True},
            "'no' inside the word 'nodule' is not a cue (cues are whole words)",
        ),
        (
            ["No effusion on the left.", "Small effusion on the right."],
            {**none, "Pleural Effusion": True},
            "negated in one sentence, affirmed in the next",
        ),
        (["Lungs are clear, negative for pneumothorax."], none, "a two-word cue ('negative for')"),
    ]
    for sentences, expected, case in cases:
        got = call("get_labels_negative_aware", get_labels_negative_aware, sentences, KEYWORDS, CUES, case=case)
        check_label_dict(checks, got, expected, case)
    got = call(
        "get_labels_negative_aware",
        get_labels_negative_aware,
        ["No acute disease but a large right sided pleural effusion is present today."],
        KEYWORDS,
        CUES,
        10,
        case="window=10",
    )
    check_label_dict(checks, got, none, "window=10: 'no' eight words before the mention now negates it")
    checks.done()


def test_f1_per_label(f1_per_label) -> None:
    checks = Checks("f1_per_label")
    # A: TP 1, FP 1, FN 1 -> 2*1 / (2*1 + 1 + 1) = 0.5;  B: perfect -> 1;  C: 1 true, none predicted -> 0;
    # D: never true, never predicted -> nan
    y_true = pd.DataFrame(
        {
            "A": [True, True, False, False],
            "B": [True, False, True, False],
            "C": [False, True, False, False],
            "D": [False] * 4,
        },
        index=["r1", "r2", "r3", "r4"],
    )
    y_pred = pd.DataFrame(
        {"A": [True, False, True, False], "B": [True, False, True, False], "C": [False] * 4, "D": [False] * 4},
        index=["r1", "r2", "r3", "r4"],
    )
    expected = pd.Series({"A": 0.5, "B": 1.0, "C": 0.0, "D": np.nan})
    for truth, pred, case in [
        (y_true, y_pred, "4 labels: F1 0.5, 1, 0 and nan"),
        (
            y_true,
            y_pred[["D", "C", "B", "A"]].iloc[::-1],
            "predictions with columns and rows in another order (align them by name)",
        ),
    ]:
        check_f1_series(checks, call("f1_per_label", f1_per_label, truth, pred, case=case), expected, case)
    checks.done()


# ------------------------------------------------------------------------------------------ exercises 4-6


def test_prepare_bert_input(prepare_bert_input) -> None:
    checks = Checks("prepare_bert_input")
    question = "Is there a pleural effusion?"
    short = "No pleural effusion or pneumothorax."
    long = (
        "The heart is normal in size. The lungs are clear. There is no pleural effusion or pneumothorax. "
        "The bones are intact."
    )
    check_bert_input(
        checks, prepare_bert_input, "minilm", question, short, 24, "short passage padded to max_seq_length=24"
    )
    check_bert_input(
        checks,
        prepare_bert_input,
        "minilm",
        question,
        long,
        20,
        "long passage truncated to max_seq_length=20 (the question stays whole)",
    )
    check_bert_input(checks, prepare_bert_input, "minilm", question, short, None, "default max_seq_length (384)")
    check_bert_input(
        checks,
        prepare_bert_input,
        "cased",
        question,
        short,
        24,
        "a cased tokenizer whose special-token and padding ids are not MiniLM's (take them from the tokenizer)",
    )
    check_raises(
        checks,
        "prepare_bert_input",
        prepare_bert_input,
        prepare_bert_input_harness,
        ("minilm", question + " " + short, short, 10),
        "a question longer than max_seq_length=10",
    )
    checks.done()


def check_span(checks: Checks, fn, start_scores, end_scores, mask, max_answer_length, expected, case: str) -> None:
    got = call("get_span_from_scores", fn, start_scores, end_scores, mask, max_answer_length, case=case)
    try:
        start, end = (int(v) for v in as_pair(got, "get_span_from_scores' result"))
    except (TypeError, ValueError) as err:
        checks.that(False, f"{case}: return a pair of whole numbers (start, end): {err}")
        return
    message = f"{case}: expected {expected}, got {(start, end)}" if checks.public else f"{case}: wrong span"
    checks.that((start, end) == tuple(expected), message)


def test_get_span_from_scores(get_span_from_scores) -> None:
    checks = Checks("get_span_from_scores")
    mask = np.array([0, 0, 0, 1, 1, 1, 1, 1, 0, 0])  # [CLS] q q [SEP]? passage ... [SEP] [PAD]
    start = np.array([9.0, 0, 0, 1, 5, 0, 0, 0, 0, 0])
    end = np.array([9.0, 0, 0, 0, 0, 2, 4, 1, 0, 9])
    check_span(
        checks,
        get_span_from_scores,
        start,
        end,
        mask,
        30,
        (4, 6),
        "best start 4, best end 6 (positions 0 and 9 are outside the mask)",
    )
    check_span(
        checks, get_span_from_scores, start, end, mask, 2, (4, 5), "max_answer_length=2: the end must be < start + 2"
    )
    backwards = np.array([0, 0, 0, 0, 1, 0, 0, 3, 0, 0.0])
    check_span(
        checks,
        get_span_from_scores,
        backwards,
        np.array([0, 0, 0, 0, 6, 0, 0, 0, 0, 0.0]),
        mask,
        30,
        (4, 4),
        "the best end (4) lies before the best start (7): the end may not come before the start",
    )
    check_span(
        checks,
        get_span_from_scores,
        np.zeros(10),
        np.zeros(10),
        mask,
        30,
        (3, 3),
        "all scores equal: ties go to the smallest start, then the smallest end",
    )
    check_raises(
        checks,
        "get_span_from_scores",
        get_span_from_scores,
        None,
        (start, end, np.zeros(10, dtype=int), 30),
        "a mask with no 1",
    )
    checks.done()


def test_construct_answer(construct_answer) -> None:
    checks = Checks("construct_answer")
    cases = [
        (["[CLS]", "right", "lower", "lobe", "[SEP]"], "right lower lobe", "special tokens dropped"),
        (
            ["the", "heart", "is", "en", "##lar", "##ged", "."],
            "the heart is enlarged.",
            "'##' pieces glued to the previous token; no space before '.'",
        ),
        (
            ["mild", "cardio", "##me", "##galy", ",", "stable", "(", "un", "##changed", ")", "[SEP]", "[PAD]", "[PAD]"],
            "mild cardiomegaly, stable (unchanged)",
            "comma, parentheses and padding",
        ),
        (["is", "there", "an", "effusion", "?"], "is there an effusion?", "no space before '?'"),
    ]
    for tokens, expected, case in cases:
        got = call("construct_answer", construct_answer, tokens, case=case)
        if not isinstance(got, str):
            checks.that(False, f"{case}: return a string, got {type(got).__name__}")
            continue
        checks.that(got == expected, f"{case}: expected {expected!r}, got {got!r}")
    checks.done()
