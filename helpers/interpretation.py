"""Scoring saliency maps against known lesion boxes (C3W3): the pointing game's trials and baselines, and the
weight-randomisation sanity check of Adebayo et al. (2018).

The graded pieces (``grad_cam``, ``pointing_game``) are the learner's; the functions here are passed them or their
results. Keras is imported inside the functions that need it.

References
----------
Zhang, J. et al. (2018). Top-down neural attention by excitation backprop. *IJCV* 126, 1084-1102 (the pointing
game). Adebayo, J. et al. (2018). Sanity checks for saliency maps. *NeurIPS* 31.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "pointing_trials",
    "pointing_hits",
    "hit_rate_table",
    "centre_map",
    "lung_hit_probability",
    "randomized_copy",
    "rank_correlation",
    "cascading_randomization",
    "CASCADE",
]


def pointing_trials(frame: pd.DataFrame, boxes: pd.DataFrame) -> pd.DataFrame:
    """One pointing-game trial per (picture, finding) that has at least one lesion box.

    Parameters
    ----------
    frame : pandas.DataFrame
        The pictures of one split, in the order of their arrays (column ``Image``).
    boxes : pandas.DataFrame
        Lesion boxes: ``Image, Finding, x, y, w, h`` in pixels (``lesion_boxes.csv``); boxes of other pictures are
        ignored.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (position of the picture in ``frame``), ``Image``, ``Finding`` and ``boxes`` (an
        (n_boxes, 4) array of x, y, w, h), sorted by finding, then picture.
    """
    position = pd.Series(np.arange(len(frame)), index=frame["Image"].to_numpy())
    mine = boxes[boxes["Image"].isin(position.index)]
    rows = [
        {
            "row": int(position[image]),
            "Image": image,
            "Finding": finding,
            "boxes": group[["x", "y", "w", "h"]].to_numpy(dtype=float),
        }
        for (finding, image), group in mine.groupby(["Finding", "Image"], sort=True)
    ]
    return pd.DataFrame(rows, columns=["row", "Image", "Finding", "boxes"])


def pointing_hits(
    grad_cam,
    pointing_game,
    model,
    images: np.ndarray,
    trials: pd.DataFrame,
    layer_name: str,
    findings,
    *,
    progress: bool = True,
    description: str = "pointing game",
) -> np.ndarray:
    """Play every trial: ``pointing_game(grad_cam(model, images[row], class of the finding, layer_name), boxes)``.

    Parameters
    ----------
    grad_cam, pointing_game : callable
        The graded functions (the learner's, or the reference solutions).
    model : keras.Model
    images : numpy.ndarray, shape (n_images, height, width, channels)
        The split's pictures as the model takes them, in the order of ``trials["row"]``.
    trials : pandas.DataFrame
        From :func:`pointing_trials`.
    layer_name : str
    findings : sequence of str
        The model's outputs in order (the class index of a finding is its position here).

    Returns
    -------
    numpy.ndarray, shape (n_trials,)
        1.0 for a hit, 0.0 for a miss.
    """
    from tqdm.auto import tqdm

    findings = list(findings)
    hits = [
        pointing_game(grad_cam(model, images[t.row], findings.index(t.Finding), layer_name), t.boxes)
        for t in tqdm(trials.itertuples(), total=len(trials), desc=description, disable=not progress)
    ]
    return np.asarray(hits, dtype=float)


def hit_rate_table(trials: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Hit rate per finding (and over all trials) of every column of ``results`` (one row per trial, 0/1 hits or
    hit probabilities), with the number of trials and of lesion boxes per finding."""
    by_finding = pd.concat([trials[["Finding"]], results], axis=1).groupby("Finding")
    table = by_finding[list(results.columns)].mean()
    table.insert(0, "trials", by_finding.size())
    table.insert(1, "boxes", trials.groupby("Finding")["boxes"].apply(lambda b: sum(map(len, b))))
    table.loc["all trials"] = [len(trials), sum(map(len, trials["boxes"])), *results.mean()]
    return table.astype({"trials": int, "boxes": int})


def centre_map(shape) -> np.ndarray:
    """A map whose only maximum is the centre pixel (row ``H // 2``, column ``W // 2``): the centre baseline."""
    cam = np.zeros(tuple(shape))
    cam[shape[0] // 2, shape[1] // 2] = 1.0
    return cam


def lung_hit_probability(lung_mask: np.ndarray, boxes) -> float:
    """Chance that a pixel drawn uniformly from the lungs lies in a box (``x <= col < x + w``, ``y <= row < y + h``).

    The exact expected hit rate of the "random point inside the lungs" baseline, without sampling noise.

    Parameters
    ----------
    lung_mask : numpy.ndarray, shape (height, width), bool
    boxes : array-like, shape (n_boxes, 4)
        x, y, w, h in pixels.

    Returns
    -------
    float
        In [0, 1]; nan for an empty mask.
    """
    rows, cols = np.nonzero(lung_mask)
    if rows.size == 0:
        return float("nan")
    x, y, w, h = np.asarray(boxes, dtype=float).reshape(-1, 4).T[:, :, None]
    inside = ((x <= cols) & (cols < x + w) & (y <= rows) & (rows < y + h)).any(axis=0)
    return float(inside.mean())


def randomized_copy(model, layer_names, seed: int = 0):
    """A copy of a Keras model whose named layers get fresh random weights (drawn by their own initializers).

    Used for the cascading randomisation of Adebayo et al. (2018): randomise the top layer, then the top two, ...;
    an explanation that depends on what the model learned must change as the weights are destroyed. Batch
    normalisation layers return to their initial state (scale 1, offset 0, moving mean 0, moving variance 1).
    """
    import keras

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    for k, name in enumerate(layer_names):
        layer = copy.get_layer(name)
        for variable in layer.weights:
            kind = variable.path.split("/")[-1]
            if kind in ("kernel", "bias") and hasattr(layer, f"{kind}_initializer"):
                initializer = keras.initializers.get(getattr(layer, f"{kind}_initializer"))
                config = initializer.get_config()
                if "seed" in config:  # a seeded copy, so the randomised model is reproducible
                    initializer = type(initializer).from_config({**config, "seed": seed + k})
                variable.assign(initializer(variable.shape))
            elif kind in ("gamma", "moving_variance"):
                variable.assign(np.ones(variable.shape, dtype="float32"))
            elif kind in ("beta", "moving_mean"):
                variable.assign(np.zeros(variable.shape, dtype="float32"))
    return copy


def rank_correlation(a, b) -> float:
    """Spearman rank correlation between two maps (flattened); nan when either map is constant."""
    from scipy.stats import spearmanr

    a, b = np.ravel(a), np.ravel(b)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)


CASCADE = (("findings",), ("conv5", "bn5"), ("conv4", "bn4"), ("conv3", "bn3"), ("conv2", "bn2"), ("conv1", "bn1"))
"""The blocks of :func:`helpers.models.small_cxr_cnn`, from the output down, for :func:`cascading_randomization`."""


def cascading_randomization(
    grad_cam,
    model,
    images: np.ndarray,
    trials: pd.DataFrame,
    findings,
    layer_name: str = "last_conv",
    blocks=CASCADE,
    seed: int = 0,
    progress: bool = True,
):
    """Rank correlation between the trained model's maps and those of copies randomised block by block from the top.

    Returns
    -------
    correlations : pandas.DataFrame
        One row per step (``"findings"``, ``"+ conv5"``, ...: the blocks randomised so far), one column per trial.
    maps : dict
        The maps of every step (key: the step's label), in the order of ``trials``.
    """
    from tqdm.auto import tqdm

    findings = list(findings)
    trained = [grad_cam(model, images[t.row], findings.index(t.Finding), layer_name) for t in trials.itertuples()]
    randomised, correlations, maps = [], {}, {}
    for k, block in enumerate(tqdm(blocks, desc="cascading randomisation", disable=not progress)):
        randomised += list(block)
        label = block[0] if k == 0 else f"+ {block[0]}"
        copy = randomized_copy(model, randomised, seed=seed)
        maps[label] = [
            grad_cam(copy, images[t.row], findings.index(t.Finding), layer_name) for t in trials.itertuples()
        ]
        correlations[label] = [rank_correlation(a, b) for a, b in zip(trained, maps[label])]
    maps["trained"] = trained
    return pd.DataFrame(correlations, index=trials.index).T, maps
