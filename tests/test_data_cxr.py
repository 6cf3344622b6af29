"""Tests of the chest X-ray data layer (helpers.data.cxr): real NIH labels, phantom renderer, data sets, loaders."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.data import _cxr_assets, cxr
from helpers.data.cxr import FINDINGS, LABEL_COLUMNS

REPO = Path(__file__).resolve().parent.parent

# counts of the NIH ChestX-ray14 v2020 table (see /work/shared/DATA.md)
NIH_COUNTS = {
    "Infiltration": 19894,
    "Effusion": 13317,
    "Atelectasis": 11559,
    "Nodule": 6331,
    "Mass": 5782,
    "Pneumothorax": 5302,
    "Consolidation": 4667,
    "Pleural_Thickening": 3385,
    "Cardiomegaly": 2776,
    "Emphysema": 2516,
    "Edema": 2303,
    "Fibrosis": 1686,
    "Pneumonia": 1431,
    "Hernia": 227,
}


@pytest.fixture(scope="module")
def labels():
    return cxr.load_nih_labels()


def _rows_with_each_finding(labels, per_finding=2, normals=4, seed=0):
    rng = np.random.default_rng(seed)
    picks = []
    for f in FINDINGS:
        idx = np.flatnonzero(labels[f].values == 1)
        picks.extend(rng.choice(idx, per_finding, replace=False))
    normal = np.flatnonzero(labels[list(FINDINGS)].sum(axis=1).values == 0)
    picks.extend(rng.choice(normal, normals, replace=False))
    return labels.iloc[picks].reset_index(drop=True)


def _hash_folder(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------------------------------- label table
def test_label_table_shape_columns_counts(labels):
    assert labels.shape == (112_120, 20)
    assert tuple(labels.columns) == LABEL_COLUMNS
    assert labels["Image"].is_unique
    assert labels["PatientId"].nunique() == 30_805
    for f in FINDINGS:
        assert labels[f].dtype == np.int64 and set(labels[f].unique()) <= {0, 1}
    assert labels[list(FINDINGS)].sum().to_dict() == NIH_COUNTS
    assert int((labels[list(FINDINGS)].sum(axis=1) == 0).sum()) == 60_361  # "No Finding"
    assert set(labels["View"]) == {"PA", "AP"} and set(labels["Sex"]) == {"M", "F"}
    # a copy each call: callers may modify it freely
    labels.loc[0, "Hernia"] = 7
    assert cxr.load_nih_labels().loc[0, "Hernia"] == 0


def test_missing_package_gives_clear_error(monkeypatch):
    monkeypatch.setattr(_cxr_assets.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="torchxrayvision.*not installed"):
        _cxr_assets.txv_data_dir()


def test_bad_label_table_gives_clear_error():
    with pytest.raises(ValueError, match="Not an NIH ChestX-ray14 label table"):
        _cxr_assets.parse_nih_table(pd.DataFrame({"a": [1]}))
    raw = pd.DataFrame({"Image Index": ["1_000.png"], "Finding Labels": ["Cancer"], "Patient ID": [1]})
    with pytest.raises(ValueError, match="Unknown finding names"):
        _cxr_assets.parse_nih_table(raw)


def test_torchxrayvision_is_never_imported():
    code = (
        "import sys, helpers.data.cxr as c; c.load_nih_labels(); "
        "assert 'torchxrayvision' not in sys.modules and 'keras' not in sys.modules "
        "and 'tensorflow' not in sys.modules, 'heavy import'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)


# ---------------------------------------------------------------------------------------------------- renderer
def test_render_is_deterministic(labels):
    row = labels.iloc[1].to_dict()
    a, boxes_a, info_a = cxr.render_cxr(row, row["Image"], size=64, seed=3)
    b, boxes_b, info_b = cxr.render_cxr(row, row["Image"], size=64, seed=3)
    assert a.dtype == np.uint8 and a.shape == (64, 64)
    assert np.array_equal(a, b) and boxes_a == boxes_b and info_a == info_b
    c, _, _ = cxr.render_cxr(row, row["Image"], size=64, seed=4)
    assert not np.array_equal(a, c)
    f, _, _ = cxr.render_cxr(row, row["Image"], size=64, seed=3, as_float=True)
    assert f.dtype == np.float32 and 0 <= f.min() and f.max() <= 1


def test_lesion_boxes_present_iff_label(labels):
    rows = _rows_with_each_finding(labels)
    for row in rows.to_dict("records"):
        img, boxes, info = cxr.render_cxr(row, row["Image"], size=64, seed=0)
        present = {f for f in FINDINGS if row[f]}
        assert {b["Finding"] for b in boxes} == present, row["Image"]
        for b in boxes:
            assert 0 <= b["x"] and 0 <= b["y"] and b["w"] > 0 and b["h"] > 0
            assert b["x"] + b["w"] <= 64.01 and b["y"] + b["h"] <= 64.01
        # cardiothoracic ratio: > 0.5 exactly when Cardiomegaly is labelled
        assert (info["ctr"] > 0.5) == bool(row["Cardiomegaly"]), (row["Image"], info)


def test_follow_ups_share_anatomy(labels):
    rows = labels[labels["PatientId"] == 1].to_dict("records")
    infos = [cxr.render_cxr(r, r["Image"], size=32)[2] for r in rows]
    assert len({i["mask_index"] for i in infos}) == 1


# ---------------------------------------------------------------------------------------------------- sampling
def test_sampling_keeps_patients_whole_and_prevalence(labels):
    n = 3000
    sample = cxr.sample_by_patient(labels, n, seed=0)
    assert len(sample) == n and sample["Image"].is_unique
    per_patient = labels.groupby("PatientId").size()
    got = sample.groupby("PatientId").size()
    assert (got == per_patient.loc[got.index]).all(), "a patient was split"
    # prevalence within sampling error; patients are clusters, so use a cluster (ratio-estimator) standard error
    for f in (*FINDINGS, "none"):
        y = sample[list(FINDINGS)].sum(axis=1).eq(0) if f == "none" else sample[f]
        p_true = (labels[list(FINDINGS)].sum(axis=1).eq(0) if f == "none" else labels[f]).mean()
        p_hat = y.mean()
        tot = y.groupby(sample["PatientId"]).sum()
        m = sample.groupby("PatientId").size()
        k = len(m)
        se = np.sqrt(k / (k - 1) * (((tot - p_hat * m) ** 2).sum())) / n
        assert abs(p_hat - p_true) <= 4.5 * max(se, 1e-4), (f, p_hat, p_true, se)


def test_patient_splits_do_not_leak(labels):
    sample = cxr.sample_by_patient(labels, 2000, seed=1)
    parts = cxr.split_by_patient(sample, (0.7, 0.15, 0.15), seed=1)
    ids = [set(p["PatientId"]) for p in parts]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert sum(len(p) for p in parts) == 2000
    for part, frac in zip(parts, (0.7, 0.15, 0.15)):
        assert abs(len(part) / 2000 - frac) < 0.03


def test_sampling_errors(labels):
    with pytest.raises(ValueError, match="only 112120"):
        cxr.sample_by_patient(labels, 200_000)
    with pytest.raises(ValueError, match="sum to 1"):
        cxr.split_by_patient(labels.head(10), (0.5, 0.2))


# ---------------------------------------------------------------------------------------------------- data set
def test_make_dataset_writes_consistent_folder(tmp_path, labels):
    out = cxr.make_cxr_dataset(n=40, size=32, seed=2, out_dir=tmp_path / "a", progress=False, workers=1)
    assert out == tmp_path / "a"
    frames = [pd.read_csv(out / f) for f in ("train.csv", "valid.csv", "test.csv")]
    allrows = pd.concat(frames)
    assert len(allrows) == 40 and all(tuple(f.columns) == LABEL_COLUMNS for f in frames)
    ids = [set(f["PatientId"]) for f in frames]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    # labels are the real rows, co-occurrences included
    real = labels.set_index("Image").loc[allrows["Image"], list(FINDINGS)]
    assert np.array_equal(real.values, allrows[list(FINDINGS)].values)
    pngs = sorted(p.name for p in (out / "images").glob("*.png"))
    assert pngs == sorted(allrows["Image"])
    from PIL import Image

    with Image.open(out / "images" / pngs[0]) as im:
        assert im.size == (32, 32) and im.mode == "L"
    boxes = cxr.load_lesion_boxes(out)
    assert tuple(boxes.columns) == ("Image", "Finding", "x", "y", "w", "h")
    for row in allrows.to_dict("records"):
        drawn = set(boxes.loc[boxes["Image"] == row["Image"], "Finding"])
        assert drawn == {f for f in FINDINGS if row[f]}
    assert json.loads((out / "params.json").read_text())["n"] == 40

    # idempotent: a matching folder is reused untouched; same parameters elsewhere give identical bytes
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert cxr.make_cxr_dataset(n=40, size=32, seed=2, out_dir=out, progress=False) == out
    assert before == {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = cxr.make_cxr_dataset(n=40, size=32, seed=2, out_dir=tmp_path / "b", progress=False, workers=2)
    assert _hash_folder(out) == _hash_folder(again)


def test_cli_generates_into_data_cache(tmp_path, monkeypatch):
    from helpers import config
    from helpers.data.__main__ import main

    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    assert main(["generate", "cxr", "--n", "12", "--size", "32", "--seed", "5"]) == 0
    folders = [p for p in (tmp_path / "generated" / "cxr").iterdir() if p.name.startswith("n12_s32_seed5")]
    assert len(folders) == 1 and len(list((folders[0] / "images").glob("*.png"))) == 12
    # a folder left by an older renderer version is removed when the data set is regenerated
    stale = folders[0].parent / "n12_s32_seed5_00000000"
    shutil.copytree(folders[0], stale)
    params = json.loads((stale / "params.json").read_text())
    (stale / "params.json").write_text(json.dumps({**params, "render_version": -1}))
    shutil.rmtree(folders[0])
    assert main(["generate", "cxr", "--n", "12", "--size", "32", "--seed", "5"]) == 0
    assert not stale.exists()
    with pytest.raises(ValueError, match="whole number"):
        cxr.generate_from_cli(n=12, size=32.5, seed=0)


def test_dataset_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="size must be between"):
        cxr.make_cxr_dataset(n=5, size=8, out_dir=tmp_path)
    with pytest.raises(ValueError, match="positive number"):
        cxr.make_cxr_dataset(n=0, size=32, out_dir=tmp_path)


# ---------------------------------------------------------------------------------------------------- loaders
def _fake_nih_folder(root: Path, layout: str = "images", official_lists: bool = False) -> pd.DataFrame:
    """A tiny folder in the real NIH ChestX-ray14 layout: Data_Entry_2017.csv plus PNGs of mixed size and mode."""
    from PIL import Image

    rng = np.random.default_rng(0)
    rows = []
    findings = [
        "No Finding",
        "Effusion",
        "Cardiomegaly|Effusion",
        "Nodule",
        "No Finding",
        "Hernia|Mass",
        "Pneumothorax",
        "No Finding",
        "Infiltration|Atelectasis",
        "Edema",
        "No Finding",
        "Fibrosis",
    ]
    for i, lab in enumerate(findings):
        pid = i // 2 + 1
        name = f"{pid:08d}_{i % 2:03d}.png"
        rows.append(
            {
                "Image Index": name,
                "Finding Labels": lab,
                "Follow-up #": i % 2,
                "Patient ID": pid,
                "Patient Age": f"{40 + i:03d}Y",
                "Patient Gender": "MF"[i % 2],
                "View Position": "PA",
                "OriginalImage[Width": 40,
                "Height]": 48,
                "OriginalImagePixelSpacing[x": 0.143,
                "y]": 0.143,
            }
        )
        folder = {"images": root / "images", "flat": root, "nested": root / f"images_{1 + i % 2:03d}" / "images"}[
            layout
        ]
        folder.mkdir(parents=True, exist_ok=True)
        pixels = rng.integers(0, 256, (48, 40), dtype=np.uint8)
        im = Image.fromarray(pixels)
        if i == 3:
            im = im.convert("RGBA")  # a few real NIH PNGs are RGBA
        im.save(folder / name)
    raw = pd.DataFrame(rows)
    raw.to_csv(root / "Data_Entry_2017.csv", index=False)
    if official_lists:
        names = raw["Image Index"].tolist()
        (root / "test_list.txt").write_text("\n".join(names[8:]) + "\n")
        (root / "train_val_list.txt").write_text("\n".join(names[:8]) + "\n")
    return raw


@pytest.mark.parametrize("layout", ["images", "flat", "nested"])
def test_loader_reads_real_nih_layout(tmp_path, layout):
    raw = _fake_nih_folder(tmp_path, layout)
    data = cxr.load_cxr_split(tmp_path, size=32, seed=0)
    assert data.kind == "nih" and data.size == 32
    frames = [data.train, data.valid, data.test]
    assert sum(len(f) for f in frames) == len(raw)
    ids = [set(f["PatientId"]) for f in frames]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    allrows = pd.concat(frames).set_index("Image")
    assert allrows.loc["00000002_000.png", "Cardiomegaly"] == 1 and allrows.loc["00000002_000.png", "Effusion"] == 1
    assert allrows.loc["00000003_001.png", ["Hernia", "Mass"]].tolist() == [1, 1]
    assert allrows.loc["00000001_000.png", "Age"] == 40  # "040Y" in the 2017 release format


def test_loader_official_lists_and_keras_batches(tmp_path):
    _fake_nih_folder(tmp_path, "images", official_lists=True)
    data = cxr.load_cxr_split(tmp_path, size=32)
    assert sorted(data.test["Image"]) == sorted(f"{i // 2 + 1:08d}_{i % 2:03d}.png" for i in range(8, 12))
    seq = data.batches("test", batch_size=3, shuffle=False)
    import keras

    assert isinstance(seq, keras.utils.PyDataset) and len(seq) == 2
    x, y = seq[0]
    assert x.shape == (3, 32, 32, 1) and x.dtype == np.float32 and y.shape == (3, 14)
    assert np.allclose(x.mean(axis=(1, 2, 3)), 0, atol=1e-4)  # per-image normalisation
    assert np.array_equal(y, data.test[list(FINDINGS)].values[:3].astype(np.float32))
    assert seq[1][0].shape == (1, 32, 32, 1)
    assert np.array_equal(seq[0][0], x)  # second read comes from the in-memory cache, unchanged
    mean, std = data.train_mean_std()
    xd, _ = data.batches("train", batch_size=4, normalization="dataset", shuffle=False)[0]
    raw = np.stack([cxr.read_image(p, 32) for p in data.paths("train")[:4]])
    assert np.allclose(xd[..., 0], (raw - mean) / std, atol=1e-5)
    with pytest.raises(ValueError, match="normalization must be"):
        data.batches("train", normalization="zscore")
    with pytest.raises(ValueError, match="split must be one of"):
        data.batches("holdout")


def test_loader_round_trip_on_phantoms(tmp_path):
    out = cxr.make_cxr_dataset(n=20, size=32, seed=0, out_dir=tmp_path / "p", progress=False, workers=1)
    data = cxr.load_cxr_split(out)
    assert data.kind == "phantom" and data.size == 32
    assert sum(len(f) for f in data.frames.values()) == 20
    x, y = data.batches("train", batch_size=4)[0]
    assert x.shape == (4, 32, 32, 1) and y.shape == (4, 14)
    assert len(data.boxes()) > 0 or data.train[list(FINDINGS)].values.sum() == 0


def test_loader_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        cxr.load_cxr_split(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="neither a phantom folder"):
        cxr.load_cxr_split(tmp_path)
    raw = _fake_nih_folder(tmp_path / "noimg")
    for p in (tmp_path / "noimg" / "images").glob("*.png"):
        p.unlink()
    with pytest.raises(FileNotFoundError, match="No image file"):
        cxr.load_cxr_split(tmp_path / "noimg")
    with pytest.raises(FileNotFoundError, match="lesion boxes exist only"):
        cxr.load_lesion_boxes(tmp_path)
    assert len(raw) == 12
