"""The books balance: every yuan moves between two accounts; households' income comes from the ledger."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.config import Config
from sim.ledger import CATEGORY_INDEX, Ledger
from sim.model import VillageModel
from sim.policies import registry

SOURCES = registry.sources()
POLICY_NAMES = registry.policy_names()
REQUIRES = registry.requires()


def test_transfer_moves_exact_fen_and_books_income():
    led = Ledger(3, SOURCES)
    market = led.open_account("market")
    led.pay_households(market, np.array([10.004, 0.0, 2.5]), "farm_sales")
    assert led.balance.tolist() == [1000, 0, 250, -1250]  # rounded to the nearest fen
    led.charge_households(np.array([1.0, 0.0, 0.0]), market, "medical_cost")
    assert led.income_fen[CATEGORY_INDEX["farm"]].tolist() == [1000, 0, 250]
    assert led.income_fen[CATEGORY_INDEX["medical"]].tolist() == [-100, 0, 0]
    assert led.imbalance_fen() == 0
    assert led.flows[("farm_sales", "market", "households")] == 1250


def test_transfer_many_between_institutions_and_households():
    led = Ledger(2, SOURCES)
    a, b = led.open_account("a"), led.open_account("b")
    led.transfer_many([a, b, a], [0, 1, b], [1.0, 2.0, 3.0], "dividend")
    assert led.balance.tolist() == [100, 200, -400, 100]
    assert led.income_fen[CATEGORY_INDEX["dividend"]].tolist() == [100, 200]
    assert led.flows[("dividend", "a", "b")] == 300
    assert led.flows[("dividend", "a", "households")] == 100


def test_pay_groups_pays_each_group_from_its_account_and_returns_its_total():
    # cooperative a pays households 0 and 1 (1.004 rounds to 1.00 and 2.00), b pays household 2 (0.50), c pays nobody
    led = Ledger(3, SOURCES)
    a, b, c = led.open_account("a"), led.open_account("b"), led.open_account("c")
    paid = led.pay_groups([a, b, c], [np.array([0, 1]), np.array([2]), np.zeros(0, np.int64)],
                          [np.array([1.004, 2.0]), np.array([0.5]), np.zeros(0)], "dividend")
    assert paid.tolist() == [300, 50, 0]
    assert led.balance.tolist() == [100, 200, 50, -300, -50, 0] and led.imbalance_fen() == 0
    assert led.income_fen[CATEGORY_INDEX["dividend"]].tolist() == [100, 200, 50]
    assert led.pay_groups([a], [np.zeros(0, np.int64)], [np.zeros(0)], "dividend").tolist() == [0]


def test_negative_amounts_are_refused():
    led = Ledger(1, SOURCES)
    acc = led.open_account("x")
    with pytest.raises(ValueError):
        led.transfer(acc, 0, -1.0, "dividend")
    with pytest.raises(ValueError):
        led.pay_households(acc, np.array([-1.0]), "dividend")


def test_every_source_is_unique():
    names = [s.name for s in SOURCES]
    assert len(names) == len(set(names))


def _valid_policies(draw_set):
    chosen = [p for p in POLICY_NAMES if p in draw_set]
    # add what each chosen policy needs
    changed = True
    while changed:
        changed = False
        for p in list(chosen):
            for need in REQUIRES.get(p, ()):
                if need not in chosen:
                    chosen.append(need)
                    changed = True
    return [p for p in POLICY_NAMES if p in chosen]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    households=st.integers(1, 60),
    policies=st.sets(st.sampled_from(POLICY_NAMES)),
    employment=st.floats(0, 1),
    illness=st.floats(0, 2),
    floor=st.floats(0, 800),
    revenue=st.floats(0, 5000),
    member_share=st.floats(0, 1),
    reserve=st.floats(0, 0.5),
    by_tx=st.floats(0, 1),
    seed=st.integers(0, 2**32),
)
def test_books_balance_for_any_config(households, policies, employment, illness, floor, revenue, member_share,
                                      reserve, by_tx, seed):
    cfg = Config.model_validate({
        "years": 2,
        "policies": _valid_policies(policies),
        "village": {"households": households, "initial_ill_share": 0.2},
        "economy": {"local_employment_probability_per_month": employment},
        "health": {**Config().model_dump(mode="json")["health"],
                   "serious": {**Config().model_dump(mode="json")["health"]["serious"],
                               "onsets_per_person_year": illness}},
        "crop_lines": {**Config().model_dump(mode="json")["crop_lines"],
                  "cash_crop": {**Config().model_dump(mode="json")["crop_lines"]["cash_crop"],
                                "revenue_yuan_per_mu_year": revenue}},
        "cooperative": {"initial_member_share": member_share},
        "coop_life": {"member_share_loans": member_share > 0.5, "clean_up_year": 2016},  # loans; shells struck off
        "land_shares": {"guaranteed_floor_yuan_per_mu_year": floor},
        "distribution": {"reserve_share": reserve, "by_transactions_share": by_tx},
    })
    model = VillageModel(config=cfg, rng=seed)
    opening = model.ledger.to_fen(model.hh.opening_savings_yuan)  # before any other transfer
    income_total = np.zeros(model.hh.n, np.int64)
    while model.running:
        model.step()
        if model.month_of_year == 0:  # a year just closed
            income_total += model.last_income_fen.sum(axis=0)
        assert model.ledger.imbalance_fen() == 0
    assert all(row["ledger_imbalance"] == 0 for row in model.history)
    # what households hold now = what they had + income by source + non-income flows (consumption,
    # share capital, refunds, opening balances), all through the ledger
    change = model.ledger.balance[: model.hh.n] - opening
    flows_in = sum(f for e in model.flows_history for (src, frm, to), f in e["flows"].items()
                   if to == "households" and frm != "households" and src != "opening_balance")
    flows_out = sum(f for e in model.flows_history for (src, frm, to), f in e["flows"].items()
                    if frm == "households" and to != "households")
    assert int(change.sum()) == flows_in - flows_out
    income_flows = sum(f if to == "households" else -f
                       for e in model.flows_history for (src, frm, to), f in e["flows"].items()
                       if SOURCES[[s.name for s in SOURCES].index(src)].category is not None
                       and (to == "households") != (frm == "households"))
    assert int(income_total.sum()) == income_flows


def test_default_village_books_balance_every_month():
    model = VillageModel(rng=11, years=3)
    while model.running:
        model.step()
        assert model.ledger.imbalance_fen() == 0
