"""The pointing game of C3W3 on the reference chest X-ray CNN: learned model vs baselines vs randomised model.

    flock /tmp/ai4med-bench.lock python benchmarks/bench_pointing_game.py [--no-write]

Plays every trial (test picture x finding with a lesion box) of the reference data set with the reference solutions
(``helpers.solutions.c3w3``) and the notebook's helpers (``helpers.interpretation``): Grad-CAM of the trained CNN at
three layers, the image-centre and random-lung-point baselines, the fully randomised CNN, and the cascading
randomisation of Adebayo et al. (2018). Runs in the mode of ``AI4MED_FAST`` (the documented numbers are full mode)
and rewrites the "## Interpretation: the pointing game (C3W3, <mode> mode)" section of docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.config import FAST  # noqa: E402

HEADING = "## Interpretation: the pointing game (C3W3, {mode} mode)"
LAYERS = ("last_conv", "relu4", "relu3")


def measure() -> dict:
    import numpy as np
    import pandas as pd
    from scipy.stats import binomtest

    from helpers.data.cxr import FINDINGS, load_cxr_split, phantom_lung_masks
    from helpers.interpretation import (
        cascading_randomization,
        centre_map,
        hit_rate_table,
        lung_hit_probability,
        pointing_hits,
        pointing_trials,
        randomized_copy,
    )
    from helpers.models import cxr_reference_model, cxr_reference_params
    from helpers.solutions.c3w3 import grad_cam, pointing_game
    from helpers.training import load_cxr_arrays

    seconds = {}
    start = time.perf_counter()
    recipe = cxr_reference_params()
    data = load_cxr_split(n=recipe["data"]["n"], size=recipe["data"]["size"], seed=recipe["data"]["seed"])
    cnn, _ = cxr_reference_model(progress=False)
    x_test, _ = load_cxr_arrays(data, "test", progress=False)
    trials = pointing_trials(data.test, data.boxes())
    seconds["data and model (cache)"] = time.perf_counter() - start

    results = {}
    for layer in LAYERS:
        start = time.perf_counter()
        results[f"Grad-CAM ({layer})"] = pointing_hits(
            grad_cam, pointing_game, cnn, x_test, trials, layer, FINDINGS, progress=False
        )
        seconds[f"Grad-CAM at {layer}, {len(trials)} trials"] = time.perf_counter() - start
    start = time.perf_counter()
    lungs = phantom_lung_masks(data, "test", progress=False)
    centre = centre_map(x_test.shape[1:3])
    results["image centre"] = [float(pointing_game(centre, b)) for b in trials["boxes"]]
    results["random lung point"] = [lung_hit_probability(lungs[r], b) for r, b in zip(trials["row"], trials["boxes"])]
    seconds["baselines (lung masks included)"] = time.perf_counter() - start
    start = time.perf_counter()
    random_cnn = randomized_copy(cnn, [layer.name for layer in cnn.layers if layer.weights], seed=0)
    results["randomised model"] = pointing_hits(
        grad_cam, pointing_game, random_cnn, x_test, trials, "last_conv", FINDINGS, progress=False
    )
    seconds["randomised model"] = time.perf_counter() - start
    table = hit_rate_table(trials, pd.DataFrame(results, index=trials.index))
    intervals = {}
    for finding, row in table.iterrows():
        hits = int(round(row["Grad-CAM (last_conv)"] * row["trials"]))
        ci = binomtest(hits, int(row["trials"])).proportion_ci(method="wilson")
        intervals[finding] = f"{ci.low:.2f}-{ci.high:.2f}"
    table["95% CI (last_conv)"] = pd.Series(intervals)
    start = time.perf_counter()
    sample = trials.sample(min(len(trials), 60), random_state=0)
    correlations, maps = cascading_randomization(grad_cam, cnn, x_test, sample, FINDINGS, progress=False)
    seconds[f"cascading randomisation, {len(sample)} trials x 6 steps"] = time.perf_counter() - start
    zero_maps = int(sum(float(np.max(m)) == 0 for m in maps[correlations.index[-1]]))
    return {
        "table": table,
        "medians": correlations.median(axis=1),
        "zero_maps": zero_maps,
        "sample": len(sample),
        "seconds": seconds,
        "size": data.size,
        "n_test": len(data.test),
    }


def render(result: dict) -> str:
    table = result["table"]
    min_boxes = 20
    columns = [
        "trials",
        "boxes",
        *[f"Grad-CAM ({layer})" for layer in LAYERS],
        "95% CI (last_conv)",
        "image centre",
        "random lung point",
        "randomised model",
    ]
    lines = ["| finding | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for finding, row in table.iterrows():
        name = f"**{finding}**" if row["boxes"] >= min_boxes and finding != "all trials" else finding
        cells = [f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    medians = ", ".join(f"{k} {v:.2f}" for k, v in result["medians"].items())
    timing = "; ".join(f"{k} {v:.0f} s" for k, v in result["seconds"].items())
    mode = "FAST" if FAST else "full"
    return f"""Script: `benchmarks/bench_pointing_game.py` ({mode} mode: {result["n_test"]} test pictures of
{result["size"]}x{result["size"]} pixels, the cached reference CNN of `helpers.models.cxr_reference_model`), measured
{time.strftime("%Y-%m-%d")}, load average {os.getloadavg()[0]:.1f} on 2 cores. A trial is one test picture and one
finding with at least one lesion box on it; a hit is the maximum of the map inside one of that finding's boxes
(`pointing_game`). Baselines: the image centre (row H // 2, column W // 2); a random lung point (the exact chance
that a pixel drawn uniformly from the picture's lungs lies in a box). Randomised model: every weight re-drawn by
its initializer (`helpers.interpretation.randomized_copy`). Findings with at least {min_boxes} test boxes in bold;
the 95% interval (Wilson) is for Grad-CAM at `last_conv`.

{chr(10).join(lines)}

Cascading randomisation (Adebayo et al., 2018; {result["sample"]} trials, Grad-CAM at `last_conv`): median Spearman
correlation with the trained model's maps after randomising, from the output down: {medians}.
{result["zero_maps"]} of the {result["sample"]} maps of the fully randomised model are zero everywhere.

Time: {timing}.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-write", action="store_true", help="print only; do not update docs/BENCHMARKS.md")
    args = parser.parse_args()
    body = render(measure())
    print(body)
    if not args.no_write:
        from bench_grading import write_section

        write_section(body, HEADING.format(mode="FAST" if FAST else "full"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
