"""Preview images of the brain-tumour MRI phantoms for the docs (docs/images/brain_case*.png).

    python benchmarks/make_brain_previews.py [--cases 1 2 3] [--seed 0] [--voxel 2] [--out docs/images]

For each case: the four modalities (FLAIR, T1w, T1gd, T2w) and the label overlay in three planes through the
tumour core, shown in radiological convention (patient's right on the viewer's left), drawn by
``helpers.mri_plots.case_figure`` (the figure the C1W3 notebook shows). The cases are generated in
memory (nothing is written to the data cache except the resampled template).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.config import REPO_ROOT  # noqa: E402
from helpers.data import brain  # noqa: E402


def preview(image, label, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.mri_plots import case_figure

    fig = case_figure(image, label, title=f"{title}  |  patient's right on the viewer's left")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=72)
    plt.close(fig)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--voxel", type=float, default=2.0)
    p.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "images")
    args = p.parse_args(argv)
    for i, case in enumerate(args.cases):
        image, label, _ = brain.make_case(args.seed, case, args.voxel)
        name = "brain_case.png" if i == 0 else f"brain_case{i + 1}.png"
        path = args.out / name
        preview(image, label, path, f"phantom BRATS_{case:03d} (seed {args.seed}, {args.voxel:g} mm)")
        print(f"{path}  ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
