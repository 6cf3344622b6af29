"""Benchmark: can the C1W3 3-D U-Net learn the brain-tumour phantoms within a few minutes on 2 CPU cores?

    flock /tmp/ai4med-bench.lock .venv/bin/python benchmarks/bench_brain_unet.py [--runs 3] [--steps 800] [--budget 330]

Trains exactly as the C1W3 notebook does in full mode, through the one training path ``helpers.segmentation``:
the phantom set ``generated_dir("brain", "msd_2mm_seed0")`` (cases 1-32 for training, 33-40 held out),
``normalize_brain``, ``unet_3d((None, None, None, 4))`` (depth 3, 8 base filters, group normalisation),
``dice_and_cross_entropy`` built on the reference ``soft_dice_loss`` (helpers.solutions.c1w3), 64^3 patches half
centred near the tumour, Adam 2e-3, batch 1, ``--steps`` steps or ``--budget`` seconds of training. The held-out
cases are segmented whole (``predict_volume``) and scored per BraTS region with the reference Dice and
sensitivity/specificity. ``--norm slice`` trains on volumes standardized per slice with the reference
``standardize`` instead (the comparison quoted in the notebook). Nothing is saved (no weights).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REGIONS = ("whole tumour", "tumour core", "enhancing tumour")


def keep_largest_tumour(pred: np.ndarray) -> np.ndarray:
    """Post-processing (analysis only): each phantom has one tumour, so keep the largest connected component."""
    from scipy import ndimage

    cc, n = ndimage.label(pred > 0)
    if n <= 1:
        return pred
    sizes = ndimage.sum_labels(np.ones_like(cc), cc, index=np.arange(1, n + 1))
    return np.where(cc == 1 + int(np.argmax(sizes)), pred, 0)


def region_scores(ref, truth: np.ndarray, pred: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """(Dice, sensitivity, specificity) per BraTS region, with the reference solutions (as the notebook does)."""
    from helpers.data import brain

    t = np.stack([brain.brats_regions(truth)[r] for r in REGIONS], axis=-1).astype(np.float32)
    p = np.stack([brain.brats_regions(pred)[r] for r in REGIONS], axis=-1).astype(np.float32)
    out = {}
    for k, region in enumerate(REGIONS):
        sens, spec = ref.compute_class_sens_spec(p, t, k)
        out[region] = (float(ref.single_class_dice_coefficient(t[..., k], p[..., k])), float(sens), float(spec))
    return out


def one_run(args, seed: int, train, test) -> dict:
    import keras

    from helpers import segmentation
    from helpers.models import unet_3d
    from helpers.solutions import c1w3 as ref

    keras.utils.set_random_seed(seed)
    model = unet_3d((None, None, None, 4), n_classes=4, depth=3, base_filters=8)
    history = segmentation.train_unet(
        model,
        train,
        loss=segmentation.dice_and_cross_entropy(ref.soft_dice_loss),
        steps_per_epoch=50,
        epochs=max(1, args.steps // 50),
        time_budget_s=args.budget,
        seed=seed,
        verbose=2,
    )
    t0 = time.perf_counter()
    raw, post = [], []
    for x, y in test:
        pred = segmentation.predict_volume(model, x).argmax(-1)
        raw.append(region_scores(ref, y, pred))
        post.append(region_scores(ref, y, keep_largest_tumour(pred)))
    mean = {r: float(np.nanmean([c[r][0] for c in raw])) for r in REGIONS}
    print(
        f"seed {seed}: {history['steps'].iloc[-1]} steps in {history['seconds'].iloc[-1]:.0f} s"
        f"{' (time budget)' if history.attrs['stopped_early'] else ''}; inference {time.perf_counter() - t0:.1f} s"
    )
    for r in REGIONS:
        per_case = [round(c[r][0], 2) for c in raw]
        sens = np.nanmean([c[r][1] for c in raw])
        print(
            f"  Dice {r:17s} {mean[r]:.3f} (sensitivity {sens:.3f}; largest component only "
            f"{np.nanmean([c[r][0] for c in post]):.3f})  per case {per_case}"
        )
    return {"mean": mean, "seconds": float(history["seconds"].iloc[-1]), "steps": int(history["steps"].iloc[-1])}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n-train", type=int, default=32)
    p.add_argument("--n-test", type=int, default=8)
    p.add_argument("--runs", type=int, default=1, help="training runs with seeds 0, 1, ...")
    p.add_argument("--steps", type=int, default=800, help="training steps (the notebook's full mode: 800)")
    p.add_argument("--budget", type=float, default=330.0, help="seconds of training at most (notebook: 330)")
    p.add_argument(
        "--norm",
        choices=("brain", "slice"),
        default="brain",
        help="brain: segmentation.normalize_brain (the notebook); slice: the reference standardize",
    )
    args = p.parse_args(argv)

    from helpers.data import brain
    from helpers.segmentation import normalize_brain
    from helpers.solutions import c1w3 as ref

    t0 = time.perf_counter()
    n = args.n_train + args.n_test
    root = brain.write_msd_dataset(brain.default_dataset_dir(2.0, 0), n, seed=0, voxel_mm=2.0)
    norm = normalize_brain if args.norm == "brain" else (lambda im: ref.standardize(im).astype(np.float32))
    data = [(norm(im), lab) for im, lab, _ in (brain.load_case(root, i) for i in range(1, n + 1))]
    train, test = data[: args.n_train], data[args.n_train :]
    print(
        f"data: {len(train)} train / {len(test)} held-out cases, normalisation {args.norm}, "
        f"ready in {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f}"
    )
    runs = [one_run(args, seed, train, test) for seed in range(args.runs)]
    print(f"\nsummary over {len(runs)} run(s), load average {os.getloadavg()[0]:.1f}:")
    for r in REGIONS:
        values = [run["mean"][r] for run in runs]
        print(f"  mean Dice {r:17s} median {statistics.median(values):.3f}  runs {[round(v, 3) for v in values]}")
    print(f"  training seconds {[round(run['seconds']) for run in runs]}, steps {[run['steps'] for run in runs]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
