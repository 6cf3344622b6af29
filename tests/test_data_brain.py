"""Tests of the brain-tumour MRI phantoms and the MSD Task01 loader (helpers.data.brain).

Coarse 4 mm voxels and few cases keep the file fast; nothing here touches the network.
"""

from __future__ import annotations

import json
import shutil

import nibabel as nib
import numpy as np
import pytest
from scipy import ndimage

import helpers.config as config
from helpers.data import brain

VOX = 4.0
CASES = (1, 2, 3, 4, 5)


@pytest.fixture(scope="module")
def cases():
    """A few phantoms generated in memory, with the subject's tissue maps."""
    return {c: brain.make_case(7, c, VOX, return_maps=True) for c in CASES}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("msd") / "phantoms"
    brain.write_msd_dataset(root, n_cases=2, seed=3, voxel_mm=VOX, workers=1, progress=False)
    return root


# ---------------------------------------------------------------------------------------------- templates


def test_templates_are_consistent_tissue_fractions():
    t = brain.load_templates(VOX)
    shape = t["gm"].shape
    for key in ("wm", "csf", "mask", "t1", "dist"):
        assert t[key].shape == shape
    np.testing.assert_allclose(np.diag(t["affine"])[:3], VOX)
    total = t["gm"] + t["wm"] + t["csf"]
    assert total.min() >= 0 and total.max() <= 1.0 + 1e-5
    assert (t["csf"] >= 0).all()
    inside = t["mask"] > 0.5
    assert (total[~inside] == 0).all(), "tissue outside the brain mask"
    # the MNI brain has more GM than WM, and some CSF
    assert t["gm"][inside].sum() > t["wm"][inside].sum() > t["csf"][inside].sum() > 0


# ---------------------------------------------------------------------------------------------- determinism


def test_make_case_is_deterministic_and_cases_differ():
    a = brain.make_case(11, 1, VOX)
    b = brain.make_case(11, 1, VOX)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    c = brain.make_case(11, 2, VOX)
    d = brain.make_case(12, 1, VOX)
    assert not np.array_equal(a[1], c[1]) and not np.array_equal(a[0], d[0])


def test_written_files_identical_bytes_across_runs_and_workers(tmp_path, written):
    other = tmp_path / "again"
    brain.write_msd_dataset(other, n_cases=2, seed=3, voxel_mm=VOX, workers=2, progress=False)
    for sub in ("imagesTr", "labelsTr"):
        for name in ("BRATS_001.nii.gz", "BRATS_002.nii.gz"):
            assert (written / sub / name).read_bytes() == (other / sub / name).read_bytes(), f"{sub}/{name}"
    assert (written / "dataset.json").read_text() == (other / "dataset.json").read_text()


def test_writer_is_idempotent_and_refuses_other_parameters(tmp_path):
    root = tmp_path / "ds"
    brain.write_msd_dataset(root, n_cases=1, seed=5, voxel_mm=VOX, workers=1, progress=False)
    first = root / "imagesTr" / "BRATS_001.nii.gz"
    stamp = first.stat().st_mtime_ns
    brain.write_msd_dataset(root, n_cases=2, seed=5, voxel_mm=VOX, workers=1, progress=False)
    assert first.stat().st_mtime_ns == stamp, "an existing case was rewritten"
    assert (root / "imagesTr" / "BRATS_002.nii.gz").exists()
    assert json.loads((root / "dataset.json").read_text())["numTraining"] == 2
    params = json.loads((root / "phantom_params.json").read_text())
    assert params["seed"] == 5 and params["voxel_mm"] == VOX
    with pytest.raises(ValueError, match="other parameters"):
        brain.write_msd_dataset(root, n_cases=1, seed=6, voxel_mm=VOX, progress=False)
    # a folder from an older generator version is regenerated (with a warning), not reused
    params["generator_version"] = 0
    (root / "phantom_params.json").write_text(json.dumps(params))
    with pytest.warns(UserWarning, match="replaced"):
        brain.write_msd_dataset(root, n_cases=1, seed=5, voxel_mm=VOX, workers=1, progress=False)
    assert first.stat().st_mtime_ns != stamp
    assert json.loads((root / "phantom_params.json").read_text())["generator_version"] == brain.GENERATOR_VERSION
    with pytest.raises(ValueError, match="n_cases"):
        brain.write_msd_dataset(tmp_path / "x", n_cases=0, seed=5, voxel_mm=VOX, progress=False)
    with pytest.raises(ValueError, match="voxel_mm"):
        brain.write_msd_dataset(tmp_path / "y", n_cases=1, seed=5, voxel_mm=0.1, progress=False)


# ---------------------------------------------------------------------------------------------- file format


def test_nifti_files_msd_layout_affine_and_dtypes(written):
    meta = json.loads((written / "dataset.json").read_text())
    assert meta["modality"] == {"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"}
    assert meta["labels"] == {"0": "background", "1": "edema", "2": "non-enhancing tumor", "3": "enhancing tumour"}
    assert meta["numTraining"] == 2 and len(meta["training"]) == 2
    assert meta["training"][0] == {"image": "./imagesTr/BRATS_001.nii.gz", "label": "./labelsTr/BRATS_001.nii.gz"}
    img = nib.load(written / "imagesTr" / "BRATS_001.nii.gz")
    lab = nib.load(written / "labelsTr" / "BRATS_001.nii.gz")
    assert img.ndim == 4 and img.shape[3] == 4 and img.shape[:3] == lab.shape
    assert img.get_data_dtype() == np.int16 and lab.get_data_dtype() == np.uint8
    assert nib.aff2axcodes(img.affine) == ("R", "A", "S") == nib.aff2axcodes(lab.affine)
    np.testing.assert_allclose(img.header.get_zooms()[:3], VOX)
    np.testing.assert_allclose(np.abs(np.diag(img.affine))[:3], VOX)
    np.testing.assert_allclose(img.affine, lab.affine)
    # world coordinates of the grid cover the MNI brain (about -70..70 mm left-right)
    corner = img.affine @ np.array([*img.shape[:3], 1]) - img.affine @ np.array([0, 0, 0, 1])
    assert 140 <= corner[0] <= 200 and 170 <= corner[1] <= 240


def test_load_case_round_trip_on_phantoms(written, cases):
    image, label, affine = brain.load_case(written, 1)
    image2, label2, _ = brain.load_case(written, "BRATS_001")
    np.testing.assert_array_equal(image, image2)
    assert image.dtype == np.float32 and label.dtype == np.uint8 and image.shape == label.shape + (4,)
    ref_image, ref_label, ref_affine = brain.make_case(3, 1, VOX)
    np.testing.assert_array_equal(label, ref_label)
    np.testing.assert_allclose(image, np.clip(np.rint(ref_image), 0, 32767))  # stored as int16
    np.testing.assert_allclose(affine, ref_affine)
    assert brain.list_cases(written) == ["BRATS_001", "BRATS_002"]


# ---------------------------------------------------------------------------------------------- labels


def test_label_values_and_all_compartments_present(cases):
    seen = set()
    for c, (_image, label, _, _maps) in cases.items():
        assert label.dtype == np.uint8
        assert set(np.unique(label)) <= {0, 1, 2, 3}
        assert (label == 1).any() and (label >= 2).any(), f"case {c}: no edema or no tumour core"
        seen |= set(np.unique(label).tolist())
    assert seen == {0, 1, 2, 3}


def test_compartments_are_nested(cases):
    for c, (_image, label, _, maps) in cases.items():
        core = label >= 2
        wt = label > 0
        # the voxels just outside the tumour core are tumour (edema) -- except where the core meets the brain edge
        shell = ndimage.binary_dilation(core) & ~core & maps["brain"]
        assert wt[shell].mean() > 0.9, f"case {c}: core not surrounded by edema ({wt[shell].mean():.2f})"
        # edema is adjacent to the core: every connected piece of whole tumour contains core voxels
        cc, n = ndimage.label(wt)
        with_core = set(np.unique(cc[core])) - {0}
        assert with_core == set(range(1, n + 1)), f"case {c}: edema island detached from the core"
        # enhancing tumour lies in the tumour core region, away from background
        enh = label == 3
        if enh.any():
            assert not (ndimage.binary_dilation(enh) & (label == 0) & maps["brain"]).sum() > 0.1 * enh.sum()


def test_tumour_inside_the_brain(cases):
    for c, (image, label, _, maps) in cases.items():
        assert maps["brain"][label > 0].all(), f"case {c}: tumour outside the brain mask"
        assert (image[label > 0] > 0).all(), f"case {c}: zero intensity inside the tumour"
        assert (image[~maps["brain"]] == 0).all(), f"case {c}: signal outside the brain (not skull-stripped)"


# ---------------------------------------------------------------------------------------------- contrasts


def _means(image, label, maps, m):
    healthy = label == 0
    pure = lambda k: healthy & (maps[k] > 0.8)  # noqa: E731
    ch = image[..., m]
    return {
        "gm": ch[pure("gm")].mean(),
        "wm": ch[pure("wm")].mean(),
        "csf": ch[pure("csf")].mean(),
        "edema": ch[label == 1].mean(),
        "core": ch[label == 2].mean() if (label == 2).any() else np.nan,
        "enh": ch[label == 3].mean() if (label == 3).any() else np.nan,
    }


def test_contrast_orderings_per_modality(cases):
    flair, t1, t1gd, t2 = 0, 1, 2, 3
    for c, (image, label, _, maps) in cases.items():
        f = _means(image, label, maps, flair)
        a = _means(image, label, maps, t1)
        g = _means(image, label, maps, t1gd)
        b = _means(image, label, maps, t2)
        assert a["wm"] > a["gm"] > a["csf"], f"case {c} T1w: {a}"
        assert g["wm"] > g["gm"] > g["csf"], f"case {c} T1gd: {g}"
        assert b["csf"] > b["gm"] > b["wm"], f"case {c} T2w: {b}"
        assert f["gm"] > f["wm"] > f["csf"], f"case {c} FLAIR: {f}"
        assert f["edema"] > max(f["gm"], f["wm"]) > 2 * f["csf"], f"case {c} FLAIR edema not bright: {f}"
        assert b["edema"] > b["gm"], f"case {c} T2 edema not bright: {b}"
        assert a["edema"] < a["wm"], f"case {c} T1 edema not dark: {a}"
        if (label == 3).sum() >= 5:
            # gadolinium: enhancing tumour brighter than white matter on T1gd and much brighter than on T1w
            assert g["enh"] > 1.1 * g["wm"], f"case {c} T1gd: {g}"  # thin rims lose contrast at 4 mm
            assert g["enh"] / g["wm"] > 1.5 * a["enh"] / a["wm"], f"case {c}: no enhancement"


# ---------------------------------------------------------------------------------------------- real MSD format


def _fake_msd(root, flip=False):
    """A tiny folder laid out like the real Task01_BrainTumour (float32 images, labels with float dtype)."""
    rng = np.random.default_rng(0)
    (root / "imagesTr").mkdir(parents=True)
    (root / "labelsTr").mkdir()
    (root / "imagesTs").mkdir()
    affine = np.eye(4)
    if flip:  # an LPS-stored file: nibabel reorients it to RAS
        affine = np.diag([-1.0, -1.0, 1.0, 1.0])
    data = {}
    for i in (1, 2):
        img = rng.normal(500, 50, (12, 10, 8, 4)).astype(np.float32)
        lab = np.zeros((12, 10, 8), np.float32)
        lab[4:8, 3:6, 2:5] = 1
        lab[5:7, 4, 3] = 2
        lab[6, 4, 3] = 3
        nib.save(nib.Nifti1Image(img, affine), root / "imagesTr" / f"BRATS_{i:03d}.nii.gz")
        nib.save(nib.Nifti1Image(lab, affine), root / "labelsTr" / f"BRATS_{i:03d}.nii.gz")
        data[i] = (img, lab)
    nib.save(nib.Nifti1Image(np.ones((12, 10, 8, 4), np.float32), affine), root / "imagesTs" / "BRATS_485.nii.gz")
    (root / "imagesTr" / "._BRATS_001.nii.gz").write_bytes(b"macOS resource fork")  # present in the real tarball
    (root / "dataset.json").write_text(json.dumps({"name": "BRATS", "modality": brain.MODALITIES}))
    return data


def test_loader_on_real_format_fixture(tmp_path):
    data = _fake_msd(tmp_path / "Task01_BrainTumour")
    root = tmp_path / "Task01_BrainTumour"
    for cid in (2, "BRATS_002", "2", "BRATS_002.nii.gz"):
        image, label, affine = brain.load_case(root, cid)
        np.testing.assert_array_equal(image, data[2][0])
        np.testing.assert_array_equal(label, data[2][1].astype(np.uint8))
        assert image.dtype == np.float32 and label.dtype == np.uint8
    assert brain.list_cases(root) == ["BRATS_001", "BRATS_002"]
    image, label, _ = brain.load_case(root, 485)  # a test case: no label
    assert label is None and image.shape == (12, 10, 8, 4)


def test_loader_reorients_to_ras(tmp_path):
    data = _fake_msd(tmp_path / "lps", flip=True)
    image, label, affine = brain.load_case(tmp_path / "lps", 1)
    assert nib.aff2axcodes(affine) == ("R", "A", "S")
    np.testing.assert_array_equal(image, data[1][0][::-1, ::-1])
    np.testing.assert_array_equal(label, data[1][1][::-1, ::-1].astype(np.uint8))
    raw, _, raw_affine = brain.load_case(tmp_path / "lps", 1, canonical=False)
    np.testing.assert_array_equal(raw, data[1][0])


def test_clear_errors(tmp_path, written):
    with pytest.raises(FileNotFoundError, match="generate brain"):
        brain.load_case(tmp_path / "nowhere", 1)
    with pytest.raises(FileNotFoundError, match="BRATS_009 not found.*2 cases present"):
        brain.load_case(written, 9)
    with pytest.raises(ValueError, match="case_id"):
        brain.load_case(written, "case one")
    with pytest.raises(ValueError, match="case_id"):
        brain.load_case(written, 1.5)
    with pytest.raises(FileNotFoundError, match="imagesTr"):
        brain.list_cases(tmp_path)


# ---------------------------------------------------------------------------------------------- command line


def test_cli_writes_into_the_data_cache(tmp_path, monkeypatch, capsys):
    from helpers.data.__main__ import main

    # a private data cache, seeded with the resampled template so that nothing is recomputed
    brain.load_templates(VOX)
    cached = brain._template_path(VOX)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    shutil.copy(cached, brain._template_path(VOX))
    assert main(["generate", "brain", "--n", "1", "--size", str(VOX), "--seed", "4"]) == 0
    out = tmp_path / "generated" / "brain" / "msd_4mm_seed4"
    assert f"written to {out}" in capsys.readouterr().out
    assert (out / "imagesTr" / "BRATS_001.nii.gz").exists() and (out / "dataset.json").exists()
    image, label, _ = brain.load_case(out, 1)
    assert image.shape[-1] == 4 and label.max() >= 2
