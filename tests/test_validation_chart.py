"""The validation figure: both languages written, every drawn character in the bundled fonts, ratios by hand."""

import pandas as pd

from sim.charts import missing_glyphs
from sim.validation_chart import SHORT_ZH, TEXT, drawable, write_figures


def table() -> pd.DataFrame:
    row = {"place": "zhijin", "figure_zh": "现金入股", "unit": "yuan", "parameter_sets": 20, "runs": 40}
    return pd.DataFrame([
        {**row, "target": "a", "figure": "cash", "role": "calibration", "reported": 200.0, "low_90": 100.0,
         "low_50": 150.0, "simulated_median": 200.0, "high_50": 250.0, "high_90": 8000.0},
        {**row, "target": "b", "figure": "income", "role": "held_out", "reported": 100.0, "low_90": -50.0,
         "low_50": 10.0, "simulated_median": 20.0, "high_50": 30.0, "high_90": 40.0},
    ])


def test_ratios_to_the_reported_value_clipped_and_non_positive_left_out():
    """a: 100/200 = 0.5, 150/200 = 0.75, 1, 1.25, and 8000/200 = 40 clipped to 20; b's interval reaches below 0."""
    d = drawable(table())
    assert list(d["target"]) == ["a"]
    assert d.iloc[0][["low_90_ratio", "low_50_ratio", "simulated_median_ratio", "high_50_ratio",
                      "high_90_ratio"]].tolist() == [0.5, 0.75, 1.0, 1.25, 20.0]


def test_both_languages_are_written_with_drawable_glyphs(tmp_path):
    written = write_figures(table(), tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "en/validation.png", "en/validation.svg", "zh/validation.png", "zh/validation.svg"]
    assert all(p.stat().st_size > 1000 for p in written)
    assert missing_glyphs([zh for _, zh in TEXT.values()] + list(SHORT_ZH.values())) == []


def test_every_place_figure_name_is_drawable():
    from pathlib import Path

    from sim.places import load_place, place_names

    folder = Path(__file__).resolve().parents[1] / "configs" / "places"
    names = [t.figure_zh for n in place_names(folder) for t in load_place(n, folder).info.targets]
    assert missing_glyphs(names) == []
