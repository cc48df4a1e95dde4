"""The QR codes of challenge links decode to the very link, read back by an independent
decoder (zxing-cpp, a C++ reader in its wheel) from the PNG the page shows."""

from __future__ import annotations

import io

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from perceptron import Scenario, make_dataset
from perceptron.challenge_links import challenge_to_query_string
from perceptron.challenges import Challenge
from perceptron.gallery import available
from perceptron.goals import Goal
from ui.challenge_share import qr_png

BASE = "https://perceptron-playground.streamlit.app/"


def decoded(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return [code.text for code in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.mark.parametrize("item", available(), ids=lambda item: item.slug)
def test_each_gallery_qr_code_decodes_to_its_link(item):
    link = BASE + item.query_string()
    assert decoded(qr_png(link)) == [link]


def test_a_long_composed_link_still_decodes():
    X, y = make_dataset("overlapping", n=150, seed=4)
    ch = Challenge(
        Scenario.of(X, y, learning_rate=0.5, epochs=3),
        "ŷ, −, · and “quotes” survive: " + "x" * 120,
        Goal("loss_below", loss=0.25, updates=40),
        title="Long one",
        locked=frozenset({"points", "epochs"}),
    )
    link = BASE + challenge_to_query_string(ch)
    assert 1_000 < len(link) < 2_331
    assert decoded(qr_png(link)) == [link]


def test_the_qr_code_has_its_quiet_zone_and_is_black_on_white():
    image = np.asarray(Image.open(io.BytesIO(qr_png(BASE))).convert("L"))
    scale, border = 10, 4
    assert set(np.unique(image)) == {0, 255}
    assert (image[: scale * border] == 255).all() and (image[:, : scale * border] == 255).all()


def test_a_link_too_long_for_any_qr_code_gets_none():
    assert qr_png("x" * 3_000) is None
