"""The one Keras training path (helpers.training) and the cached reference CNN (helpers.models)."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from helpers.config import REPO_ROOT
from helpers.training import per_image_standardize, weighted_binary_crossentropy


def test_per_image_standardize_gives_each_picture_mean_0_std_1():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, size=(5, 8, 6))
    x[2] = 7.0  # a constant picture
    out = per_image_standardize(x)
    assert out.shape == (5, 8, 6, 1) and out.dtype == np.float32
    for i in (0, 1, 3, 4):
        assert abs(out[i].mean()) < 1e-5 and abs(out[i].std() - 1) < 1e-4
    assert np.all(out[2] == 0)
    np.testing.assert_allclose(per_image_standardize(x[..., None]), out)
    with pytest.raises(ValueError, match="expected pictures shaped"):
        per_image_standardize(np.zeros((2, 4, 4, 3)))


def test_weighted_cross_entropy_matches_the_formula_and_keras():
    import keras

    rng = np.random.default_rng(1)
    for _trial in range(50):
        n, c = rng.integers(1, 20), rng.integers(1, 15)
        y = (rng.random((n, c)) < 0.3).astype(np.float32)
        p = rng.uniform(0.01, 0.99, (n, c)).astype(np.float32)
        w_pos, w_neg = rng.uniform(0, 2, c), rng.uniform(0, 2, c)
        got = float(weighted_binary_crossentropy(w_pos, w_neg)(y, p))
        expected = np.sum(np.mean(-(w_pos * y * np.log(p) + w_neg * (1 - y) * np.log(1 - p)), axis=0))
        assert got == pytest.approx(expected, rel=2e-5)
        # equal weights of 1: Keras' mean binary cross-entropy summed over the classes
        plain = float(weighted_binary_crossentropy(np.ones(c), np.ones(c))(y, p))
        assert plain == pytest.approx(c * float(keras.losses.BinaryCrossentropy()(y, p)), rel=2e-5)


def test_fit_model_keeps_the_best_epoch_and_respects_a_time_budget():
    from helpers.models import small_cxr_cnn
    from helpers.training import fit_model, make_deterministic

    rng = np.random.default_rng(2)
    x = rng.normal(size=(48, 16, 16, 1)).astype(np.float32)
    y = (rng.random((48, 3)) < 0.4).astype(np.float32)
    make_deterministic(0)
    model = small_cxr_cnn((16, 16, 1), 3, base_filters=4)
    history = fit_model(model, (x[:32], y[:32]), (x[32:], y[32:]), loss="binary_crossentropy", epochs=3, progress=False)
    assert len(history.history["val_auc"]) == 3
    assert history.best_epoch == int(np.argmax(history.history["val_auc"]))
    model = small_cxr_cnn((16, 16, 1), 3, base_filters=4)
    stopped = fit_model(
        model,
        (x[:32], y[:32]),
        (x[32:], y[32:]),
        loss="binary_crossentropy",
        epochs=50,
        progress=False,
        time_budget=0.0,
    )
    assert len(stopped.history["loss"]) == 1


BUILD = textwrap.dedent("""
    import json, sys
    from helpers.models import cxr_reference_model, cxr_reference_params
    params = cxr_reference_params()
    params.update(epochs=2, data=dict(params["data"], n=90, size=32))
    model, predictions = cxr_reference_model(progress=False, params=params)
    print(json.dumps({"pred": predictions.filter(like="_pred").to_numpy().round(7).tolist(),
                      "shape": list(predictions.shape), "outputs": int(model.output.shape[-1])}))
""")


@pytest.mark.slow
def test_reference_model_is_deterministic_and_its_cache_survives_two_builders(tmp_path):
    """Two processes build the same (tiny) reference model at once into one cache; a third reads it."""
    env = dict(os.environ, AI4MED_DATA=str(tmp_path), AI4MED_FAST="1", TF_CPP_MIN_LOG_LEVEL="3")
    run = [sys.executable, "-c", BUILD]
    first = [
        subprocess.Popen(run, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = []
    for proc in first:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    cached = subprocess.run(run, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert cached.returncode == 0, cached.stderr[-3000:]
    results.append(json.loads(cached.stdout.strip().splitlines()[-1]))
    assert results[0] == results[1] == results[2]
    assert results[0]["outputs"] == 14 and results[0]["shape"][1] == 2 + 14 * 2
    folders = [p for p in (tmp_path / "generated" / "cxr_model").iterdir()]
    assert len(folders) == 1 and not folders[0].name.startswith("."), folders  # no temporary folder left behind
    assert sorted(p.name for p in folders[0].iterdir()) == [
        "history.json",
        "model.weights.h5",
        "params.json",
        "predictions_test.csv",
        "predictions_valid.csv",
    ]
    phantom_folders = [p.name for p in (tmp_path / "generated" / "cxr").iterdir() if p.name != "_assets"]
    assert len(phantom_folders) == 1 and not phantom_folders[0].startswith("."), phantom_folders


def test_recalibrated_batch_norm_statistics_are_those_of_the_inference_mode_inputs():
    import keras

    from helpers.models import small_cxr_cnn
    from helpers.training import make_deterministic, recalibrate_batch_norm

    rng = np.random.default_rng(4)
    x = rng.normal(size=(50, 16, 16, 1)).astype(np.float32)
    make_deterministic(0)
    model = small_cxr_cnn((16, 16, 1), 2, base_filters=4)
    recalibrate_batch_norm(model, x, batch_size=16)  # 50 is not a multiple of 16: uneven last batch
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            inputs = keras.Model(model.inputs, layer.input).predict(x, verbose=0)
            axes = tuple(range(inputs.ndim - 1))
            np.testing.assert_allclose(layer.moving_mean.numpy(), inputs.mean(axis=axes), rtol=1e-4, atol=1e-5)
            np.testing.assert_allclose(layer.moving_variance.numpy(), inputs.var(axis=axes), rtol=1e-3, atol=1e-5)
