"""Benchmark: how long the brain-tumour MRI phantoms take to generate.

    flock /tmp/ai4med-bench.lock .venv/bin/python benchmarks/bench_brain_generation.py [--n 40] [--voxel 2] [--runs 3]

1. Template resampling (first use of a voxel size): the MNI152 maps are resampled from 1 mm, timed in a fresh
   process-local cache.
2. Writing ``--n`` cases (default 40) to an empty folder with 2 worker processes, ``--runs`` times; the median is
   reported. Everything is written to a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=40)
    p.add_argument("--voxel", type=float, default=2.0)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="ai4med-brain-bench-") as tmp:
        import helpers.config as config

        config.DATA_DIR = Path(tmp)  # private cache: the template is resampled from scratch
        from helpers.data import brain

        t0 = time.perf_counter()
        tpl = brain.load_templates(args.voxel)
        t_tpl = time.perf_counter() - t0
        brain.load_templates.cache_clear()
        t0 = time.perf_counter()
        brain.load_templates(args.voxel)
        t_cached = time.perf_counter() - t0
        print(
            f"template resampling to {args.voxel:g} mm (first use): {t_tpl:.1f} s; "
            f"from cache: {t_cached:.2f} s; grid {tpl['gm'].shape}"
        )

        times, sizes = [], []
        for r in range(args.runs):
            root = Path(tmp) / f"run{r}"
            t0 = time.perf_counter()
            brain.write_msd_dataset(
                root, n_cases=args.n, seed=0, voxel_mm=args.voxel, workers=args.workers, progress=False
            )
            times.append(time.perf_counter() - t0)
            sizes.append(sum(f.stat().st_size for f in root.rglob("*.nii.gz")) / 1e6)
            print(f"run {r + 1}: {args.n} cases in {times[-1]:.1f} s ({sizes[-1]:.0f} MB on disk)")
        t0 = time.perf_counter()
        brain.write_msd_dataset(Path(tmp) / "run0", n_cases=args.n, seed=0, voxel_mm=args.voxel, progress=False)
        t_skip = time.perf_counter() - t0
        med = statistics.median(times)
        print(
            f"median: {args.n} cases at {args.voxel:g} mm with {args.workers} workers in {med:.1f} s "
            f"({med / args.n:.2f} s/case; runs: {', '.join(f'{t:.1f}' for t in times)}); "
            f"re-run with everything cached: {t_skip:.2f} s; cpu count {os.cpu_count()}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
