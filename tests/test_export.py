"""The standalone script: run in a separate Python with only NumPy, it reproduces the run.

Each script is written to a temporary folder and run with ``python -I`` (no PYTHONPATH,
no current folder on the path), so an ``import perceptron`` in it would fail.
"""

import ast
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

from perceptron import Scenario, make_dataset, train
from perceptron.export import SCRIPT_FILE_NAME, standalone_script

RTOL = 1e-12


def run_script(source: str, folder) -> dict[str, float]:
    """Run ``source`` as a file in ``folder``; its printed ``name = value`` lines as floats."""
    path = folder / SCRIPT_FILE_NAME
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", str(path)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [line.split(" = ") for line in done.stdout.splitlines() if " = " in line]
    values = {name: float(value) for name, value in lines}
    values["updates"] = float(done.stdout.split("updates:")[1].split()[0])
    return values


def final_state(s: Scenario) -> dict[str, float]:
    history = train(s.X, s.y, s.config)
    assert history.loss_steps[-1] == history.n_updates
    w1, w2 = history.w[-1]
    final = {
        "w1": w1,
        "w2": w2,
        "b": history.b[-1],
        "loss": history.loss[-1],
        "updates": history.n_updates,
    }
    if s.config.l2:
        final["data_loss"] = history.data_loss[-1]
    return final


def assert_reproduces(s: Scenario, folder) -> None:
    got, expected = run_script(standalone_script(s), folder), final_state(s)
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        assert_allclose(got[name], value, rtol=RTOL, atol=1e-14, err_msg=name)


def overlapping(**settings) -> Scenario:
    X, y = make_dataset("overlapping")
    base = {
        "learning_rate": 0.5,
        "epochs": 12,
        "batch_size": 7,
        "seed": 11,
        "preset": "overlapping",
    }
    return Scenario.of(X, y, **(base | settings))


@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("init", ["zeros", "random", "custom"])
def test_the_script_ends_where_training_ends(mode, shuffle, init, tmp_path):
    s = overlapping(mode=mode, shuffle=shuffle, init=init, init_seed=5, w0=(0.75, -1.5), b0=0.25)
    assert_reproduces(s, tmp_path)


@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
@pytest.mark.parametrize(("loss", "l2"), [("squared", 0.0), ("log", 0.02), ("squared", 0.005)])
def test_the_script_ends_where_training_ends_for_either_loss_and_l2(mode, loss, l2, tmp_path):
    s = overlapping(mode=mode, shuffle=True, loss=loss, l2=l2, learning_rate=2.0)
    assert_reproduces(s, tmp_path)


def test_the_script_writes_the_loss_and_l2_it_uses():
    squared = standalone_script(overlapping(loss="squared", l2=0.015))
    assert "L = ½·(ŷ − y)²   (squared error)" in squared and "L2 = 0.015  # λ" in squared
    assert "return -error(z, y) * sigmoid(z) * sigmoid(-z)" in squared
    log = standalone_script(overlapping())
    assert "L = −y·ln ŷ − (1−y)·ln(1−ŷ)   (the log loss)" in log and "L2 = 0.0  # λ" in log
    assert "np.logaddexp" in log and "np.logaddexp" not in squared


def test_the_l2_term_and_the_loss_matter_so_the_comparisons_above_check_them():
    plain = final_state(overlapping(mode="batch", learning_rate=2.0))
    for change in ({"l2": 0.005}, {"loss": "squared"}):
        other = final_state(overlapping(mode="batch", learning_rate=2.0, **change))
        assert abs(plain["w1"] - other["w1"]) > 1e-3


@pytest.mark.parametrize("mode", ["stochastic", "minibatch"])
def test_shuffling_matters_so_the_comparison_above_checks_the_order(mode):
    plain, shuffled = (
        final_state(overlapping(mode=mode)),
        final_state(overlapping(mode=mode, shuffle=True)),
    )
    assert abs(plain["w1"] - shuffled["w1"]) > 1e-6


@pytest.mark.parametrize(
    "settings",
    [
        {"mode": "minibatch", "batch_size": 500, "shuffle": True},  # one batch: no shuffle
        {
            "mode": "stochastic",
            "learning_rate": 5.0,
            "epochs": 3,
            "shuffle": True,
            "seed": 2**32 - 1,
        },
        {"mode": "batch", "learning_rate": 0.001, "epochs": 1},
    ],
)
def test_edge_settings_are_reproduced(settings, tmp_path):
    assert_reproduces(overlapping(**settings), tmp_path)


def test_a_single_point_of_one_class(tmp_path):
    s = Scenario.of(np.array([[1.5, -2.0]]), np.array([1.0]), mode="minibatch", shuffle=True)
    assert_reproduces(s, tmp_path)


def test_points_and_starting_weights_are_embedded_exactly():
    X = np.array([[0.1, -1e6], [1 / 3, 2.5e-7], [-0.0, 123456.789]])
    s = Scenario.of(X, np.array([0.0, 1.0, 1.0]), init="custom", w0=(0.1, 1 / 7), b0=-2 / 3)
    namespace = {}
    source = standalone_script(s)
    # Everything above the training loop: the settings, the points and the helpers.
    exec(source.split("\nw1, w2, b = W1_START")[0], namespace)
    np.testing.assert_array_equal(namespace["X"], s.X)
    np.testing.assert_array_equal(namespace["Y"], s.y)
    assert (namespace["W1_START"], namespace["W2_START"], namespace["B_START"]) == (
        0.1,
        1 / 7,
        -2 / 3,
    )


def test_the_script_imports_numpy_and_nothing_else():
    tree = ast.parse(standalone_script(overlapping(shuffle=True, init="random")))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module)])
    }
    assert imported == {"numpy"}


HOSTILE_NAMES = [
    'x\'"\n"""\nprint(\'injected\')\n#',
    "{rows}{0}{}",
    "\\",
    "line\rbreak\u2028and\x0cform feed\x00",
    "'''; print('injected'); '''",
]


@pytest.mark.parametrize("preset", HOSTILE_NAMES)
def test_any_preset_name_gives_valid_python_that_only_trains(preset, tmp_path):
    s = overlapping(preset=preset, epochs=2)
    source = standalone_script(s)
    compile(source, SCRIPT_FILE_NAME, "exec")
    assert_reproduces(s, tmp_path)
    assert (
        "injected"
        not in subprocess.run(
            [sys.executable, "-I", str(tmp_path / SCRIPT_FILE_NAME)], capture_output=True, text=True
        ).stdout
    )


def test_no_points_no_script():
    with pytest.raises(ValueError, match="no points"):
        standalone_script(Scenario.of(np.zeros((0, 2)), np.zeros(0)))


def test_a_sure_run_is_written_out_with_true_loss_and_signs(tmp_path):
    # Issue 11's four points, typed start (20, 20, 0): the old script printed a loss of
    # 3.8e-53 (true 2.1e-18) and a negative b (true +4.2e-17).
    X = np.array([[1.0, 1.0], [1.5, 0.5], [-3.0, -3.0], [-2.5, -3.5]])
    s = Scenario.of(X, np.array([1.0, 1.0, 0.0, 0.0]), learning_rate=1.0, epochs=20, mode="batch",
                 init="custom", w0=(20.0, 20.0), b0=0.0)  # fmt: skip
    got = run_script(standalone_script(s), tmp_path)
    assert got["loss"] == pytest.approx(2.124177127645794e-18, rel=1e-9)
    assert got["b"] > 0
    assert_reproduces(s, tmp_path)
