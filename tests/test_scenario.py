"""Scenario: the state a link reproduces, and its URL round trip."""

import base64
import dataclasses
import zlib
from urllib.parse import parse_qs

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from perceptron.datasets import PRESETS, make_dataset
from perceptron.limits import (
    MAX_ABS_INITIAL_PARAMETER,
    MAX_EPOCHS,
    MAX_L2,
    MAX_LEARNING_RATE,
    MAX_POINTS,
    MAX_SEED,
    MAX_UPDATES,
    MAX_WORK,
    MIN_LEARNING_RATE,
)
from perceptron.links import (
    PARAM_KEYS,
    scenario_from_params,
    scenario_to_params,
    scenario_to_query_string,
)
from perceptron.pointcodec import MAX_PTS_CHARS, pack_points, unpack_points
from perceptron.scenario import Scenario, default_scenario
from perceptron.settings import INITS, MODES, Setting, described, setting_changes
from perceptron.settings import SETTINGS as SETTING_ROWS
from perceptron.training import TrainConfig, train

# A v1 link written once and never regenerated: it must decode the same forever.
V1_LINK = {
    "v": "1",
    "lr": "0.5",
    "ep": "7",
    "mode": "mini",
    "bs": "3",
    "shuf": "1",
    "seed": "42",
    "init": "custom",
    "iseed": "9",
    "w1": "0.25",
    "w2": "-1.5",
    "b": "2",
    "k": "5",
    "pre": "",
    "pts": "EwS5QMMTDQ1ZCN-0ABX5AAQmicSr4A",
}
V1_SCENARIO = Scenario.of(
    np.array([[0.5, -1.25], [2.0, 3.0], [-4.125, 0.0], [1.5, 1.5]]),
    np.array([0.0, 1.0, 0.0, 1.0]),
    learning_rate=0.5,
    epochs=7,
    mode="minibatch",
    batch_size=3,
    shuffle=True,
    seed=42,
    init="custom",
    init_seed=9,
    w0=(0.25, -1.5),
    b0=2.0,
    step=5,
    preset="",
)

# The last state of V1_LINK's run and of the default run, recorded on main (commit
# 22cc724) before the loss and L2 settings existed; the same floats, bit for bit.
V1_FINAL_W = [0.9903209063646602, 1.3459155278019146]
V1_FINAL_B = 0.7160011895872509
V1_FINAL_LOSS = 0.1336631837068703
DEFAULT_FINAL = ([-2.159846872902757, -2.434050984846276], 0.12872156574367222, 0.02809271701015146)

# Measured: 200 "overlapping" points (3 decimals, in [-5, 5]) pack to 979 characters.
PTS_200_BOUND = 1_050


def decode(params):
    return scenario_from_params(params)


def assert_valid(s: Scenario) -> None:
    """Everything a decoded scenario promises the pages."""
    assert isinstance(s, Scenario)
    assert len(s.y) <= MAX_POINTS
    assert MIN_LEARNING_RATE <= s.config.learning_rate <= MAX_LEARNING_RATE
    assert 1 <= s.config.epochs <= MAX_EPOCHS
    assert s.config.mode in MODES and s.config.init in INITS
    assert 1 <= s.config.batch_size <= MAX_POINTS
    assert 0 <= s.config.seed <= MAX_SEED and 0 <= s.config.init_seed <= MAX_SEED
    assert (
        max(abs(s.config.w0[0]), abs(s.config.w0[1]), abs(s.config.b0)) <= MAX_ABS_INITIAL_PARAMETER
    )
    assert 0 <= s.step <= s.n_updates() <= MAX_UPDATES


# --- the Scenario object ---------------------------------------------------------------


def test_default_scenario_has_points_and_is_what_an_empty_link_gives():
    s = default_scenario()
    assert len(s.y) == 20 and set(s.y.tolist()) == {0.0, 1.0}
    assert s.preset == "separable"
    assert decode({}) == (s, [])


def test_default_scenario_link_holds_only_version_and_points():
    assert set(scenario_to_params(default_scenario())) == {"v", "pts"}


def test_points_are_read_only_copies():
    X = np.array([[1.0, 2.0]])
    s = Scenario.of(X, [1])
    X[0, 0] = 9.0
    assert s.X[0, 0] == 1.0
    with pytest.raises(ValueError):
        s.X[0, 0] = 5.0


def test_equality_compares_arrays_and_settings():
    a = Scenario.of(np.array([[1.0, -0.0]]), np.array([1.0]))
    b = Scenario.of([[1, 0]], [1])
    assert a == b and hash(a) == hash(b)
    assert a != b.replace(learning_rate=0.2)
    assert a != b.with_points([[1.0, 0.001]], [1])
    assert a != "not a scenario"


def test_empty_points_are_allowed_and_round_trip():
    s = Scenario.of(np.zeros((0, 2)), [])
    assert s.X.shape == (0, 2)
    assert decode(scenario_to_params(s)) == (s, [])


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ([[1.0, 2.0, 3.0]], [1], "shape"),
        ([[1.0, 2.0]], [1, 0], "one label per point"),
        ([[1.0, 2.0]], [2], "0 or 1"),
        ([[np.nan, 2.0]], [1], "finite"),
        ([[2e6, 0.0]], [1], "within"),
        (np.zeros((MAX_POINTS + 1, 2)), np.zeros(MAX_POINTS + 1), "at most"),
    ],
)
def test_malformed_points_are_rejected_by_name(X, y, message):
    with pytest.raises(ValueError, match=message):
        Scenario.of(X, y)


def test_numpy_scalars_become_plain_values_and_fractions_are_rejected():
    s = default_scenario().replace(learning_rate=np.float64(0.5), epochs=np.int64(3))
    assert type(s.config.learning_rate) is float and type(s.config.epochs) is int
    assert scenario_to_params(s)["lr"] == "0.5"
    with pytest.raises(
        ValueError, match=r"epochs must be a whole number from 1 to 10,000, got 2\.5"
    ):
        s.replace(epochs=2.5)


def test_unknown_init_is_rejected():
    with pytest.raises(ValueError, match="init"):
        default_scenario().replace(init="ones")


def test_initial_weights_for_each_choice():
    s = default_scenario()
    w, b = s.config.start()
    assert_array_equal(w, [0.0, 0.0]) and b == 0.0
    w, b = s.replace(init="custom", w0=(1.5, -2.0), b0=0.25).config.start()
    assert_array_equal(w, [1.5, -2.0]) and b == 0.25


def test_random_initial_weights_follow_the_seed_and_have_three_decimals():
    s = default_scenario().replace(init="random", init_seed=7)
    w, b = s.config.start()
    expected = np.round(np.random.default_rng(7).normal(0.0, 0.5, 3), 3)
    assert_array_equal([*w, b], expected)
    assert_array_equal(np.round(w, 3), w)
    w_other, _ = s.replace(init_seed=8).config.start()
    assert not np.array_equal(w, w_other)


def test_train_config_carries_every_setting():
    s = default_scenario().replace(
        learning_rate=0.3, epochs=4, mode="minibatch", batch_size=5, shuffle=True, seed=3,
        init="custom", w0=(1.0, 2.0), b0=-1.0,
    )  # fmt: skip
    config = s.config
    assert (config.learning_rate, config.epochs, config.mode) == (0.3, 4, "minibatch")
    assert (config.batch_size, config.shuffle, config.seed) == (5, True, 3)
    assert tuple(config.w0) == (1.0, 2.0) and config.b0 == -1.0


# --- round trip --------------------------------------------------------------------------


@st.composite
def scenarios(draw, max_points=300):
    n = draw(st.integers(0, max_points))
    coords = st.integers(-5_000, 5_000).map(lambda k: k / 1000)
    X = np.array(draw(st.lists(st.tuples(coords, coords), min_size=n, max_size=n))).reshape(n, 2)
    y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    weights = st.floats(-MAX_ABS_INITIAL_PARAMETER, MAX_ABS_INITIAL_PARAMETER)
    s = Scenario.of(
        X,
        y,
        learning_rate=draw(st.floats(MIN_LEARNING_RATE, MAX_LEARNING_RATE)),
        mode=draw(st.sampled_from(MODES)),
        batch_size=draw(st.integers(1, MAX_POINTS)),
        shuffle=draw(st.booleans()),
        seed=draw(st.integers(0, MAX_SEED)),
        init=draw(st.sampled_from(INITS)),
        init_seed=draw(st.integers(0, MAX_SEED)),
        w0=(draw(weights), draw(weights)),
        b0=draw(weights),
        preset=draw(st.sampled_from(["", *PRESETS])),
        epochs=1,
    )
    per_epoch = max(1, s.n_updates())
    most = min(MAX_EPOCHS, MAX_UPDATES // per_epoch, MAX_WORK // max(1, len(y)))
    s = s.replace(epochs=draw(st.integers(1, most)))
    return s.replace(step=draw(st.integers(0, s.n_updates())))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_decode_of_encode_is_the_same_scenario_with_no_notes(s):
    assert decode(scenario_to_params(s)) == (s, [])


@settings(deadline=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_points=20))
def test_query_string_parsed_as_lists_round_trips(s):
    query = scenario_to_query_string(s)
    assert query.startswith("?v=1&")
    assert decode(parse_qs(query[1:], keep_blank_values=True)) == (s, [])


def test_settings_at_their_defaults_are_left_out_of_the_link():
    s = default_scenario().replace(learning_rate=0.5, mode="batch")
    params = scenario_to_params(s)
    del params["pts"]
    assert params == {"v": "1", "lr": "0.5", "mode": "batch"}


def test_the_v1_link_decodes_to_its_scenario_forever():
    assert decode(V1_LINK) == (V1_SCENARIO, [])


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("point", "stochastic"),
        ("stochastic", "stochastic"),
        ("batch", "batch"),
        ("mini", "minibatch"),
        ("minibatch", "minibatch"),
        (" MINI ", "minibatch"),
    ],
)
def test_short_and_full_mode_names_are_accepted(name, mode):
    assert decode({"mode": name}) == (default_scenario().replace(mode=mode), [])


def test_many_decimals_are_rounded_to_six():
    X = np.random.default_rng(0).uniform(-10, 10, (50, 2))
    y = np.arange(50) % 2
    decoded, notes = decode(scenario_to_params(default_scenario().with_points(X, y)))
    assert notes == []
    assert_array_equal(decoded.X, np.round(X * 1e6) / 1e6)
    assert np.abs(decoded.X - X).max() <= 5e-7


@pytest.mark.parametrize(("scale", "decimals"), [(1, 0), (10, 1), (1000, 3), (10**6, 6)])
def test_the_fewest_decimals_that_are_exact_are_used(scale, decimals):
    X = np.array([[1.0, -3.0], [7.0, 2.0]]) / scale
    text = pack_points(X, [0, 1])
    header = base64.urlsafe_b64decode(text + "==")[0]
    assert header & 7 == decimals
    assert_array_equal(unpack_points(text)[0], X)


def test_extreme_coordinates_round_trip():
    X = np.array([[-1e6, 1e6], [0.000001, -999999.999999]])
    assert_array_equal(unpack_points(pack_points(X, [0, 1]))[0], X)


def test_200_points_pack_short():
    X, y = make_dataset("overlapping", n=200, seed=0)
    assert len(pack_points(X, y)) <= PTS_200_BOUND


# --- hostile links -----------------------------------------------------------------------

KEYS = ["v", "lr", "ep", "mode", "bs", "shuf", "seed", "init", "iseed", "w1", "w2", "b", "k"]
hostile_text = st.one_of(
    st.text(max_size=80),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "-1e999", "1e-999", "", " ", "0x10",
        "1_000", "<script>alert(1)</script>", "٣", "-0", "99999999999999999999"]),
)  # fmt: skip


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([*KEYS, "pts", "pre", "present", "ÿ"]), hostile_text))
def test_hostile_values_never_raise_and_give_a_valid_scenario(params):
    s, notes = decode(params)
    assert_valid(s)
    assert all(isinstance(note, str) and "<" not in note for note in notes)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), st.lists(hostile_text, max_size=3)))
def test_repeated_keys_never_raise(params):
    assert_valid(decode(params)[0])


@pytest.mark.parametrize("preset", ["overlapping", "rings"])
def test_every_truncation_of_the_points_is_reported(preset):
    X, y = make_dataset(preset, n=40, seed=1)
    text = pack_points(X, y)
    for length in range(len(text)):
        s, notes = decode({"pts": text[:length]})
        assert s.X.shape == (20, 2) and len(notes) == 1 and "points" in notes[0]


def test_every_bit_flip_of_the_points_gives_a_valid_scenario():
    X, y = make_dataset("overlapping", n=12, seed=2)
    data = base64.urlsafe_b64decode(pack_points(X, y) + "==")
    for bit in range(8 * len(data)):
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        text = base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
        assert_valid(decode({"pts": text})[0])


def pts_of(payload: bytes) -> str:
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode()


FAR_X = [0x80, 0x92, 0xF4, 0x01]  # the varint of zigzag(2,000,000): x = 2e6 at 0 decimals
ZIP_BOMB = zlib.compress(bytes(10**6))  # a megabyte of zeros in about a kilobyte


@pytest.mark.parametrize(
    ("pts", "reason"),
    [
        ("@@@@", "not valid base64url text"),
        ("A", "not valid base64url text"),
        ("", "nothing in it"),
        (pts_of(bytes([0x23, 0])), "unknown points layout 2"),
        (pts_of(bytes([0x17, 0])), "7 decimals, more than 6"),
        (pts_of(bytes([0x13, 0xD1, 0x0F])), "2,001 points, more than the 2,000 allowed"),
        (pts_of(bytes([0x10, 1, *FAR_X, 0, 0, 0, 0x80])), "a coordinate lies beyond ±1,000,000"),
        (pts_of(bytes([0x18]) + b"garbage"), "the compressed data is broken"),
        (pts_of(bytes([0x18]) + ZIP_BOMB), "the compressed data is broken or too large"),
        (pts_of(bytes([0x10, 1, 0, 0, 0, 0, 0x80, 0])), "extra data at the end"),
        ("A" * (MAX_PTS_CHARS + 1), "40,001 characters, more than the 40,000 allowed"),
    ],
)
def test_damaged_points_get_a_note_and_the_default_points(pts, reason):
    s, notes = decode({"pts": pts, "lr": "0.5", "pre": "xor"})
    assert s == default_scenario().replace(learning_rate=0.5)
    assert notes == [f"The points in the link are damaged ({reason}); using the default points."]


BAD_PARTS = [
    ({"lr": "abc"}, "learning_rate", 0.1, "The learning rate 'abc' is not a number; using 0.1."),
    (
        {"lr": "500"},
        "learning_rate",
        100.0,
        "The learning rate '500' is above the largest allowed, 100;",
    ),
    ({"lr": "0"}, "learning_rate", 0.001, "The learning rate '0' is below the smallest allowed,"),
    ({"lr": "nan"}, "learning_rate", 0.1, "The learning rate 'nan' is not a number; using 0.1."),
    ({"lr": "1e999"}, "learning_rate", 100.0, "The learning rate '1e999' is above the largest"),
    (
        {"lr": "1" * 65},
        "learning_rate",
        0.1,
        "The learning rate in the link is too long; using 0.1.",
    ),
    ({"ep": "2.5"}, "epochs", 20, "The number of epochs '2.5' is not a whole number; using 20."),
    ({"ep": "-3"}, "epochs", 1, "The number of epochs '-3' is below the smallest allowed, 1;"),
    (
        {"mode": "fast"},
        "mode",
        "stochastic",
        "The training mode 'fast' is not one of point, batch,",
    ),
    ({"shuf": "maybe"}, "shuffle", False, "The shuffle setting 'maybe' is not one of 0, 1, false,"),
    ({"seed": "-1"}, "seed", 0, "The shuffle seed '-1' is below the smallest allowed, 0; using 0."),
    ({"iseed": str(2**40)}, "init_seed", MAX_SEED, f"random starting weights '{2**40}' is above"),
    ({"w1": "-1e5"}, "w0", (-1e4, 0.0), "The starting weight w1 '-1e5' is below the smallest"),
    ({"b": "<script>"}, "b0", 0.0, "The starting bias b '?script?' is not a number; using 0."),
    ({"pre": "mine"}, "preset", "", "The preset name 'mine' is unknown; leaving it out."),
    ({"k": "999999"}, "step", 400, "Step 999,999 is past the last update, 400; showing step 400."),
]


def test_bad_part_notes_in_full():
    """The whole wording of a few notes; the table below checks part of each."""
    assert decode({"lr": "500"})[1] == [
        "The learning rate '500' is above the largest allowed, 100; using 100."
    ]
    assert decode({"mode": "fast"})[1] == [
        "The training mode 'fast' is not one of point, batch, mini, stochastic, minibatch; "
        "using point."
    ]
    assert decode({"iseed": str(2**40)})[1] == [
        f"The seed of the random starting weights '{2**40}' is above the largest allowed, "
        f"{MAX_SEED}; using {MAX_SEED}."
    ]


@pytest.mark.parametrize(("params", "field", "value", "note"), BAD_PARTS)
def test_each_bad_part_gets_its_note_and_the_rest_is_kept(params, field, value, note):
    s, notes = decode({**params, "init": "random"})
    assert len(notes) == 1 and note in notes[0]
    assert getattr(s if field in ("step", "preset") else s.config, field) == value
    assert s.config.init == "random"


def test_a_long_bad_value_is_echoed_cut_short():
    _, notes = decode({"ep": "x" * 30})
    assert notes == [f"The number of epochs '{'x' * 20}…' is not a whole number; using 20."]


def test_too_many_updates_reduce_the_epochs():
    X, y = make_dataset("overlapping", n=1_000, seed=0)
    params = scenario_to_params(default_scenario().with_points(X, y).replace(epochs=5_000))
    s, notes = decode(params)
    assert s.config.epochs == MAX_UPDATES // 1_000 and s.n_updates() == MAX_UPDATES
    assert notes == [
        "1,000 points with 5,000 epochs would make 5,000,000 updates, more than the "
        "200,000 allowed; using 200 epochs."
    ]


def test_too_many_point_visits_reduce_the_epochs():
    X, y = make_dataset("overlapping", n=1_000, seed=0)
    batch = default_scenario().with_points(X, y).replace(mode="batch", epochs=5_000)
    s, notes = decode(scenario_to_params(batch))
    assert s.config.epochs == MAX_WORK // 1_000 and s.config.mode == "batch"
    assert notes == [
        f"1,000 points with 5,000 epochs would visit 5,000,000 points, more than the "
        f"{MAX_WORK:,} allowed; using {MAX_WORK // 1_000:,} epochs."
    ]


def test_an_unknown_version_gives_the_defaults_and_a_note():
    s, notes = decode({"v": "2", "lr": "0.5"})
    assert s == default_scenario()
    assert notes == [
        "This link uses format version '2', which this app cannot read; "
        "using the default points and settings."
    ]


def test_unknown_keys_are_ignored_and_the_last_repeat_counts():
    s, notes = decode({"present": "1", "utm_source": ["x"], "lr": ["0.5", "0.2"], "ep": []})
    assert (s, notes) == (default_scenario().replace(learning_rate=0.2), [])


def test_a_huge_link_decodes_quickly_to_the_limits():
    X = np.round(np.random.default_rng(0).uniform(-1e6, 1e6, (MAX_POINTS, 2)), 6)
    s = default_scenario().with_points(X, np.arange(MAX_POINTS) % 2)
    text = scenario_to_params(s)["pts"]
    assert len(text) < MAX_PTS_CHARS
    assert decode({"pts": text})[0] == s


SETTINGS = [f.name for f in dataclasses.fields(Scenario) if f.name not in ("X", "y")]


@pytest.mark.parametrize("name", SETTINGS)
def test_every_setting_travels_in_the_link(name):
    """A field added to Scenario without a URL key would be silently lost by links."""
    changed = default_scenario().replace(**{name: getattr(V1_SCENARIO, name)})
    assert scenario_to_params(changed) != scenario_to_params(default_scenario())
    assert decode(scenario_to_params(changed)) == (changed, [])


def other_value(setting: Setting):
    """A value of ``setting`` other than its default, read from its row alone."""
    if setting.choices is not None:
        return next(value for value in setting.choices if value != setting.default)
    if setting.kind is bool:
        return not setting.default
    return setting.kind(setting.high if setting.default != setting.high else setting.low)


def every_setting_changed() -> Scenario:
    """V1_SCENARIO with every setting away from its default: each row says how."""
    changes = {}
    for setting in SETTING_ROWS:
        if setting.value_in(V1_SCENARIO.config) == setting.default:
            if setting.index is None:
                changes[setting.field] = other_value(setting)
            else:
                pair = list(changes.get(setting.field, getattr(V1_SCENARIO.config, setting.field)))
                pair[setting.index] = other_value(setting)
                changes[setting.field] = tuple(pair)
    return V1_SCENARIO.replace(**changes)


@pytest.mark.parametrize("setting", SETTING_ROWS, ids=lambda setting: setting.name)
def test_every_setting_row_travels_in_the_link_by_its_key(setting):
    s = every_setting_changed()
    params = scenario_to_params(s)
    assert setting.link_key in params
    back, notes = decode(params)
    assert notes == [] and setting.value_in(back.config) == setting.value_in(s.config)
    assert decode({k: v for k, v in params.items() if k != setting.link_key})[0].config != s.config


def test_the_loss_and_l2_read_their_link_words_and_clamp_to_their_limits():
    assert decode({"loss": "sq"})[0].config.loss == "squared"
    assert decode({"loss": "Squared"})[0].config.loss == "squared"
    assert decode({"l2": "0.005"})[0].config.l2 == 0.005
    s, notes = decode({"l2": "5"})
    assert s.config.l2 == MAX_L2
    assert notes == [
        f"The L2 regularisation λ '5' is above the largest allowed, {MAX_L2:g}; using {MAX_L2:g}."
    ]
    s, notes = decode({"loss": "hinge"})
    assert s.config.loss == "log" and "not one of log, sq, squared" in notes[0]
    assert scenario_to_params(default_scenario().replace(loss="squared", l2=0.01))["loss"] == "sq"


def test_param_keys_name_every_key_a_link_holds():
    s = every_setting_changed()
    assert set(scenario_to_params(s)) == PARAM_KEYS
    assert decode(scenario_to_params(s)) == (s, [])


def test_a_link_from_before_the_loss_and_l2_settings_opens_the_same_run():
    """V1_LINK predates the loss and L2 settings: it opens the log loss with λ = 0, and
    trains exactly the run it trained then (final state recorded on main before them)."""
    s, notes = decode(V1_LINK)
    assert notes == [] and s.config.loss == "log" and s.config.l2 == 0.0
    history = train(s.X, s.y, s.config)
    assert history.w[-1].tolist() == V1_FINAL_W
    assert history.b[-1] == V1_FINAL_B
    assert history.loss[-1] == V1_FINAL_LOSS
    assert_array_equal(history.loss, history.data_loss)
    default, _ = decode({})
    run = train(default.X, default.y, default.config)
    assert (run.w[-1].tolist(), run.b[-1], run.loss[-1]) == DEFAULT_FINAL


def test_the_controls_links_and_race_share_one_learning_rate_range():
    from ui.controls import LR_CHOICES
    from ui.race import RATE_OPTIONS

    for rates in (LR_CHOICES, RATE_OPTIONS):
        assert min(rates) == MIN_LEARNING_RATE and max(rates) == MAX_LEARNING_RATE
    top, _ = scenario_from_params({"lr": str(MAX_LEARNING_RATE)})
    assert top.config.learning_rate == MAX_LEARNING_RATE
    assert top.config.learning_rate == MAX_LEARNING_RATE  # the core takes it too


def test_settings_read_in_words_in_the_tables_order_with_the_start_as_one():
    c = TrainConfig(
        mode="minibatch", batch_size=16, l2=0.01, init="custom", w0=(1e-5, -2.0), b0=0.25,
        shuffle=True, seed=3,
    )  # fmt: skip
    fields = ["w0", "l2", "mode", "b0", "init", "shuffle", "seed", "batch_size"]
    assert described(c, fields) == (
        "mini-batch of 16 · batch size 16 · shuffle on · shuffle seed 3 · L2 penalty λ = 0.01 · "
        "start at w1 = 1.000×10⁻⁵, w2 = −2, b = 0.25"
    )
    assert setting_changes(["loss", "w0", "b0", "l2", "seed"], TrainConfig(), c) == [
        "shuffle seed: 0 → 3",
        "L2 regularisation: off (λ = 0) → λ = 0.01",
        "start: w1 = 0, w2 = 0, b = 0 → w1 = 1.000×10⁻⁵, w2 = −2, b = 0.25",
    ]
    assert setting_changes(fields, c, c) == []
