"""The validation table cannot flatter: hand-worked interval scores and verdicts, honest summary counts, and no
held-out figure hidden in a place's config or priors."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.place_checks import held_out_leaks
from sim.places import load_place
from sim.scoring import score, verdict, weighted_interval_score
from sim.validate_table import summary, summary_line

ROOT = Path(__file__).resolve().parents[1]
PLACES = ("acheng", "cuiping", "liuba", "wangqing", "zhijin")
X = np.arange(101.0)  # 0..100: the p-quantile is exactly 100 p


def test_weighted_interval_score_by_hand():
    """x = 0..100: median 50, 50% interval [25, 75], 90% interval [5, 95].
    y = 120: IS_0.5 = 50 + (2/0.5)(120 - 75) = 230; IS_0.1 = 90 + (2/0.1)(120 - 95) = 590;
    WIS = (0.5 * 70 + 0.25 * 230 + 0.05 * 590) / 2.5 = 122 / 2.5 = 48.8.
    y = 50 (inside both): WIS = (0 + 0.25 * 50 + 0.05 * 90) / 2.5 = 6.8."""
    assert weighted_interval_score(X, 120.0) == pytest.approx(48.8)
    assert weighted_interval_score(X, 50.0) == pytest.approx(6.8)


def test_score_columns_by_hand():
    s = score(X, 120.0, "held_out")
    assert (s["simulated_median"], s["low_50"], s["high_50"], s["low_90"], s["high_90"]) == (50, 25, 75, 5, 95)
    assert s["width_relative"] == pytest.approx(90 / 120)  # 0.75: narrower than the value itself: informative
    assert s["wis_relative"] == pytest.approx(48.8 / 120)
    assert not s["within_90"] and s["verdict"] == "outside"
    s = score(X, 60.0, "held_out")  # inside, but the interval (90 wide) is wider than 60: says nothing
    assert s["within_50"] and s["within_90"] and s["verdict"] == "uninformative"
    s = score(X + 1000, 1050.0, "calibration")  # 90 / 1050 = 0.086 wide, inside
    assert s["verdict"] == "within"


def test_inputs_and_identities_are_never_counted():
    assert verdict("input", True, 0.01) == "input" and verdict("identity", True, 0.01) == "identity"
    assert verdict("diagnostic", True, 0.01) == "diagnostic"
    assert score(X, 50.0, "identity")["verdict"] == "identity"


def test_summary_counts_each_kind_apart():
    rows = [("calibration", "within"), ("calibration", "uninformative"), ("held_out", "within"),
            ("held_out", "uninformative"), ("held_out", "outside"), ("input", "input"), ("identity", "identity"),
            ("diagnostic", "diagnostic")]
    table = pd.DataFrame({"place": "p", "target": [f"t{i}" for i in range(len(rows))],
                          "role": [r for r, _ in rows], "verdict": [v for _, v in rows]})
    s = summary(table)
    assert (s["calibration_within"], s["calibration"]) == (1, 2)
    assert (s["held_out_within_informative"], s["held_out"]) == (1, 3)
    assert (s["uninformative"], s["uninformative_held_out"], s["outside"]) == (2, 1, 1)
    assert s["inputs"] == ["p/t5"] and s["identities"] == ["p/t6"] and s["diagnostics"] == ["p/t7"]
    line = summary_line(table)
    assert "held out within and informative: 1 of 3" in line and "inputs p/t5" in line


# A held-out value that equals a config number by coincidence, different in kind (checked by hand):
COINCIDENCES = {"liuba: held-out income_2016 = 8000 appears at village.savings_yuan.sd"}  # opening savings'
# spread in yuan per household (configs/village.yaml, assumption), not income per person


@pytest.mark.parametrize("name", PLACES)
def test_no_held_out_figure_in_a_config_default_or_a_prior(name):
    leaks = set(held_out_leaks(load_place(name, ROOT / "configs" / "places"))) - COINCIDENCES
    assert not leaks, "a held-out figure was used to build the place (make it role: input): " + "; ".join(leaks)


def test_the_leak_check_can_fail(tmp_path):
    text = (ROOT / "configs" / "places" / "zhijin.yaml").read_text(encoding="utf-8")
    file = tmp_path / "zhijin.yaml"
    file.write_text(text.replace("leader_cash_yuan: 940000", "leader_cash_yuan: 443000"), encoding="utf-8")
    from sim.places import load_place_file

    leaks = held_out_leaks(load_place_file(file))
    assert leaks == ["zhijin: held-out net_income = 443000 appears at cooperatives.0.leader_cash_yuan"]
