"""Tests of the U-Net training path (helpers.segmentation) and the MRI figures and viewer (helpers.mri_plots).

Small synthetic volumes and a tiny U-Net keep the file fast; the phantoms themselves are tested in test_data_brain.py
and the learning itself is measured by benchmarks/bench_brain_unet.py.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import mri_plots, segmentation  # noqa: E402


def toy_case(seed: int = 0, shape=(20, 18, 16)):
    """A 'brain' (a box of non-zero voxels, 4 channels on different scales) with a cubic tumour of labels 1-3."""
    rng = np.random.default_rng(seed)
    image = np.zeros(shape + (4,), np.float32)
    image[2:-2, 2:-2, 2:-2] = rng.normal(
        loc=[100, 400, 50, 900], scale=[10, 30, 5, 80], size=(shape[0] - 4, shape[1] - 4, shape[2] - 4, 4)
    )
    label = np.zeros(shape, np.uint8)
    label[6:12, 5:11, 5:9] = 1
    label[7:11, 6:10, 6:8] = 2
    label[8:10, 7:9, 6:8] = 3
    return image, label


# ---------------------------------------------------------------------------------------------- normalize_brain


def test_normalize_brain_z_scores_each_channel_inside_the_brain():
    image, _ = toy_case()
    out = segmentation.normalize_brain(image)
    brain = np.any(image != 0, axis=-1)
    assert out.dtype == np.float32 and out.shape == image.shape
    assert (out[~brain] == 0).all()
    np.testing.assert_allclose(out[brain].mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(out[brain].std(0), 1, atol=1e-4)


def test_normalize_brain_errors():
    with pytest.raises(ValueError, match="4-D"):
        segmentation.normalize_brain(np.ones((4, 4, 4)))
    with pytest.raises(ValueError, match="no non-zero voxel"):
        segmentation.normalize_brain(np.zeros((4, 4, 4, 2)))


# ---------------------------------------------------------------------------------------------- patches


def test_sample_patch_shapes_determinism_and_tumour_centring():
    image, label = toy_case()
    a = segmentation.sample_patch(image, label, (8, 8, 8), rng=np.random.default_rng(3))
    b = segmentation.sample_patch(image, label, (8, 8, 8), rng=np.random.default_rng(3))
    assert a[0].shape == (8, 8, 8, 4) and a[1].shape == (8, 8, 8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    big, _ = toy_case(shape=(80, 80, 80))
    tumour = np.zeros((80, 80, 80), np.uint8)
    tumour[35:45, 35:45, 35:45] = 1
    rng = np.random.default_rng(4)
    shares = {
        p: np.mean(
            [
                (segmentation.sample_patch(big, tumour, (32, 32, 32), rng=rng, p_tumour=p)[1] > 0).mean()
                for _ in range(100)
            ]
        )
        for p in (0.0, 1.0)
    }
    assert shares[1.0] > 2 * shares[0.0]  # patches centred near the tumour hold more of it


def test_sample_patch_pads_small_volumes_and_flips_image_and_label_together():
    image, label = toy_case(shape=(6, 6, 6))
    x, y = segmentation.sample_patch(image, label, (8, 8, 8), rng=np.random.default_rng(0), flip=False)
    assert x.shape == (8, 8, 8, 4) and y.shape == (8, 8, 8)
    np.testing.assert_array_equal(x[:6, :6, :6], image)
    assert (x[6:] == 0).all() and (y[6:] == 0).all()
    image, label = toy_case()
    for seed in range(10):  # image and label stay aligned whatever the flip
        x, y = segmentation.sample_patch(image, label, (20, 18, 16), rng=np.random.default_rng(seed))
        flipped = not np.array_equal(y, label)
        np.testing.assert_array_equal(y, label[::-1] if flipped else label)
        np.testing.assert_array_equal(x, image[::-1] if flipped else image)


def test_patch_batches_are_one_hot_float32():
    image, label = toy_case()
    x, y = next(
        segmentation.patch_batches(
            [(image, label)], batch_size=3, size=(8, 8, 8), n_classes=4, rng=np.random.default_rng(0)
        )
    )
    assert x.shape == (3, 8, 8, 8, 4) and y.shape == (3, 8, 8, 8, 4)
    assert x.dtype == y.dtype == np.float32
    np.testing.assert_array_equal(y.sum(-1), 1)
    with pytest.raises(ValueError, match="at least one"):
        next(segmentation.patch_batches([], rng=np.random.default_rng(0)))


# ---------------------------------------------------------------------------------------------- training and inference


@pytest.fixture(scope="module")
def trained():
    """A depth-1 U-Net trained a few steps on toy cases, with validation scores and a time budget."""
    import keras
    from keras import ops

    from helpers.models import unet_3d

    cases = [(segmentation.normalize_brain(im), lab) for im, lab in (toy_case(s) for s in range(3))]
    keras.utils.set_random_seed(0)
    model = unet_3d((None, None, None, 4), n_classes=4, depth=1, base_filters=2)
    val_x = np.stack([cases[0][0][:8, :8, :8]])
    val_y = np.eye(4, dtype=np.float32)[cases[0][1][:8, :8, :8]][None]

    def loss(y_true, y_pred):
        return ops.mean(keras.losses.categorical_crossentropy(y_true, y_pred))

    history = segmentation.train_unet(
        model,
        cases,
        loss=loss,
        steps_per_epoch=2,
        epochs=2,
        batch_size=2,
        patch_size=(8, 8, 8),
        validation=(val_x, val_y),
        validation_scores={"mean probability": lambda y, p: p.mean()},
        verbose=0,
    )
    return model, cases, history


def test_train_unet_records_one_row_per_epoch(trained):
    _, _, history = trained
    assert isinstance(history, pd.DataFrame)
    assert list(history.columns) == ["epoch", "steps", "loss", "seconds", "mean probability"]
    assert history["epoch"].tolist() == [1, 2] and history["steps"].tolist() == [2, 4]
    assert np.isfinite(history["loss"]).all() and (np.diff(history["seconds"]) > 0).all()
    np.testing.assert_allclose(history["mean probability"], 0.25, rtol=1e-5)  # softmax over 4 classes
    assert history.attrs["stopped_early"] is False


def test_train_unet_decays_the_learning_rate_along_a_cosine(trained):
    model, _, _ = trained  # trained for 4 steps: the rate set before the last step is at progress 3/4
    expected = 2e-3 * (0.05 + 0.95 * 0.5 * (1 + np.cos(np.pi * 3 / 4)))
    assert float(model.optimizer.learning_rate) == pytest.approx(expected, rel=1e-5)


def test_train_unet_stops_at_the_time_budget(trained):
    from keras import ops

    model, cases, _ = trained
    history = segmentation.train_unet(
        model,
        cases,
        loss=lambda t, p: ops.mean((t - p) ** 2),
        steps_per_epoch=3,
        epochs=5,
        patch_size=(8, 8, 8),
        time_budget_s=0.0,
        verbose=0,
    )
    assert len(history) == 1 and history["steps"].tolist() == [1] and history.attrs["stopped_early"] is True


def test_predict_volume_pads_to_the_stride_and_crops_back(trained):
    model, cases, _ = trained
    image = cases[0][0][:13, :11, :9]
    prob = segmentation.predict_volume(model, image, multiple=2)
    assert prob.shape == (13, 11, 9, 4) and prob.dtype == np.float32
    np.testing.assert_allclose(prob.sum(-1), 1, rtol=1e-5)
    padded = np.pad(image, [(0, 1), (0, 1), (0, 1), (0, 0)])
    np.testing.assert_allclose(prob, model.predict(padded[None], verbose=0)[0][:13, :11, :9], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="4-D"):
        segmentation.predict_volume(model, image[..., 0])


# ---------------------------------------------------------------------------------------------- figures and viewer


def test_planes_follow_the_radiological_convention():
    vol = np.zeros((5, 6, 7))
    vol[4, 0, 0] = 1  # the patient's most-right voxel (RAS: x grows to the right) ... appears on the viewer's left
    axial, coronal, sagittal = mri_plots.planes(vol, (4, 0, 0))
    assert axial.shape == (6, 5) and coronal.shape == (7, 5) and sagittal.shape == (7, 6)
    assert axial[0, 0] == 1 and coronal[0, 0] == 1
    assert sagittal[0, -1] == 1  # posterior (y = 0) on the right of a sagittal slice


def test_tumour_centre_prefers_the_core():
    _, label = toy_case()
    core_mean = np.argwhere(label >= 2).mean(0)
    assert np.all(np.abs(np.array(mri_plots.tumour_centre(label)) - core_mean) <= 0.5)
    assert mri_plots.tumour_centre(np.zeros((4, 6, 8))) == (2, 3, 4)


def test_figures_are_matplotlib_figures():
    image, label = toy_case()
    history = pd.DataFrame(
        {"epoch": [1, 2], "steps": [5, 10], "loss": [1.0, 0.5], "seconds": [1, 2], "Dice": [0.2, 0.4]}
    )
    figures = [
        (mri_plots.case_figure(image, label), 15),
        (mri_plots.case_figure(image), 12),
        (mri_plots.segmentation_figure(image, label, label), 9),
        (mri_plots.patch_figure(image, label, (4, 3, 2), (8, 8, 8)), 3),
        (mri_plots.training_curves(history), 2),
        (mri_plots.training_curves(history[["epoch", "loss"]]), 1),
    ]
    for fig, n_axes in figures:
        assert isinstance(fig, Figure) and len(fig.axes) == n_axes
        plt.close(fig)


def test_slice_viewer_is_an_ipywidgets_control_whose_picture_follows_the_controls():
    import ipywidgets

    image, label = toy_case()
    viewer = mri_plots.slice_viewer(image, label)
    assert isinstance(viewer, ipywidgets.VBox)
    (plane, contrast, overlay), index, picture = viewer.children[0].children, viewer.children[1], viewer.children[2]
    assert isinstance(picture, ipywidgets.Image) and bytes(picture.value).startswith(b"\x89PNG")
    assert index.max == image.shape[2] - 1 and index.value == mri_plots.tumour_centre(label)[2]
    first = bytes(picture.value)
    plane.value = "sagittal"
    assert index.max == image.shape[0] - 1 and index.value == mri_plots.tumour_centre(label)[0]
    assert bytes(picture.value) != first
    for control, value in ((overlay, False), (contrast, "T2w"), (index, 3)):  # overlay first: a tumour slice
        before = bytes(picture.value)
        control.value = value
        assert bytes(picture.value) != before, control.description
    assert mri_plots.slice_viewer(image).children[0].children[2].disabled  # no labels: nothing to overlay
    assert not plt.get_fignums(), "the viewer must not leave pyplot figures behind"
