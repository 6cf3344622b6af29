"""Preview images of the brain-tumour MRI phantoms for the docs (docs/images/brain_case*.png).

    python benchmarks/make_brain_previews.py [--cases 1 2 3] [--seed 0] [--voxel 2] [--out docs/images]

For each case: the four modalities (FLAIR, T1w, T1gd, T2w) and the label overlay in three planes through the
tumour core, shown in radiological convention (patient's right on the viewer's left). The cases are generated in
memory (nothing is written to the data cache except the resampled template).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.config import REPO_ROOT  # noqa: E402
from helpers.data import brain  # noqa: E402

NAMES = ["FLAIR", "T1w", "T1gd", "T2w"]
# label colours: 1 edema (yellow), 2 non-enhancing / necrotic core (blue), 3 enhancing (red)
COLOURS = np.array([[0, 0, 0, 0], [1.0, 0.85, 0.1, 0.45], [0.15, 0.45, 1.0, 0.6], [1.0, 0.1, 0.1, 0.65]])


def planes(vol: np.ndarray, centre) -> list[np.ndarray]:
    """Axial, coronal and sagittal slices through ``centre`` of an (x, y, z[, c]) RAS volume, ready for imshow
    with origin='lower' in radiological convention."""
    x, y, z = centre
    ax = vol[::-1, :, z].swapaxes(0, 1)    # rows: posterior->anterior (origin lower), cols: right->left
    co = vol[::-1, y, :].swapaxes(0, 1)    # rows: inferior->superior, cols: right->left
    sa = vol[:, ::-1, :][x].swapaxes(0, 1)  # rows: inferior->superior, cols: anterior->posterior
    return [ax, co, sa]


def preview(image, label, voxel_mm, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    core = (label == 2) | (label == 3)
    where = np.argwhere(core if core.any() else label > 0)
    centre = tuple(int(round(c)) for c in where.mean(0))
    fig, axes = plt.subplots(3, 5, figsize=(10, 6.6), dpi=72)
    for m in range(4):
        chan = image[..., m]
        vmax = np.percentile(chan[chan > 0], 99.5)
        for r, sl in enumerate(planes(chan, centre)):
            axes[r, m].imshow(sl, cmap="gray", vmin=0, vmax=vmax, origin="lower", interpolation="nearest",
                              aspect="equal")
    t1gd = image[..., 2]
    vmax = np.percentile(t1gd[t1gd > 0], 99.5)
    for r, (sl, ls) in enumerate(zip(planes(t1gd, centre), planes(label, centre))):
        axes[r, 4].imshow(sl, cmap="gray", vmin=0, vmax=vmax, origin="lower", interpolation="nearest")
        axes[r, 4].imshow(COLOURS[ls], origin="lower", interpolation="nearest")
    for c, name in enumerate(NAMES + ["labels on T1gd"]):
        axes[0, c].set_title(name, fontsize=11)
    for r, name in enumerate(["axial", "coronal", "sagittal"]):
        axes[r, 0].set_ylabel(name, fontsize=11)
    for a in axes.ravel():
        a.set_xticks([])
        a.set_yticks([])
    fig.suptitle(f"{title}  |  yellow: edema (1), blue: non-enhancing/necrotic (2), red: enhancing (3)  |  "
                 f"R on viewer's left", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
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
        preview(image, label, args.voxel, path,
                f"phantom BRATS_{case:03d} (seed {args.seed}, {args.voxel:g} mm)")
        print(f"{path}  ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
