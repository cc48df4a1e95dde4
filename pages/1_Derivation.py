"""Derivation: the lecture's chain rule, worked through with the learner's own numbers."""

import streamlit as st

from ui import chain_rule, chain_rule_beyond, chain_rule_update, contributions, derivation, page
from ui.common import has_points
from ui.controls import training_controls
from ui.state import history, scenario

page.start("Chain rule, step by step")
chain_rule.page_style()
st.title("The derivation, with your numbers")
st.markdown(
    "Gradient descent needs ∂L/∂w1, ∂L/∂w2 and ∂L/∂b. This page derives them the way the "
    "lecture does, step by step, and fills in every formula with the numbers of one of your "
    "points at step k of your run, so you can follow each multiplication. It follows the "
    "loss and the L2 regularisation chosen in the sidebar."
)
training_controls()
s = scenario()
if has_points(s):
    run = history(s)
    case = derivation.case(s, run, derivation.controls(s, run))
    chain_rule.forward(case)
    chain_rule.chain(case)
    chain_rule.factors(case)
    chain_rule.products(case)
    chain_rule_beyond.versus_log_loss(case, s)
    chain_rule_beyond.penalty(case)
    chain_rule_update.update(case, s, run)
    st.divider()
    contributions.every_point(s, run)
page.finish()
