"""Preview pictures of the chest X-ray phantoms for the docs (small PNGs in docs/images/).

    python benchmarks/make_cxr_previews.py

- ``docs/images/cxr_findings.png``: one phantom per finding (real NIH rows that carry only that finding), 256 px,
  with the recorded lesion boxes drawn in red;
- ``docs/images/cxr_normals.png``: eight "No Finding" phantoms of different patients, 256 px.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers.config import REPO_ROOT  # noqa: E402
from helpers.data.cxr import FINDINGS, load_nih_labels, render_cxr  # noqa: E402

SIZE = 256


def _tile(row, title, boxes_on=True):
    from PIL import Image, ImageDraw

    img, boxes, info = render_cxr(row, row["Image"], size=SIZE, seed=0)
    im = Image.fromarray(img).convert("RGB")
    d = ImageDraw.Draw(im)
    if boxes_on:
        for b in boxes:
            d.rectangle([b["x"], b["y"], b["x"] + b["w"] - 1, b["y"] + b["h"] - 1], outline=(255, 40, 40), width=2)
    label = f"{title}  CTR {info['ctr']:.2f}"
    d.rectangle([0, 0, 7 * len(label) + 6, 14], fill=(0, 0, 0))
    d.text((3, 2), label, fill=(255, 255, 0))
    return np.asarray(im)


def _grid(tiles, cols):
    blank = np.zeros_like(tiles[0])
    tiles = tiles + [blank] * (-len(tiles) % cols)
    rows = [np.concatenate(tiles[i : i + cols], axis=1) for i in range(0, len(tiles), cols)]
    return np.concatenate(rows, axis=0)


def _palette_png(rgb):
    """62 gray levels plus red (boxes) and yellow (titles): a small palette PNG that keeps the box colour."""
    from PIL import Image

    r, g, b = (rgb[..., i].astype(int) for i in range(3))
    idx = np.round(rgb.mean(axis=2) * 61 / 255).astype(np.uint8)
    idx[(r - g > 60) & (r - b > 60) & (g < 160)] = 62
    idx[(r > 150) & (g > 150) & (b < 100)] = 63
    im = Image.fromarray(idx, mode="P")
    palette = [v for k in range(62) for v in (round(k * 255 / 61),) * 3] + [255, 40, 40, 255, 255, 0]
    im.putpalette(palette)
    return im


def main():
    from PIL import Image

    labels = load_nih_labels()
    n_labels = labels[list(FINDINGS)].sum(axis=1)
    rng = np.random.default_rng(0)
    tiles = []
    for f in FINDINGS:
        only = labels[(labels[f] == 1) & (n_labels == 1)]
        row = only.iloc[int(rng.integers(len(only)))].to_dict()
        tiles.append(_tile(row, f))
    normals = labels[n_labels == 0]
    normal_tiles = []
    for i in rng.choice(len(normals), 8, replace=False):
        row = normals.iloc[int(i)].to_dict()
        normal_tiles.append(_tile(row, f"No Finding {row['Sex']} {row['Age']:.0f}y {row['View']}", boxes_on=False))
    out = REPO_ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    # 3 x 5 grid at 256 px per tile, then halved to keep the file small (signs stay visible)
    for name, grid in (("cxr_findings.png", _grid(tiles, 5)), ("cxr_normals.png", _grid(normal_tiles, 4))):
        im = Image.fromarray(grid)
        im = im.resize((im.width * 3 // 4, im.height * 3 // 4), Image.LANCZOS)
        _palette_png(np.asarray(im)).save(out / name, optimize=True)
        print(out / name, (out / name).stat().st_size // 1024, "KB")


if __name__ == "__main__":
    main()
