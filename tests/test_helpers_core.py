"""helpers.config, the lymphoma loader and the survival plots."""

import os
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import config
from helpers.data.survival import load_lymphoma
from helpers.plots import follow_up_lines, survival_curves


def _config_in_child(env_extra: dict, expr: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AI4MED_")}
    env.update(env_extra)
    code = f"from helpers import config; print({expr})"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize("value,expected", [("1", "True"), ("true", "True"), ("0", "False"), ("", "False")])
def test_fast_switch_is_read_from_the_environment(value, expected):
    assert _config_in_child({"AI4MED_FAST": value}, "config.FAST") == expected


def test_data_dir_defaults_to_repository_data_and_can_be_moved(tmp_path):
    assert _config_in_child({}, "config.DATA_DIR") == str(config.REPO_ROOT / "data")
    assert _config_in_child({"AI4MED_DATA": str(tmp_path)}, "config.DATA_DIR") == str(tmp_path)


def test_seed_everything_makes_numpy_and_random_repeatable():
    import random

    config.seed_everything(3)
    first = (random.random(), np.random.rand())
    config.seed_everything(3)
    assert (random.random(), np.random.rand()) == first


def test_setup_notebook_prints_versions_and_mode(capsys):
    config.setup_notebook(packages=("lifelines",))
    out = capsys.readouterr().out
    assert "numpy" in out and "lifelines" in out and "mode:" in out


def test_lymphoma_loader():
    df = load_lymphoma()
    assert list(df.columns) == ["Stage_group", "Time", "Event"]
    assert df.shape == (80, 3)
    assert df["Event"].sum() == 54 and set(df["Stage_group"]) == {1, 2}
    assert (df["Stage_group"] == 1).sum() == 19


def test_lymphoma_loader_explains_a_missing_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "lifelines.datasets", None)
    with pytest.raises(ImportError, match="make setup"):
        load_lymphoma()


def test_survival_curves_draws_steps_and_bands():
    fig = survival_curves(
        {"a": ([0, 1, 2], [1, 0.5, 0.25]), "b": ([0, 3], [1, 0.8], [0.9, 0.6], [1, 0.95])}, at_risk={"a": 3}
    )
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a (n=3)", "b"]
    assert len(ax.collections) == 1  # one confidence band


def test_survival_curves_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one curve"):
        survival_curves({})
    with pytest.raises(ValueError, match="3 times but 2"):
        survival_curves({"a": ([0, 1, 2], [1, 0.5])})


def test_follow_up_lines_one_line_per_patient():
    df = load_lymphoma()
    fig = follow_up_lines(df["Time"], df["Event"], group=df["Stage_group"])
    assert isinstance(fig, Figure)
    assert sum(len(c.get_segments()) for c in fig.axes[0].collections) == len(df)
    with pytest.raises(ValueError, match="same length"):
        follow_up_lines([1, 2], [1])


def test_quiet_native_logs_drops_tensorflow_startup_lines_and_keeps_the_rest():
    import textwrap

    script = textwrap.dedent("""
        import os, sys
        from helpers.config import quiet_native_logs
        quiet_native_logs()
        import keras, numpy as np
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.zeros((4, 3)), np.zeros(4), verbose=0)
        os.write(2, b"a native line that must stay\\n")
        print("a Python warning that must stay", file=sys.stderr)
        sys.stderr.flush()
        import time; time.sleep(0.3)
    """)
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env, cwd=config.REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "a native line that must stay" in result.stderr
    assert "a Python warning that must stay" in result.stderr
    for noise in ("I0000", "oneDNN", "absl::InitializeLog", "cuInit", "NodeDef"):
        assert noise not in result.stderr, result.stderr
