"""Lease-back (sim/policies/lease_back.py) on the tiny village (tests/conftest.py): the 4 households pool 1 mu each
(4 mu of cash crop: 2,400 yuan/mu, cost 1,000/mu, 4 field-management days/mu, one harvest in July); the cooperative
leases all 4 mu back. Each household has 2 labour units, so room for 2 mu (`max_contract_mu_per_labour_unit` 1):
members who pooled most first, ties by household: households 0 and 1 farm 2 mu each.

A plot farmer (2 mu, no luck, shock one): the crop 4,800, paid 4,800 x 0.9 = 4,320 by the cooperative; the line's
cost 2 x 1,000 = 2,000 and the back rent 2 x 500 = 1,000: net 1,320 (8 field-management days a year, all worked).
The cooperative: sales 9,600 + back rent 2,000 - paid to farmers 8,640 - management 1,400 - rent to the land's owners
4 x 400 = 1,600: profit -40 (-40.04: the cooperative books its management cost in twelfths of 116.67)."""

import numpy as np
import pytest
from conftest import tiny

from sim.ledger import CATEGORY_INDEX
from sim.model import VillageModel

POLICIES = ["cooperative", "lease_back"]


def model(extra=None) -> VillageModel:
    return VillageModel(config=tiny({"policies": POLICIES, "lease_back.farmer_yield_sd": 0.0, **(extra or {})}), rng=1)


def test_plots_go_to_members_with_labour_and_the_cooperative_farms_none_itself():
    m = model().run()
    lb = m.policy("lease_back")
    assert lb.plot_mu.tolist() == [2, 2, 0, 0] and lb.plot_coop.tolist() == [0, 0, -1, -1]
    assert m.coops.farmed_share[0] == 0 and m.hh.contract_mu.sum() == 0
    assert m.history[0]["lease_back_mu"] == 4


def test_the_farmers_and_the_cooperative_accounts():
    m = model().run()
    y, lb = m.history[0], m.policy("lease_back")
    assert lb.net_year.tolist() == pytest.approx([1320, 1320, 0, 0])
    assert y["lease_back_farmer_net_yuan"] == pytest.approx(2640) and y["back_rent_yuan"] == pytest.approx(2000)
    assert y["coop_sales"] == pytest.approx(9600)
    assert y["coop_profit"] == pytest.approx(-40, abs=0.05)
    assert y["land_payments_paid"] == pytest.approx(1600)
    assert y["ledger_imbalance"] == 0


def test_the_farmers_keep_the_production_risk():
    """A line shock of 0.5: each farmer gets 2,400 x 0.9 = 2,160 and nets 2,160 - 3,000 = -840; the cooperative
    loses only half its margin: 4,800 + 2,000 - 4,320 - 1,400 - 1,600 = -520."""
    m = model()
    m.step()  # January: the year's shocks are drawn
    m._line_shock[:] = 0.5
    m.run()
    assert m.policy("lease_back").net_year.tolist() == pytest.approx([-840, -840, 0, 0])
    assert m.history[0]["coop_profit"] == pytest.approx(-520, abs=0.05)


def test_a_household_without_labour_gets_no_plot():
    m = model()
    m.hh.labour_units[0] = 0.0
    m.run()
    assert m.policy("lease_back").plot_mu.tolist() == [0, 2, 2, 0]


def test_the_plots_are_farm_income():
    """Household 0's farm income: its own mu of grain (as without lease-back) plus the plot's 1,320."""
    base = VillageModel(config=tiny({"policies": ["cooperative"]}), rng=1).run()
    m = model().run()
    farm = CATEGORY_INDEX["farm"]
    diff = (m.last_income_fen[farm] - base.last_income_fen[farm]) / 100
    assert diff.tolist() == pytest.approx([1320, 1320, 0, 0])
    assert np.all(m.last_income_fen[CATEGORY_INDEX["wage"]] == 0)  # no field-management wages: nothing to contract


def test_the_pro_forma_profit_counts_the_leased_land():
    """coop_life judges the cooperative by its pro-forma profit: the 4 leased mu earn 2 x 2 mu x (500 back rent +
    10% x 2,400 margin) = 2,960 less 4 x 400 rent = 1,360; it farms nothing itself, management 1,400: -40."""
    m = model().run()
    assert m.coops.expected_other_income_yuan[0] == pytest.approx(1360)
    assert m.policy("cooperative").life.expected_profit_yuan()[0] == pytest.approx(-40)
