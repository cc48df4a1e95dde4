"""Preset data sets: shape, reproducibility, rounding, and the lesson each one promises."""

import dataclasses

import numpy as np
import pytest

from perceptron.datasets import MAX_NOISE, PRESETS, make_dataset
from perceptron.limits import MAX_POINTS

NAMES = list(PRESETS)


def perceptron_separates(X, y, max_epochs=2000):
    """Rosenblatt's perceptron rule; it stops making mistakes only on separable data."""
    Xa = np.column_stack([X, np.ones(len(X))])
    signs = np.where(y == 1, 1.0, -1.0)
    v = np.zeros(3)
    for _ in range(max_epochs):
        mistakes = 0
        for xi, si in zip(Xa, signs, strict=True):
            if si * (xi @ v) <= 0:
                v += si * xi
                mistakes += 1
        if mistakes == 0:
            return True
    return False


def best_logistic_error(X, y, steps=5000, lr=0.5):
    """Training error of a logistic regression fitted by plain gradient descent."""
    Xa = np.column_stack([(X - X.mean(0)) / X.std(0), np.ones(len(X))])
    v = np.zeros(3)
    for _ in range(steps):
        z = Xa @ v
        # σ(z) written through tanh so it cannot overflow for large |z|.
        y_hat = 0.5 * (1 + np.tanh(z / 2))
        v -= lr * Xa.T @ (y_hat - y) / len(y)
    return np.mean((Xa @ v > 0) != (y == 1))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [2, 3, 4, 5, 37, MAX_POINTS])
def test_shape_labels_and_both_classes(name, n):
    X, y = make_dataset(name, n=n, seed=3)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0}
    assert np.all(np.abs(X) <= 5.0)


@pytest.mark.parametrize("name", NAMES)
def test_defaults_come_from_the_preset(name):
    X, _ = make_dataset(name)
    assert len(X) == PRESETS[name].default_n
    assert np.array_equal(X, make_dataset(name, noise=PRESETS[name].default_noise)[0])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("noise", [0.0, 1.0, MAX_NOISE])
def test_coordinates_are_rounded_to_three_decimals(name, noise):
    X, _ = make_dataset(name, n=300, noise=noise, seed=5)
    # Each value is exactly the float a 3-decimal string parses to, so it prints short.
    assert all(float(f"{v:.3f}") == v for v in X.ravel().tolist())
    assert not np.any(np.signbit(X) & (X == 0)), "no -0.0, which prints oddly"


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_whatever_the_global_random_state(name):
    np.random.seed(1)
    first = make_dataset(name, seed=42)
    np.random.seed(2)
    second = make_dataset(name, seed=42)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


@pytest.mark.parametrize("name", NAMES)
def test_different_seeds_give_different_data(name):
    assert not np.array_equal(make_dataset(name, seed=0)[0], make_dataset(name, seed=1)[0])


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("noise", [0.0, 0.7, MAX_NOISE])
def test_separable_preset_is_separable(seed, noise):
    X, y = make_dataset("separable", n=400, noise=noise, seed=seed)
    assert perceptron_separates(X, y)


def test_perceptron_check_can_fail():
    X, y = make_dataset("xor", n=4, noise=0.0)
    assert not perceptron_separates(X, y, max_epochs=200)


@pytest.mark.parametrize("seed", range(3))
def test_outlier_preset_is_separable_clouds_plus_one_misplaced_point(seed):
    X, y = make_dataset("outlier", seed=seed)
    centre0, centre1 = X[y == 0].mean(0), X[y == 1].mean(0)
    outlier = np.argmax(np.where(y == 1, np.linalg.norm(X - centre1, axis=1), -1))
    assert np.linalg.norm(X[outlier] - centre0) < np.linalg.norm(X[outlier] - centre1)
    assert np.linalg.norm(X[outlier] - centre1) > 4.5
    keep = np.arange(len(y)) != outlier
    assert perceptron_separates(X[keep], y[keep])
    assert not perceptron_separates(X, y, max_epochs=300)


def test_imbalanced_preset_is_nine_to_one():
    _, y = make_dataset("imbalanced", n=200)
    assert np.mean(y) == pytest.approx(0.1)


@pytest.mark.parametrize("name", ["xor", "rings"])
@pytest.mark.parametrize("seed", range(3))
def test_xor_and_rings_defeat_a_linear_classifier(name, seed):
    X, y = make_dataset(name, seed=seed)
    assert best_logistic_error(X, y) >= 0.15


def test_logistic_check_can_reach_zero_error():
    X, y = make_dataset("separable")
    assert best_logistic_error(X, y) == 0.0


def test_presets_say_whether_one_line_can_separate_them():
    assert PRESETS["separable"].linearly_separable is True
    for name in ("xor", "rings"):
        preset = PRESETS[name]
        assert preset.linearly_separable is False
        assert "one neuron cannot" in preset.description


@pytest.mark.parametrize("name", NAMES)
def test_preset_records_are_complete_and_frozen(name):
    preset = PRESETS[name]
    assert preset.name == name and preset.title and preset.description
    assert 2 <= preset.default_n <= MAX_POINTS and 0 <= preset.default_noise <= MAX_NOISE
    with pytest.raises(dataclasses.FrozenInstanceError):
        preset.default_n = 3


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'spiral'") as err:
        make_dataset("spiral")
    for name in NAMES:
        assert name in str(err.value)


@pytest.mark.parametrize("n", [0, 1, MAX_POINTS + 1, -5, 2.5, True, "10"])
def test_bad_n_is_named(n):
    with pytest.raises(ValueError, match=r"^n must .*" + repr(n).replace(".", r"\.")):
        make_dataset("separable", n=n)


@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf"), MAX_NOISE + 0.1, "1", True])
def test_bad_noise_is_named(noise):
    with pytest.raises(ValueError, match=r"^noise must"):
        make_dataset("separable", noise=noise)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", None])
def test_bad_seed_is_named(seed):
    with pytest.raises(ValueError, match=r"^seed must"):
        make_dataset("separable", seed=seed)


def test_numpy_integers_are_accepted():
    X, _ = make_dataset("rings", n=np.int64(10), noise=np.float64(0.2), seed=np.int32(4))
    assert np.array_equal(X, make_dataset("rings", n=10, noise=0.2, seed=4)[0])


# ---------------------------------------------------------------- presets with settings


@pytest.mark.parametrize("name", NAMES)
def test_a_presets_settings_are_a_valid_run_of_its_default_points(name):
    from perceptron.scenario import preset_scenario
    from perceptron.training import TrainConfig, run_size_problem

    preset = PRESETS[name]
    config = TrainConfig(**preset.settings)  # raises if a setting is unknown or invalid
    assert run_size_problem(preset.default_n, config) is None
    s = preset_scenario(name, seed=3)
    assert s.preset == name and s.step == 0 and len(s.y) == preset.default_n
    for field, value in preset.settings.items():
        assert getattr(s.config, field) == value
    with pytest.raises(TypeError):
        preset.settings["loss"] = "log"


def test_a_preset_without_settings_keeps_the_learners_settings():
    from perceptron.scenario import default_scenario, preset_scenario

    mine = default_scenario().replace(learning_rate=0.3, l2=0.01)
    assert preset_scenario("xor", mine).config == mine.config


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n", [2, 3, 20, 301])
def test_the_wrong_start_puts_every_point_confidently_on_the_wrong_side(seed, n):
    X, y = make_dataset("wrong_start", n=n, seed=seed)
    w0 = np.array(PRESETS["wrong_start"].settings["w0"])
    t = (X @ w0) * (1 - 2 * y)  # the signed logit: > 0 is the wrong side
    assert t.min() >= 0.9 - 1e-9
    assert perceptron_separates(X, y)


def test_the_wrong_start_shows_squared_error_crawl_where_the_log_loss_turns_round():
    from perceptron.model import point_derivatives
    from perceptron.training import TrainConfig, train

    X, y = make_dataset("wrong_start")
    settings = dict(PRESETS["wrong_start"].settings)
    squared = train(X, y, TrainConfig(**settings))
    log = train(X, y, TrainConfig(**{**settings, "loss": "log"}))
    assert squared.accuracy[0] == log.accuracy[0] == 0.0
    assert log.accuracy[2] == 1.0  # two full-batch steps
    assert squared.accuracy[10] == 0.0 and squared.accuracy[20] < 0.5
    assert abs(squared.w[3, 0] - squared.w[0, 0]) < 0.2 < 2.5 < abs(log.w[2, 0] - log.w[0, 0])
    # The worst point: the log loss asks for hundreds of times more than squared error.
    worst = int(np.argmax((X @ np.array(settings["w0"])) * (1 - 2 * y)))
    d_log, d_sq = (
        point_derivatives(settings["w0"], 0.0, X[worst], y[worst], k) for k in ("log", "squared")
    )
    assert d_log.y_hat > 0.998 and y[worst] == 0
    assert abs(d_log.dL_dw1) > 500 * abs(d_sq.dL_dw1)


@pytest.mark.parametrize("n", [2, 3, 40, 41, 400])
def test_the_step_edge_holds_both_classes_at_every_spot(n):
    X, y = make_dataset("step_edge", n=n, seed=1)
    spots = {tuple(p) for p in X.tolist()}
    for spot in spots:
        here = y[(spot == X).all(axis=1)]
        assert set(here.tolist()) == {0.0, 1.0}
    assert len(spots) == max(1, n // 2)


def test_the_step_edge_bounces_just_above_the_bound_and_settles_just_below():
    from perceptron.stepsize import batch_bound
    from perceptron.training import TrainConfig, train
    from perceptron.uphill import loss_rises

    X, y = make_dataset("step_edge")
    settings = dict(PRESETS["step_edge"].settings)
    bound = batch_bound(X)
    assert 0.9 < bound < settings["learning_rate"] < 1.15 * bound  # just above, as it says
    above = train(X, y, TrainConfig(**settings))
    below = train(X, y, TrainConfig(**{**settings, "learning_rate": 0.9}))
    assert len(loss_rises(below)) == 0 and np.all(np.diff(below.loss) <= 0)
    assert below.loss[-1] == pytest.approx(np.log(2), abs=1e-3)  # ŷ = ½ everywhere
    late = loss_rises(above).steps
    assert (late > 40).sum() >= 5  # still going up and down at the end
    assert np.all(np.sign(above.w[-10:-1, 0]) != np.sign(above.w[-9:, 0]))  # w flips each step
    assert above.loss[-1] > above.loss.min() + 0.03
