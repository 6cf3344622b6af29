"""Benchmark: can a small 3-D U-Net learn the brain-tumour phantoms within a few minutes on 2 CPU cores?

    flock /tmp/ai4med-bench.lock .venv/bin/python benchmarks/bench_brain_unet.py [--budget 270] [--base 8]

Writes (or reuses) the phantom set ``generated_dir("brain", "msd_2mm_seed0")`` with ``--n-train + --n-test``
cases, trains ``helpers.models.unet_3d`` (depth 3) on 64^3 x 4 patches for ``--budget`` seconds of training
(half of the patches are centred near the tumour), then segments the held-out cases whole and reports the
BraTS Dice scores: whole tumour (labels 1-3), tumour core (2-3) and enhancing tumour (3).
Nothing is saved (no weights).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PATCH = 64


def normalise(image: np.ndarray) -> np.ndarray:
    """Z-score each channel over the brain (non-zero) voxels; the background stays 0."""
    brain = image[..., 0] > 0
    out = np.zeros_like(image, dtype=np.float32)
    for c in range(image.shape[-1]):
        v = image[..., c][brain]
        out[..., c][brain] = (v - v.mean()) / (v.std() + 1e-6)
    return out


def sample_patch(rng, image, label, p_tumour=2 / 3):
    shape = np.array(label.shape)
    if rng.random() < p_tumour:
        pts = np.argwhere(label > 0)
        centre = pts[rng.integers(len(pts))] + rng.integers(-16, 17, 3)
    else:
        pts = np.argwhere(image[..., 0] != 0)
        centre = pts[rng.integers(len(pts))]
    lo = np.clip(centre - PATCH // 2, 0, np.maximum(shape - PATCH, 0))
    sl = tuple(slice(a, a + PATCH) for a in lo)
    x, y = image[sl], label[sl]
    if x.shape[:3] != (PATCH,) * 3:  # volume smaller than the patch: pad
        pad = [(0, PATCH - s) for s in x.shape[:3]]
        x = np.pad(x, pad + [(0, 0)])
        y = np.pad(y, pad)
    if rng.random() < 0.5:  # left-right flip
        x, y = x[::-1], y[::-1]
    return np.ascontiguousarray(x), np.ascontiguousarray(y)


def keep_largest_tumour(pred: np.ndarray) -> np.ndarray:
    """Post-processing: each phantom has one tumour, so keep the largest connected tumour component."""
    from scipy import ndimage

    cc, n = ndimage.label(pred > 0)
    if n <= 1:
        return pred
    sizes = ndimage.sum_labels(np.ones_like(cc), cc, index=np.arange(1, n + 1))
    return np.where(cc == 1 + int(np.argmax(sizes)), pred, 0)


def dice(pred: np.ndarray, truth: np.ndarray) -> float:
    s = pred.sum() + truth.sum()
    return 1.0 if s == 0 else 2.0 * np.logical_and(pred, truth).sum() / s


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n-train", type=int, default=32)
    p.add_argument("--n-test", type=int, default=8)
    p.add_argument("--voxel", type=float, default=2.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--budget", type=float, default=270.0, help="seconds of training (after graph building)")
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--base", type=int, default=8)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--norm", default="group", help="group (default), batch or none")
    p.add_argument("--p-tumour", type=float, default=0.5,
                   help="share of patches centred near the tumour (2/3 made the network over-segment edema)")
    args = p.parse_args(argv)

    from helpers.config import seed_everything
    from helpers.data import brain

    t0 = time.perf_counter()
    root = brain.write_msd_dataset(brain.default_dataset_dir(args.voxel, args.seed), args.n_train + args.n_test,
                                   seed=args.seed, voxel_mm=args.voxel)
    cases = [brain.load_case(root, i) for i in range(1, args.n_train + args.n_test + 1)]
    data = [(normalise(im), lab) for im, lab, _ in cases]
    train, test = data[: args.n_train], data[args.n_train:]
    print(f"data: {len(train)} train / {len(test)} held-out cases, shape {data[0][1].shape}, "
          f"ready in {time.perf_counter() - t0:.1f} s")

    import keras
    from keras import ops

    from helpers.models import unet_3d

    seed_everything(args.seed)
    rng = np.random.default_rng(args.seed)
    model = unet_3d((PATCH, PATCH, PATCH, 4), n_classes=4, depth=args.depth, base_filters=args.base,
                    norm=None if args.norm == "none" else args.norm)

    def loss_fn(y_true, y_pred):
        y_true = ops.cast(y_true, "float32")
        ce = keras.losses.categorical_crossentropy(y_true, y_pred)
        axes = (0, 1, 2, 3)
        inter = ops.sum(y_true * y_pred, axis=axes)
        denom = ops.sum(y_true, axis=axes) + ops.sum(y_pred, axis=axes)
        soft_dice = (2 * inter + 1.0) / (denom + 1.0)
        return ops.mean(ce) + 1.0 - ops.mean(soft_dice[1:])

    model.compile(optimizer=keras.optimizers.Adam(args.lr), loss=loss_fn)
    print(f"model: {model.count_params():,} parameters")

    def batch():
        xs, ys = zip(*(sample_patch(rng, *train[rng.integers(len(train))], p_tumour=args.p_tumour)
                       for _ in range(args.batch)))
        return np.stack(xs), keras.utils.to_categorical(np.stack(ys), 4)

    t1 = time.perf_counter()
    model.train_on_batch(*batch())
    print(f"first step (graph building): {time.perf_counter() - t1:.1f} s")
    t1 = time.perf_counter()
    steps, losses = 0, []
    while time.perf_counter() - t1 < args.budget:
        losses.append(float(model.train_on_batch(*batch())))
        steps += 1
        if steps % 100 == 0:
            print(f"  step {steps}: loss {np.mean(losses[-100:]):.3f} ({(time.perf_counter() - t1) / steps:.2f} s/step)")
    train_time = time.perf_counter() - t1
    print(f"trained {steps} steps of batch {args.batch} in {train_time:.0f} s ({train_time / steps:.2f} s/step)")

    # whole-volume inference with a fully convolutional copy of the network
    full = unet_3d((None, None, None, 4), n_classes=4, depth=args.depth, base_filters=args.base,
                   norm=None if args.norm == "none" else args.norm)
    full.set_weights(model.get_weights())
    step = 2 ** args.depth
    scores = {"whole tumour": [], "tumour core": [], "enhancing tumour": []}
    raw = {k: [] for k in scores}
    prec, rec = [], []
    t2 = time.perf_counter()
    for x, y in test:
        pad = [(0, (-s) % step) for s in y.shape]
        xp = np.pad(x, pad + [(0, 0)])
        prob = full.predict(xp[None], verbose=0)[0][: y.shape[0], : y.shape[1], : y.shape[2]]
        pred = prob.argmax(-1)
        tr = brain.brats_regions(y)
        pr = brain.brats_regions(pred)
        for k in raw:
            raw[k].append(dice(pr[k], tr[k]))
        tp = np.logical_and(pr["whole tumour"], tr["whole tumour"]).sum()
        prec.append(tp / max(pr["whole tumour"].sum(), 1))
        rec.append(tp / max(tr["whole tumour"].sum(), 1))
        pr = brain.brats_regions(keep_largest_tumour(pred))
        for k in scores:
            scores[k].append(dice(pr[k], tr[k]))
    print(f"inference on {len(test)} held-out volumes: {time.perf_counter() - t2:.1f} s")
    print(f"whole tumour precision {np.mean(prec):.3f}, recall {np.mean(rec):.3f}")
    for k, v in raw.items():
        print(f"Dice {k:17s} mean {np.mean(v):.3f}  median {np.median(v):.3f}  per case {np.round(v, 2).tolist()}")
    print("(keeping only the largest tumour component: "
          + ", ".join(f"{k} {np.mean(v):.3f}" for k, v in scores.items()) + ")")
    print(f"total wall time {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
