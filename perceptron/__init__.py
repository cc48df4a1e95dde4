"""Perceptron Playground's core: one sigmoid neuron with two inputs, trained by gradient descent.

Pure numpy; nothing here imports Streamlit.
"""

from perceptron.accuracy import Tally, tally
from perceptron.datasets import PRESETS, Preset, make_dataset
from perceptron.geometry import boundary_segment, view_ranges, weight_arrow
from perceptron.limits import (
    MAX_EPOCHS,
    MAX_L2,
    MAX_LEARNING_RATE,
    MAX_POINTS,
    MAX_UPDATES,
    MAX_WORK,
)
from perceptron.links import scenario_from_params, scenario_to_params, scenario_to_query_string
from perceptron.model import (
    LOSSES,
    PointDerivatives,
    gradient,
    loss,
    objective,
    point_derivatives,
    point_losses,
    predict_proba,
    sigmoid,
)
from perceptron.pointsfile import PointsFileError, read_points_csv, write_points_csv
from perceptron.scenario import Scenario, default_scenario, preset_scenario
from perceptron.stepsize import StepBound, step_bound
from perceptron.training import History, TrainConfig, count_updates, train, updates_per_epoch
from perceptron.uphill import loss_rises, recent_rises

__all__ = [
    "LOSSES",
    "MAX_EPOCHS",
    "MAX_L2",
    "MAX_LEARNING_RATE",
    "MAX_POINTS",
    "MAX_UPDATES",
    "MAX_WORK",
    "PRESETS",
    "History",
    "PointDerivatives",
    "PointsFileError",
    "Preset",
    "Scenario",
    "StepBound",
    "Tally",
    "TrainConfig",
    "boundary_segment",
    "count_updates",
    "default_scenario",
    "gradient",
    "loss",
    "loss_rises",
    "make_dataset",
    "objective",
    "point_derivatives",
    "point_losses",
    "predict_proba",
    "preset_scenario",
    "read_points_csv",
    "recent_rises",
    "scenario_from_params",
    "scenario_to_params",
    "scenario_to_query_string",
    "sigmoid",
    "step_bound",
    "tally",
    "train",
    "updates_per_epoch",
    "view_ranges",
    "weight_arrow",
    "write_points_csv",
]
