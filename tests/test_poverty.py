"""Item-9 poverty outcomes (sim/poverty.py) worked out by hand on the tiny village: 4 households of 2 persons,
each with 750 yuan per person a year (650 own farm + 100 land subsidy), assessed at 750 at registration."""

import numpy as np
import pytest
from conftest import tiny

from sim import poverty
from sim.run import simulate

LINE_1000 = {"years": 2, "poverty_line.yuan_per_person_year": {2015: 1000}}


def test_severity_and_person_years():
    """All 8 persons are poor each year: FGT2 = ((1,000 - 750) / 1,000)^2 = 0.0625; 8 person-years a year."""
    y = simulate(tiny(LINE_1000), seed=1).yearly
    assert y.poverty_severity_index.tolist() == pytest.approx([0.0625, 0.0625])
    assert y.poverty_person_years.tolist() == [8, 8]
    assert y.poverty_person_years_total.tolist() == [8, 16]
    assert y.mean_income_per_capita_registered.tolist() == pytest.approx([750, 750])


def test_income_gained_by_the_registered_poor_is_over_their_assessed_income():
    """With 10% nominal growth the second year pays 1.1 x 750 = 825 per person: 75 more than assessed, x 8
    persons = 600 yuan gained; the first year gains nothing. No programme money: 0 public yuan per yuan."""
    y = simulate(tiny({**LINE_1000, "economy.nominal_growth_per_year": 0.1}), seed=1).yearly
    assert y.income_gained_by_registered_poor_total.tolist() == pytest.approx([0, 600])
    assert np.isnan(y.public_yuan_per_yuan_gained_by_poor.iloc[0])  # nothing gained yet: undefined
    assert y.public_yuan_per_yuan_gained_by_poor.iloc[1] == 0


def test_fgt_terms_and_run_totals():
    """Incomes 500, 1,000, 1,500 against a line of 1,000: FGT1 terms 0.5, 0, 0; FGT2 0.25, 0, 0. Two villages
    of 3 and 1 persons with severity 0.2 and 0.6: persons-weighted 0.3; 900 public yuan over 300 gained: 3."""
    assert poverty.fgt(np.array([500.0, 1000, 1500]), 1000, 2).tolist() == [0.25, 0, 0]
    assert poverty.fgt(np.array([500.0, 1000, 1500]), 1000, 1).tolist() == [0.5, 0, 0]
    cols = {"poverty_severity_index": np.array([0.2, 0.6]), "poverty_person_years": np.array([1.0, 1]),
            "poverty_person_years_total": np.array([2.0, 3]), "mean_income_per_capita_registered": np.array([1, 3.0]),
            "income_gained_by_registered_poor_total": np.array([100.0, 200])}
    out = poverty.totals(cols, np.array([3.0, 1]), np.array([1.0, 1]), 900.0)
    assert out["poverty_severity_index"] == pytest.approx(0.3)
    assert out["poverty_person_years_total"] == 5 and out["mean_income_per_capita_registered"] == 2
    assert out["public_yuan_per_yuan_gained_by_poor"] == pytest.approx(3.0)
