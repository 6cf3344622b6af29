"""Plausible wrong answers for week C3W2: every one must be rejected by the hidden tests.

Naming: ``<exercise>__<what goes wrong>``. Each is self-contained (re, NumPy and pandas only), so it can be pasted
into a notebook as a submission and run through ``python -m grader test-impl``.
"""

import re

import numpy as np
import pandas as pd

WORD = r"[\w']+"
PUNCTUATION = (".", ",", ";", ":", "?", "!", ")")

# --------------------------------------------------------------------------------------------- get_labels


def get_labels__case_sensitive(sentences, keywords):
    """Forgets to lower-case the sentences: 'Cardiomegaly' at the start of a sentence is missed."""
    return {label: any(p in s for s in sentences for p in phrases) for label, phrases in keywords.items()}


def get_labels__joins_sentences(sentences, keywords):
    """Searches the whole report as one string, so a phrase can straddle two sentences."""
    text = " ".join(sentences).lower()
    return {label: any(p in text for p in phrases) for label, phrases in keywords.items()}


def get_labels__whole_words_only(sentences, keywords):
    """Looks the phrases up among the words, so stems ('nodul') and multi-word phrases never match."""
    words = {w for s in sentences for w in re.findall(WORD, s.lower())}
    return {label: any(p in words for p in phrases) for label, phrases in keywords.items()}


def get_labels__first_phrase_only(sentences, keywords):
    """Checks only the first phrase of each label."""
    lowered = [s.lower() for s in sentences]
    return {label: bool(phrases) and any(phrases[0] in s for s in lowered) for label, phrases in keywords.items()}


def get_labels__last_sentence_decides(sentences, keywords):
    """Overwrites each label sentence by sentence, so only the last sentence counts."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        for label, phrases in keywords.items():
            labels[label] = any(p in sentence.lower() for p in phrases)
    return labels


def get_labels__positive_labels_only(sentences, keywords):
    """Returns only the labels that were found (missing labels instead of False)."""
    lowered = [s.lower() for s in sentences]
    return {label: True for label, phrases in keywords.items() if any(p in s for s in lowered for p in phrases)}


def get_labels__counts_mentions(sentences, keywords):
    """Returns the number of matching (sentence, phrase) pairs instead of True/False."""
    lowered = [s.lower() for s in sentences]
    return {label: sum(p in s for s in lowered for p in phrases) for label, phrases in keywords.items()}


# --------------------------------------------------------------------------------------------- get_labels_negative_aware


def _cue_ends(words, cues):
    ends = []
    for cue in cues:
        cue_words = re.findall(WORD, cue.lower())
        for i in range(len(words) - len(cue_words) + 1):
            if cue_words and words[i : i + len(cue_words)] == cue_words:
                ends.append(i + len(cue_words) - 1)
    return ends


def _mentions(text, phrase):
    start = text.find(phrase)
    while start != -1:
        yield start, len(re.findall(WORD, text[:start]))
        start = text.find(phrase, start + 1)


def get_labels_negative_aware__negation_anywhere(sentences, keywords, negation_cues, window=5):
    """Any cue anywhere in the sentence negates every mention in it."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        negated = bool(_cue_ends(re.findall(WORD, text), negation_cues))
        for label, phrases in keywords.items():
            if any(p in text for p in phrases) and not negated:
                labels[label] = True
    return labels


def get_labels_negative_aware__cue_after_counts(sentences, keywords, negation_cues, window=5):
    """Also lets a cue within `window` words *after* the mention negate it."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        ends = _cue_ends(re.findall(WORD, text), negation_cues)
        for label, phrases in keywords.items():
            for phrase in phrases:
                for _, first in _mentions(text, phrase):
                    if not any(abs(first - e) <= window and e != first for e in ends):
                        labels[label] = True
    return labels


def get_labels_negative_aware__cue_inside_words(sentences, keywords, negation_cues, window=5):
    """Looks for the cue as a substring of the preceding words, so 'no' is found in 'known' and 'nodular'."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        for label, phrases in keywords.items():
            for phrase in phrases:
                for start, _ in _mentions(text, phrase):
                    before = " ".join(re.findall(WORD, text[:start])[-window:])
                    if not any(cue in before for cue in negation_cues):
                        labels[label] = True
    return labels


def get_labels_negative_aware__first_occurrence_only(sentences, keywords, negation_cues, window=5):
    """Checks only the first occurrence of a phrase in a sentence (str.find once)."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        ends = _cue_ends(re.findall(WORD, text), negation_cues)
        for label, phrases in keywords.items():
            for phrase in phrases:
                start = text.find(phrase)
                if start != -1:
                    first = len(re.findall(WORD, text[:start]))
                    if not any(first - window <= e < first for e in ends):
                        labels[label] = True
    return labels


def get_labels_negative_aware__joins_sentences(sentences, keywords, negation_cues, window=5):
    """Treats the report as one sentence: a cue at the end of one sentence negates the start of the next."""
    return _negative_aware_one_text([" ".join(sentences)], keywords, negation_cues, window)


def _negative_aware_one_text(sentences, keywords, negation_cues, window):
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        ends = _cue_ends(re.findall(WORD, text), negation_cues)
        for label, phrases in keywords.items():
            for phrase in phrases:
                for _, first in _mentions(text, phrase):
                    if not any(first - window <= e < first for e in ends):
                        labels[label] = True
    return labels


def get_labels_negative_aware__cue_words_separately(sentences, keywords, negation_cues, window=5):
    """Splits multi-word cues into single words, so 'negative' alone (or 'for') counts as a negation."""
    words_as_cues = sorted({w for cue in negation_cues for w in re.findall(WORD, cue.lower())})
    return _negative_aware_one_text(sentences, keywords, words_as_cues, window)


def get_labels_negative_aware__single_word_cues_only(sentences, keywords, negation_cues, window=5):
    """Compares each word with each cue, so two-word cues ('negative for') are never found."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        words = re.findall(WORD, text)
        ends = [i for i, w in enumerate(words) if w in negation_cues]
        for label, phrases in keywords.items():
            for phrase in phrases:
                for _, first in _mentions(text, phrase):
                    if not any(first - window <= e < first for e in ends):
                        labels[label] = True
    return labels


def get_labels_negative_aware__last_mention_decides(sentences, keywords, negation_cues, window=5):
    """Overwrites the label at each mention, so a later negated mention cancels an earlier affirmed one."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        ends = _cue_ends(re.findall(WORD, text), negation_cues)
        for label, phrases in keywords.items():
            for phrase in phrases:
                for _, first in _mentions(text, phrase):
                    labels[label] = not any(first - window <= e < first for e in ends)
    return labels


def get_labels_negative_aware__fixed_window(sentences, keywords, negation_cues, window=5):
    """Ignores the window argument and always uses 5 words."""
    return _negative_aware_one_text(sentences, keywords, negation_cues, 5)


def get_labels_negative_aware__negative_slice_start(sentences, keywords, negation_cues, window=5):
    """Looks for cues in words[m - window:m]; near the start of a long sentence the negative start wraps around
    and the slice is empty, so 'No pleural effusion is seen on either side' is not negated."""
    labels = dict.fromkeys(keywords, False)
    single = [c for c in negation_cues if " " not in c]
    for sentence in sentences:
        text = sentence.lower()
        words = re.findall(WORD, text)
        for label, phrases in keywords.items():
            for phrase in phrases:
                for _, first in _mentions(text, phrase):
                    before = words[first - window : first]
                    joined = " " + " ".join(before) + " "
                    negated = any(w in single for w in before) or any(f" {c} " in joined for c in negation_cues)
                    if not negated:
                        labels[label] = True
    return labels


def get_labels_negative_aware__first_cue_occurrence_only(sentences, keywords, negation_cues, window=5):
    """Finds only the first occurrence of each cue (like words.index(cue)), so a second 'no' near a mention is
    missed when the first 'no' is far away."""
    labels = dict.fromkeys(keywords, False)
    for sentence in sentences:
        text = sentence.lower()
        words = re.findall(WORD, text)
        ends = []
        for cue in negation_cues:
            cue_words = re.findall(WORD, cue)
            starts = [i for i in range(len(words) - len(cue_words) + 1) if words[i : i + len(cue_words)] == cue_words]
            if starts:
                ends.append(starts[0] + len(cue_words) - 1)
        for label, phrases in keywords.items():
            for phrase in phrases:
                for _, first in _mentions(text, phrase):
                    if not any(first - window <= e < first for e in ends):
                        labels[label] = True
    return labels


# --------------------------------------------------------------------------------------------- f1_per_label


def _counts(y_true, y_pred):
    y_pred = y_pred.loc[y_true.index, y_true.columns]
    return (y_true & y_pred).sum(), (~y_true & y_pred).sum(), (y_true & ~y_pred).sum(), y_pred


def f1_per_label__micro_average(y_true, y_pred):
    """Pools the counts of all labels (micro F1) and reports that one number for every label."""
    tp, fp, fn, _ = _counts(y_true, y_pred)
    micro = 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())
    return pd.Series(micro, index=y_true.columns, dtype=float)


def f1_per_label__no_alignment(y_true, y_pred):
    """Compares the frames by position (.to_numpy()) without aligning rows and columns by name."""
    truth, pred = y_true.to_numpy(), y_pred.to_numpy()
    tp = (truth & pred).sum(axis=0)
    denominator = (2 * tp + (~truth & pred).sum(axis=0) + (truth & ~pred).sum(axis=0)).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(denominator > 0, 2 * tp / denominator, np.nan), index=y_true.columns)


def f1_per_label__undefined_as_zero(y_true, y_pred):
    """Returns 0 instead of nan for a label that is never true nor predicted (scikit-learn's old default)."""
    tp, fp, fn, _ = _counts(y_true, y_pred)
    denominator = (2 * tp + fp + fn).astype(float)
    return (2 * tp / denominator.replace(0.0, np.nan)).fillna(0.0)


def f1_per_label__zero_as_undefined(y_true, y_pred):
    """Returns nan whenever there is no true positive, also where F1 is 0."""
    tp, fp, fn, _ = _counts(y_true, y_pred)
    return (2 * tp / (2 * tp + fp + fn)).where(tp > 0, np.nan).astype(float)


def f1_per_label__accuracy(y_true, y_pred):
    """Computes the share of correct reports per label (accuracy) instead of F1."""
    y_pred = y_pred.loc[y_true.index, y_true.columns]
    return (y_true == y_pred).mean().astype(float)


def f1_per_label__precision_only(y_true, y_pred):
    """Returns precision TP / (TP + FP) instead of F1."""
    tp, fp, fn, _ = _counts(y_true, y_pred)
    return (tp / (tp + fp).replace(0, np.nan)).astype(float)


def f1_per_label__jaccard(y_true, y_pred):
    """Uses TP / (TP + FP + FN) (the Jaccard index) instead of 2 TP / (2 TP + FP + FN)."""
    tp, fp, fn, _ = _counts(y_true, y_pred)
    return (tp / (tp + fp + fn).replace(0, np.nan)).astype(float)


def f1_per_label__macro_scalar(y_true, y_pred):
    """Returns the mean F1 over the labels (one number) instead of one F1 per label."""
    tp, fp, fn, _ = _counts(y_true, y_pred)
    return float((2 * tp / (2 * tp + fp + fn).replace(0, np.nan)).mean())


# --------------------------------------------------------------------------------------------- prepare_bert_input


def _pack(tokenizer, tokens, max_seq_length, pad_id=None, pad_tokens=False, mask_padding=True):
    pad_id = tokenizer.pad_token_id if pad_id is None else pad_id
    padding = max_seq_length - len(tokens)
    ids = tokenizer.convert_tokens_to_ids(tokens) + [pad_id] * padding
    mask = [1] * len(tokens) + [0 if mask_padding else 1] * padding
    return ids, mask, tokens + ([tokenizer.pad_token] * padding if pad_tokens else [])


def _layout(tokenizer, question, passage, max_seq_length, extra=0):
    q, p = tokenizer.tokenize(question), tokenizer.tokenize(passage)
    room = max_seq_length - len(q) - 3 + extra
    if room < 1:
        raise ValueError("the question does not fit")
    return [tokenizer.cls_token] + q + [tokenizer.sep_token] + p[:room] + [tokenizer.sep_token]


def prepare_bert_input__missing_final_sep(question, passage, tokenizer, max_seq_length=384):
    """Forgets the [SEP] that closes the passage."""
    tokens = _layout(tokenizer, question, passage, max_seq_length)[:-1]
    return _pack(tokenizer, tokens, max_seq_length)


def prepare_bert_input__pads_with_zero(question, passage, tokenizer, max_seq_length=384):
    """Pads with 0 instead of tokenizer.pad_token_id (right for MiniLM only by luck)."""
    return _pack(tokenizer, _layout(tokenizer, question, passage, max_seq_length), max_seq_length, pad_id=0)


def prepare_bert_input__truncates_question(question, passage, tokenizer, max_seq_length=384):
    """Cuts the question rather than the passage when the input is too long."""
    q, p = tokenizer.tokenize(question), tokenizer.tokenize(passage)
    q = q[: max(0, max_seq_length - len(p) - 3)]
    tokens = [tokenizer.cls_token] + q + [tokenizer.sep_token] + p + [tokenizer.sep_token]
    tokens = tokens[:max_seq_length]
    return _pack(tokenizer, tokens, max_seq_length)


def prepare_bert_input__hard_coded_ids(question, passage, tokenizer, max_seq_length=384):
    """Writes BERT-base's ids 101, 102 and 0 for [CLS], [SEP] and [PAD] instead of asking the tokenizer."""
    q, p = tokenizer.tokenize(question), tokenizer.tokenize(passage)
    room = max_seq_length - len(q) - 3
    if room < 1:
        raise ValueError("the question does not fit")
    ids = [101] + tokenizer.convert_tokens_to_ids(q) + [102] + tokenizer.convert_tokens_to_ids(p[:room]) + [102]
    tokens = ["[CLS]"] + q + ["[SEP]"] + p[:room] + ["[SEP]"]
    padding = max_seq_length - len(ids)
    return ids + [0] * padding, [1] * len(ids) + [0] * padding, tokens


def prepare_bert_input__lower_cases_text(question, passage, tokenizer, max_seq_length=384):
    """Lower-cases the question and passage first ('BERT is uncased'): wrong for a cased tokenizer."""
    tokens = _layout(tokenizer, question.lower(), passage.lower(), max_seq_length)
    return _pack(tokenizer, tokens, max_seq_length)


def prepare_bert_input__room_off_by_one(question, passage, tokenizer, max_seq_length=384):
    """Counts only two special tokens when making room, so a truncated input is one token too long."""
    return _pack(tokenizer, _layout(tokenizer, question, passage, max_seq_length, extra=1), max_seq_length)


def prepare_bert_input__no_padding(question, passage, tokenizer, max_seq_length=384):
    """Does not pad: input_ids and attention_mask are as long as the tokens."""
    tokens = _layout(tokenizer, question, passage, max_seq_length)
    return tokenizer.convert_tokens_to_ids(tokens), [1] * len(tokens), tokens


def prepare_bert_input__mask_ones_on_padding(question, passage, tokenizer, max_seq_length=384):
    """Sets the attention mask to 1 everywhere, padding included."""
    tokens = _layout(tokenizer, question, passage, max_seq_length)
    return _pack(tokenizer, tokens, max_seq_length, mask_padding=False)


def prepare_bert_input__tokens_include_padding(question, passage, tokenizer, max_seq_length=384):
    """Returns the token list padded with [PAD] as well."""
    tokens = _layout(tokenizer, question, passage, max_seq_length)
    return _pack(tokenizer, tokens, max_seq_length, pad_tokens=True)


def prepare_bert_input__no_error_for_long_question(question, passage, tokenizer, max_seq_length=384):
    """Never raises: with a negative room, p[:room] silently keeps most of the passage."""
    q, p = tokenizer.tokenize(question), tokenizer.tokenize(passage)
    room = max_seq_length - len(q) - 3
    tokens = [tokenizer.cls_token] + q + [tokenizer.sep_token] + p[:room] + [tokenizer.sep_token]
    padding = max(0, max_seq_length - len(tokens))
    return (
        tokenizer.convert_tokens_to_ids(tokens) + [tokenizer.pad_token_id] * padding,
        [1] * len(tokens) + [0] * padding,
        tokens,
    )


# --------------------------------------------------------------------------------------------- get_span_from_scores


def _best(start_scores, end_scores, input_mask, allowed, ties_to_last=False):
    start, end = np.asarray(start_scores, float), np.asarray(end_scores, float)
    mask = np.asarray(input_mask) == 1
    if not mask.any():
        raise ValueError("empty mask")
    best, span = -np.inf, None
    for i in range(len(start)):
        for j in range(len(end)):
            if allowed(i, j, mask):
                score = start[i] + end[j]
                if span is None or score > best or (ties_to_last and score == best):
                    best, span = score, (i, j)
    return span


def get_span_from_scores__end_before_start(start_scores, end_scores, input_mask, max_answer_length=30):
    """Lets the end come before the start (any two passage positions less than max_answer_length apart)."""
    return _best(start_scores, end_scores, input_mask, lambda i, j, m: m[i] and m[j] and abs(j - i) < max_answer_length)


def get_span_from_scores__ignores_mask(start_scores, end_scores, input_mask, max_answer_length=30):
    """Ignores the mask (except to check it is not empty): spans may cover the question or the padding."""
    return _best(start_scores, end_scores, input_mask, lambda i, j, m: i <= j < i + max_answer_length)


def get_span_from_scores__independent_argmax(start_scores, end_scores, input_mask, max_answer_length=30):
    """Takes the best start and the best end separately, inside the mask."""
    mask = np.asarray(input_mask) == 1
    if not mask.any():
        raise ValueError("empty mask")
    start = np.where(mask, np.asarray(start_scores, float), -np.inf)
    end = np.where(mask, np.asarray(end_scores, float), -np.inf)
    return int(np.argmax(start)), int(np.argmax(end))


def get_span_from_scores__length_off_by_one(start_scores, end_scores, input_mask, max_answer_length=30):
    """Allows answers of max_answer_length + 1 tokens (j <= i + max_answer_length)."""
    return _best(
        start_scores, end_scores, input_mask, lambda i, j, m: m[i] and m[j] and i <= j <= i + max_answer_length
    )


def get_span_from_scores__ties_to_last(start_scores, end_scores, input_mask, max_answer_length=30):
    """Updates the best span on >= so ties go to the last span instead of the first."""
    return _best(
        start_scores,
        end_scores,
        input_mask,
        lambda i, j, m: m[i] and m[j] and i <= j < i + max_answer_length,
        ties_to_last=True,
    )


def get_span_from_scores__no_error_on_empty_mask(start_scores, end_scores, input_mask, max_answer_length=30):
    """Returns (0, 0) instead of raising ValueError when the mask has no 1."""
    if not (np.asarray(input_mask) == 1).any():
        return 0, 0
    return _best(start_scores, end_scores, input_mask, lambda i, j, m: m[i] and m[j] and i <= j < i + max_answer_length)


def get_span_from_scores__mask_checked_at_start_only(start_scores, end_scores, input_mask, max_answer_length=30):
    """Checks the mask for the start only, so the end may run into the [SEP] and the padding."""
    return _best(start_scores, end_scores, input_mask, lambda i, j, m: m[i] and i <= j < i + max_answer_length)


def get_span_from_scores__ignores_max_length(start_scores, end_scores, input_mask, max_answer_length=30):
    """Never limits the answer length."""
    return _best(start_scores, end_scores, input_mask, lambda i, j, m: m[i] and m[j] and i <= j)


# --------------------------------------------------------------------------------------------- construct_answer

SPECIAL = ("[CLS]", "[SEP]", "[PAD]")


def construct_answer__keeps_hashes(tokens):
    """Joins with spaces and keeps the '##' markers."""
    return " ".join(t for t in tokens if t not in SPECIAL).strip()


def construct_answer__space_before_pieces(tokens):
    """Removes '##' but keeps the space, so words come out split ('pl eur al')."""
    return " ".join(t[2:] if t.startswith("##") else t for t in tokens if t not in SPECIAL).strip()


def construct_answer__space_before_punctuation(tokens):
    """Glues '##' pieces but leaves spaces before punctuation ('clear .')."""
    return " ".join(t for t in tokens if t not in SPECIAL).replace(" ##", "").strip()


def construct_answer__space_after_parenthesis(tokens):
    """Forgets the rule for '(' : 'stable ( unchanged)'."""
    text = ""
    for token in tokens:
        if token in SPECIAL:
            continue
        if token.startswith("##"):
            text += token[2:]
        elif token in PUNCTUATION:
            text += token
        else:
            text += " " + token
    return text.strip()


def construct_answer__keeps_padding(tokens):
    """Drops [CLS] and [SEP] but not [PAD]."""
    return _join([t for t in tokens if t not in ("[CLS]", "[SEP]")])


def construct_answer__not_stripped(tokens):
    """Does not strip the leading space."""
    return " " + _join([t for t in tokens if t not in SPECIAL]) if any(t not in SPECIAL for t in tokens) else ""


def construct_answer__drops_every_bracketed_token(tokens):
    """Drops every token in square brackets, [UNK] included."""
    return _join([t for t in tokens if not (t.startswith("[") and t.endswith("]"))])


def construct_answer__glues_every_symbol(tokens):
    """Treats every non-alphanumeric token, '(' and '-' included, as punctuation with no space before it."""
    text, previous = "", None
    for token in tokens:
        if token in SPECIAL:
            continue
        if token.startswith("##"):
            text += token[2:]
        elif not token.isalnum() or previous == "(":
            text += token
        else:
            text += " " + token
        previous = token
    return text.strip()


def construct_answer__replaces_special_strings(tokens):
    """Joins everything, then deletes the special-token strings: a [SEP] between words leaves two spaces."""
    text = " ".join(tokens)
    for special in SPECIAL:
        text = text.replace(special, "")
    text = re.sub(r" ([.,;:?!)])", r"\1", text.replace(" ##", ""))
    return text.replace("( ", "(").strip()


def _join(tokens):
    text, previous = "", None
    for token in tokens:
        if token.startswith("##"):
            text += token[2:]
        elif token in PUNCTUATION or previous == "(":
            text += token
        else:
            text += " " + token
        previous = token
    return text.strip()


def get_labels__reads_the_notebook_keywords(sentences, keywords):
    """Looks the phrases up in the course's KEYWORDS instead of the keywords argument."""
    from helpers.data.report_keywords import KEYWORDS

    text = [s.lower() for s in sentences]
    return {label: any(p in s for s in text for p in KEYWORDS.get(label, [])) for label in keywords}
