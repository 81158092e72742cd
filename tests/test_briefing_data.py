"""The data the briefing needs from the core: income by source of the registered poor, the year's poverty
line, and the end-of-run distribution of household income per person (per run, in the results folder)."""

import numpy as np
import pandas as pd

from sim.executors import run_experiment
from sim.experiment import load_experiment
from sim.ledger import CATEGORY_INDEX, FEN_PER_YUAN, INCOME_CATEGORIES
from sim.model import VillageModel
from sim.results import load
from sim.run import PERCENTILES, collect, income_percentiles
from tests.test_experiment import write_experiment


def test_registered_poor_income_by_source_is_their_ledger_income_per_person():
    model = VillageModel(rng=5, years=2, village__households=120)
    model.run()
    hh, last = model.hh, model.history[-1]
    reg = hh.registered_poor
    assert reg.any() and not reg.all()
    for cat in INCOME_CATEGORIES:
        by_hand = (model.last_income_fen[CATEGORY_INDEX[cat]][reg] / FEN_PER_YUAN).sum() / hh.persons[reg].sum()
        assert np.isclose(last[f"income_per_capita_registered_{cat}"], by_hand)
    assert last["poverty_line"] == model.config.poverty_line.for_year(model.year - 1)


def test_income_percentiles_are_persons_weighted():
    # persons 1, 1, 2 with incomes 100, 200, 300: half the persons live on 300
    table = income_percentiles([300.0, 100.0, 200.0], [2, 1, 1])
    assert list(table["percentile"]) == list(PERCENTILES)
    got = dict(zip(table["percentile"], table["income_yuan"], strict=True))
    assert got[1] == 100 and got[25] == 100 and got[26] == 200 and got[50] == 200 and got[51] == 300 and got[99] == 300


def test_distribution_below_the_line_matches_the_headcount_ratio():
    model = VillageModel(rng=2, years=3)
    model.run()
    out = collect(model)
    line, ratio = out.final["poverty_line"], out.final["poverty_headcount_ratio"]
    share_below = (out.distribution["income_yuan"] < line).mean()
    assert abs(share_below - ratio) <= 0.011  # percentiles are one point apart


def test_experiment_writes_the_distribution_table(tmp_path):
    plan = load_experiment(write_experiment(tmp_path))
    run_experiment(plan, tmp_path / "out", executor="serial", progress=False)
    res = load(tmp_path / "out", require=("runs", "series", "distribution"))
    dist = res.distribution
    assert len(dist) == len(plan.runs) * len(PERCENTILES)
    assert set(dist["run_id"]) == set(res.runs["run_id"])
    assert (dist.groupby("run_id")["income_yuan"].apply(lambda s: s.is_monotonic_increasing)).all()
    series = res.series
    assert {f"income_per_capita_registered_{c}" for c in INCOME_CATEGORIES} <= set(series.columns)
    assert isinstance(series["poverty_line"].iloc[0], (float, np.floating)) and "poverty_line" in res.runs
    assert pd.api.types.is_integer_dtype(dist["percentile"])
