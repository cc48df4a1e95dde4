"""What the race's ‖w‖ chart shows, in words: without a penalty, whether the weights grow
without bound (separable points); with λ > 0, whether they level off, and against which
run without the penalty (drawn beside them) to compare."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from perceptron import History
from perceptron.formatting import fmt
from perceptron.race import Separation, separation
from ui.race_runners import Runner


def separable_note(names: list[str], seps: list[Separation]) -> None:
    """Without a penalty: say which runs show the separable-data effect, or why none does."""
    growing = [(n, sep) for n, sep in zip(names, seps, strict=True) if sep.unbounded]
    if growing:
        listed = ", ".join(
            f"{n} (‖w‖ {fmt(sep.norm_late)} → {fmt(sep.norm_end)}, +{sep.growth:.1%} in the "
            "last quarter)"
            for n, sep in growing
        )
        st.info(
            f"**The weights grow without bound** for {listed}. Every point is already on its "
            "own side, so the data are linearly separable, and then scaling w and b up makes "
            "every ŷ more confident and the loss smaller still. The loss creeps towards 0 but "
            "never reaches it, so gradient descent never stops: ‖w‖ keeps growing, ever more "
            "slowly, while the boundary itself hardly moves. L2 regularisation (λ > 0 in the "
            "sidebar) stops it."
        )
    elif any(sep.all_correct for sep in seps):
        st.caption(
            "Some run gets every point right, but its ‖w‖ has (almost) stopped growing: the "
            "loss is so close to 0 that the updates have become tiny."
        )
    else:
        st.caption(
            "No run gets every point right, so the data (or these runs) are not separated: "
            "there is a best finite w, and ‖w‖ levels off instead of growing for ever."
        )


def reference_runner(runners: list[Runner]) -> int | None:
    """With λ > 0, the runner whose run is repeated without the penalty for comparison: the
    fastest converging one whose ‖w‖ has levelled off (else the closest to that; in a loss
    race, the log loss's); None if every run diverged."""
    calm = [i for i, r in enumerate(runners) if r.verdict.label != "diverging"]
    if not calm:
        return None

    def preference(i: int) -> tuple:
        r = runners[i]
        loss_is_log = r.history.config.loss == "log"
        level = norm_tail(r.history).state == "level"
        return loss_is_log, r.verdict.label == "converging", level, r.within_bound, r.rate

    return max(calm, key=preference)


@dataclass(frozen=True)
class NormTail:
    """‖w‖ over the last quarter of a run: where it was (``late``), its lowest and highest,
    and where it ended."""

    late: float
    low: float
    high: float
    end: float

    @property
    def growth(self) -> float:
        return self.end / self.late - 1 if self.late else 0.0

    @property
    def state(self) -> str:
        """ "bouncing" (it swings by more than NORM_SWING of its top, back and forth),
        "moving" (it still grows or shrinks by more than NORM_MOVE) or "level"."""
        swing = self.high - self.low
        if swing > NORM_SWING * self.high and abs(self.end - self.late) < swing / 2:
            return "bouncing"
        return "moving" if abs(self.growth) > NORM_MOVE else "level"


# ‖w‖ is still moving when its last quarter changed it by more than this share; it bounces
# when it swings by more than NORM_SWING of its highest value there, without getting anywhere.
NORM_MOVE = 0.005
NORM_SWING = 0.05


def norm_tail(history: History) -> NormTail:
    """``NormTail`` of a run, from every state of its last quarter."""
    K = history.n_updates
    norms = np.linalg.norm(history.w[(3 * K) // 4 :], axis=1)
    return NormTail(float(norms[0]), float(norms.min()), float(norms.max()), float(norms[-1]))


def penalised_note(runners: list[Runner], reference: tuple[int, History] | None, X, y) -> None:
    """With λ > 0: does ‖w‖ level off, and how it compares with the same run without λ."""
    l2 = runners[0].history.config.l2
    tails = [(r, norm_tail(r.history)) for r in runners]
    by_state = {s: [(r, t) for r, t in tails if t.state == s] for s in ("level", "moving")}
    bouncing = [(r, t) for r, t in tails if t.state == "bouncing"]
    free = separation(reference[1], X, y) if reference is not None else None
    parts = [
        f"**With λ = {l2:g} the weights level off.**"
        if by_state["level"]
        else f"**With λ = {l2:g} the weights cannot grow for ever**, though these runs are "
        "too short to show them levelling off."
    ]
    if free is not None and free.all_correct:
        name = runners[reference[0]].name
        still = f", still growing by {free.growth:.1%} in its last quarter"
        parts.append(
            f"Without the penalty, {name} would push ‖w‖ to {fmt(free.norm_end)}"
            f"{still if free.unbounded else ''} (the thin long-dashed line): these points "
            "are separable, so the loss alone keeps rewarding larger weights. The penalty "
            "charges (λ/2)‖w‖² for them, so ‖w‖ stops where the two pulls balance."
        )
    else:
        parts.append(
            "The penalty charges (λ/2)‖w‖² for large weights, so ‖w‖ stops where the pull of "
            "the points and the pull of the penalty balance."
        )
    if by_state["level"]:
        parts.append("Levelled off: " + _norms(by_state["level"]) + ".")
    if by_state["moving"]:
        parts.append("Still on the way: " + _norms(by_state["moving"]) + ".")
    if bouncing:
        swings = [f"{r.name} between ‖w‖ = {fmt(a.low)} and {fmt(a.high)}" for r, a in bouncing]
        parts.append("Bouncing, the steps too large to settle: " + ", ".join(swings) + ".")
    st.info(" ".join(parts))


def _norms(pairs) -> str:
    return ", ".join(
        f"{r.name} at ‖w‖ = {fmt(t.end)} ({t.growth:+.1%} in the last quarter)" for r, t in pairs
    )
