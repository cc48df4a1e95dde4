"""Perceptron Playground's core: one sigmoid neuron with two inputs, trained by gradient descent.

Pure numpy; nothing here imports Streamlit.
"""

from perceptron.datasets import PRESETS, Preset, make_dataset
from perceptron.geometry import boundary_segment, view_ranges, weight_arrow
from perceptron.limits import MAX_EPOCHS, MAX_LEARNING_RATE, MAX_POINTS, MAX_UPDATES, MAX_WORK
from perceptron.links import scenario_from_params, scenario_to_params, scenario_to_query_string
from perceptron.model import (
    PointDerivatives,
    gradient,
    loss,
    point_derivatives,
    point_losses,
    predict_proba,
    sigmoid,
)
from perceptron.pointsfile import PointsFileError, read_points_csv, write_points_csv
from perceptron.scenario import Scenario, default_scenario
from perceptron.training import History, TrainConfig, count_updates, train, updates_per_epoch

__all__ = [
    "MAX_EPOCHS",
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
    "TrainConfig",
    "boundary_segment",
    "count_updates",
    "default_scenario",
    "gradient",
    "loss",
    "make_dataset",
    "point_derivatives",
    "point_losses",
    "predict_proba",
    "read_points_csv",
    "scenario_from_params",
    "scenario_to_params",
    "scenario_to_query_string",
    "sigmoid",
    "train",
    "updates_per_epoch",
    "view_ranges",
    "weight_arrow",
    "write_points_csv",
]
