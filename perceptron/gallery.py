"""Ready challenges that follow the lecture's order of ideas, each with its link.

1. what ŷ means: put every point on its side by hand (ŷ above or below 0.5);
2. the sign of a derivative: predict w1, w2 and b going up or down, 5 in a row;
3. one update by hand: work out update 1 on paper and set its result;
4. the learning rate, fast enough: the loss below 0.5 within 10 updates;
5. the learning rate, too big: make the loss rise;
6. XOR's limit: separate four points, or see that no line can;
7. squared error vs log loss: which one recovers from a confident mistake in time.

The seventh needs a ``loss`` setting ("log" or "squared") in ``perceptron.settings``; until
there is one it is listed with ``available`` False. Its scenario starts with the squared
error when that setting exists, so the learner has to switch to the log loss to succeed.
The points are few and typed here, so each link is short and opens the same points forever.
"""

from __future__ import annotations

from dataclasses import dataclass

from perceptron.challenge_links import challenge_to_query_string
from perceptron.challenges import Challenge
from perceptron.goals import Goal
from perceptron.scenario import Scenario
from perceptron.settings import BY_NAME, SETTINGS

LOSS_SETTING = "loss"


@dataclass(frozen=True)
class GalleryEntry:
    """One ready challenge: a short id, the lecture's idea it follows, and the challenge.

    ``available`` is False when this version of the app lacks what it needs (``needs``
    says what).
    """

    slug: str
    idea: str
    challenge: Challenge
    available: bool = True
    needs: str = ""

    def query_string(self) -> str:
        """The link's query, to append to the app's address."""
        return challenge_to_query_string(self.challenge)


def _settings_except(*names: str) -> frozenset[str]:
    return frozenset(setting.name for setting in SETTINGS if setting.name not in names)


_EVERY_SETTING = _settings_except()
_HAND = frozenset({"points", "handfit_step"})

# Six points that a line can separate, three of each class.
_SIX_X = [[1.0, 2.0], [-1.0, -1.5], [2.0, 1.0], [-2.0, 0.5], [2.5, 2.5], [0.5, -2.0]]
_SIX_Y = [1, 0, 1, 0, 1, 0]
# Eight points that no line separates: point 7 (class 1) sits among class 0.
_EIGHT_X = [[2, 1], [1, 3], [3, 2.5], [-1, -2], [-2, 0.5], [0.5, -1.5], [-1.5, -1], [2.5, 0.5]]
_EIGHT_Y = [1, 1, 1, 0, 0, 0, 1, 0]


def _what_y_hat_means() -> GalleryEntry:
    scenario = Scenario.of(_SIX_X, _SIX_Y, init="custom", w0=(1.0, -1.0), b0=0.0)
    return GalleryEntry(
        "y-hat",
        "what ŷ means",
        Challenge(
            scenario,
            "ŷ is the neuron's probability of class 1. Move the line so that every class-1 "
            "point gets ŷ above 0.5 and every class-0 point ŷ below 0.5.",
            Goal("separate"),
            mode="hand",
            title="What ŷ means",
            locked=_HAND,
            hidden=_EVERY_SETTING,
        ),
    )


def _sign_of_a_derivative() -> GalleryEntry:
    scenario = Scenario.of(_SIX_X, _SIX_Y, learning_rate=0.5, epochs=4)
    return GalleryEntry(
        "sign",
        "the sign of a derivative",
        Challenge(
            scenario,
            "Before each update, say if w1, w2 or b goes up or down. The sign of −(y − ŷ)·x "
            "decides. Get 5 right in a row.",
            Goal("predict_streak", streak=5),
            mode="predict",
            title="The sign of a derivative",
            locked=_EVERY_SETTING | {"points"},
            ask=("w1", "w2", "b"),
        ),
    )


def _one_update_by_hand() -> GalleryEntry:
    # At the start z = 0.5·2 − 1·1 + 0 = 0 for point 1, so ŷ = 0.5 and the numbers stay round.
    X = [[2.0, 1.0], [-1.0, -2.0], [0.5, 2.0], [-2.0, -0.5]]
    scenario = Scenario.of(
        X, [1, 0, 1, 0], learning_rate=1.0, epochs=1, init="custom", w0=(0.5, -1.0), b0=0.0
    )
    return GalleryEntry(
        "one-update",
        "one update by hand",
        Challenge(
            scenario,
            "Update 1 uses point 1, where ŷ = 0.5. Work it out on paper with α = 1 "
            "(w ← w − α·∂L/∂w), then set w1, w2 and b to the result.",
            Goal("hand_update", updates=1),
            mode="hand",
            title="One update by hand",
            locked=_EVERY_SETTING | _HAND,
        ),
    )


def _learning_rate(slug: str, epochs: int, task: str, goal: Goal, title: str) -> GalleryEntry:
    """A challenge on the eight points, in full batches, where only α may change."""
    scenario = Scenario.of(_EIGHT_X, _EIGHT_Y, mode="batch", epochs=epochs)
    locked = _settings_except("learning_rate") | {"points"}
    return GalleryEntry(
        slug, "the learning rate", Challenge(scenario, task, goal, title=title, locked=locked)
    )


def _fast_enough() -> GalleryEntry:
    return _learning_rate(
        "rate-fast",
        10,
        "With α = 0.1 the loss creeps down. Find a learning rate that gets it below 0.5 "
        "within 10 updates.",
        Goal("loss_below", loss=0.5, updates=10),
        "Fast enough",
    )


def _too_big() -> GalleryEntry:
    return _learning_rate(
        "rate-rise",
        20,
        "Small steps always go downhill here. Find a learning rate so big that the mean "
        "loss goes up.",
        Goal("loss_rises"),
        "Too big a step",
    )


def _xor() -> GalleryEntry:
    X = [[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]]
    scenario = Scenario.of(X, [1, 0, 1, 0], init="custom", w0=(1.0, 0.5), b0=0.0, preset="")
    return GalleryEntry(
        "xor",
        "XOR's limit",
        Challenge(
            scenario,
            "Put all four points on their own side with one straight line, or say that no "
            "line can, if you are sure.",
            Goal("separate"),
            mode="hand",
            title="XOR's limit",
            locked=frozenset({"points"}),
            hidden=_EVERY_SETTING,
        ),
    )


def _squared_vs_log() -> GalleryEntry:
    X = [[3.0, 0.5], [-3.0, 0.0], [2.0, -1.0], [-2.0, 1.0]]
    settings = dict(learning_rate=0.5, epochs=5, init="custom", w0=(-3.0, 0.0), b0=0.0)
    available = LOSS_SETTING in BY_NAME
    if available:
        settings[LOSS_SETTING] = "squared"
    return GalleryEntry(
        "squared",
        "squared error vs log loss",
        Challenge(
            Scenario.of(X, [1, 0, 1, 0], **settings),
            "The neuron starts out sure and wrong about every point. Which loss gets them all "
            "right within 10 updates: squared error or log loss?",
            Goal("separate", updates=10),
            title="Squared error vs log loss",
            locked=_settings_except(LOSS_SETTING) | {"points"},
        ),
        available,
        "" if available else "a loss setting (log or squared), which this version lacks",
    )


def gallery() -> tuple[GalleryEntry, ...]:
    """The ready challenges in the lecture's order (see the module docstring)."""
    return (
        _what_y_hat_means(),
        _sign_of_a_derivative(),
        _one_update_by_hand(),
        _fast_enough(),
        _too_big(),
        _xor(),
        _squared_vs_log(),
    )


def available() -> tuple[GalleryEntry, ...]:
    """The gallery's entries this version of the app can run."""
    return tuple(entry for entry in gallery() if entry.available)


def entry(slug: str) -> GalleryEntry:
    """The entry with this slug; ValueError naming it if there is none."""
    for item in gallery():
        if item.slug == slug:
            return item
    raise ValueError(
        f"no gallery challenge {slug!r}; there are {', '.join(e.slug for e in gallery())}"
    )
