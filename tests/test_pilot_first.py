"""Switching to a riskier line, directly or after a pilot (docs/model.md §3.7), worked out by hand.

Tiny village (tests/conftest.py): the cooperative farms 4 pooled mu of a cash crop (2,400 revenue,
1,000 cost per mu; net 1,400). The new line, with no yield or price shocks: 4,000 revenue, 1,600 cost
per mu; an unsuitable line yields 30% (1,200): net -400 per mu. Switch investment 500 per mu. The
opportunity comes at the end of year 0 (probability 1).
"""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.run import simulate

NEW = {"revenue_yuan_per_mu_year": 4000, "cost_yuan_per_mu_year": 1600, "labour_days_per_mu_year": 40,
       "field_management_days_per_mu_year": 4, "harvest_months": [8], "yield_sd": 0, "price_sd": 0}
LOSS_PER_MU = 1400 - (0.3 * 4000 - 1600) + 500  # old net - failed new net + investment = 2,300


def switch_village(suits: bool, pilot: bool, party: bool = True, extra=None):
    policies = ["cooperative", "line_switch"] + (["pilot_first"] if pilot else [])
    return tiny({"policies": policies, "years": 3, "crop_lines.new_variety": NEW,
                 "village.party_member_household_share": 1.0 if party else 0.0,
                 "line_switch.opportunity_probability_per_year": 1.0,
                 "line_switch.success_probability": 1.0 if suits else 0.0,
                 "pilot_first.pilot_plot_mu": 1, "pilot_first.pilot_signal_sd": 0.0, **(extra or {})})


def run(cfg, seed=1):
    model = VillageModel(config=cfg, rng=seed)
    lines = []
    while model.running:
        model.step()
        if model.month_of_year == 6:
            lines.append(model.coops.line[0])
    return model, lines


def test_a_direct_switch_to_an_unsuitable_line_loses_a_season_and_goes_back():
    m, lines = run(switch_village(suits=False, pilot=False))
    assert lines == ["cash_crop", "new_variety", "cash_crop"]
    y1 = m.history[1]
    assert y1["line_switch_losses"] == pytest.approx(4 * LOSS_PER_MU)
    # the books: sales 4 mu x 4,000 x 0.3; costs 4 x 1,600 + 1,400 management + 4 x 500 investment
    flows = m.flows_history[1]["flows"]
    assert flows[("line_switch_cost", "coop:0:coop", "market")] / 100 == pytest.approx(2000)
    assert flows[("coop_sales", "market", "coop:0:coop")] / 100 == pytest.approx(4 * 4000 * 0.3)
    assert y1["coop_profit"] == pytest.approx(4800 - (6400 + 1400 + 2000) - 1200 - 1600)
    assert m.history[2]["line_switch_losses"] == 0 and y1["pilot_trials"] == 0
    assert all(row["ledger_imbalance"] == 0 for row in m.history)


def test_a_direct_switch_to_a_suitable_line_stays():
    m, lines = run(switch_village(suits=True, pilot=False))
    assert lines == ["cash_crop", "new_variety", "new_variety"]
    assert sum(row["line_switch_losses"] for row in m.history) == 0
    assert m.history[2]["coop_profit"] == pytest.approx(4 * 4000 - (6400 + 1400) - 1200 - 1600)


def test_a_failed_pilot_costs_one_plot_and_the_cooperative_stays_put():
    m, lines = run(switch_village(suits=False, pilot=True))
    assert lines == ["cash_crop", "cash_crop", "cash_crop"]
    y1 = m.history[1]
    assert y1["pilot_trials"] == 1 and y1["line_switch_losses"] == pytest.approx(1 * LOSS_PER_MU)
    flows = m.flows_history[1]["flows"]
    assert flows[("pilot_cost", "coop:0:coop", "market")] / 100 == pytest.approx(1600 + 500)
    assert flows[("pilot_sales", "market", "coop:0:coop")] / 100 == pytest.approx(0.3 * 4000)
    assert y1["coop_profit"] == pytest.approx(1400 + 1200 - 2100)  # the old line's profit plus the pilot plot
    assert m.history[2]["pilot_trials"] == 0  # a cooperative tries the line once


def test_a_good_pilot_leads_to_the_switch_a_year_later():
    m, lines = run(switch_village(suits=True, pilot=True))
    assert lines == ["cash_crop", "cash_crop", "new_variety"]
    assert m.history[1]["pilot_trials"] == 1 and sum(r["line_switch_losses"] for r in m.history) == 0


def test_without_party_members_there_is_no_pilot_and_the_cooperative_switches_directly():
    m, lines = run(switch_village(suits=False, pilot=True, party=False))
    assert lines == ["cash_crop", "new_variety", "cash_crop"]
    assert m.history[1]["pilot_trials"] == 0 and m.history[1]["line_switch_losses"] == pytest.approx(4 * LOSS_PER_MU)


def test_with_pilot_first_large_line_switch_losses_are_rarer_over_many_seeds():
    """A small village whose cooperative takes up the default new line (success 60%, with shocks)."""
    base = {"village.households": 120, "years": 3, "line_switch.opportunity_probability_per_year": 1.0,
            "cooperatives.0.leader_cash_yuan": 50000}
    policies = ["cooperative", "land_shares", "distribution", "line_switch"]
    large = 30_000  # yuan: more than a 10-mu pilot can lose
    counts = {}
    for pilot in (False, True):
        losses = [simulate(seed=s, overrides={**base, "policies": policies + (["pilot_first"] if pilot else [])}
                           ).final["line_switch_losses_total"] for s in range(30)]
        counts[pilot] = int(np.sum(np.array(losses) > large))
    assert counts[False] >= 5
    assert counts[True] < counts[False] / 2
