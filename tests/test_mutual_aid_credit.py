"""Mutual-aid microcredit (docs/model.md §3.10): one loan by hand, a default, re-lending, poor first, the fund's
capital from a funding scenario, and the model-wide properties (books balance, same seed same results,
other mechanisms' draws untouched).

Tiny village (tests/conftest.py): 4 identical member households of 2 persons with 10,000 yuan each, all
registered poor. One line (pigs: +20% after 6 months, never fails); loans of 5,000 yuan at 6% a year.
"""

import numpy as np
import pytest
from conftest import tiny

from sim.config import FundingScenario
from sim.model import VillageModel

POLICIES = ["cooperative", "mutual_aid_credit"]
PIGS = {"pigs": {"net_return_per_yuan": 0.2, "failure_probability": 0.0, "salvage_share": 0.0, "months_to_sale": 6,
                 "choice_share": 1.0}}
CREDIT = {"mutual_aid_credit.capital_yuan_per_village": 5000, "mutual_aid_credit.loan_yuan": 5000,
          "mutual_aid_credit.interest_rate_per_year": 0.06, "mutual_aid_credit.term_months": 12,
          "mutual_aid_credit.lending_month": 2, "mutual_aid_credit.application_probability_per_year": 1.0,
          "mutual_aid_credit.credit_lines": PIGS}


def credit_model(extra=None, years=2, rng=1):
    return VillageModel(config=tiny({"policies": POLICIES, "years": years, **CREDIT, **(extra or {})}), rng=rng)


def run_to(model, month):
    """Step until the end of `month` (months from January of the first year)."""
    while model.month <= month:
        model.step()


def fund_yuan(model):
    return model.ledger.balance[model.policy("mutual_aid_credit").fund[0]] / 100


def test_one_loan_two_instalments_and_the_repaid_capital_lent_again():
    m = credit_model({"mutual_aid_credit.instalments": 2})
    credit, led = m.policy("mutual_aid_credit"), m.ledger
    assert fund_yuan(m) == 5000  # the capital, paid in by the public at the start
    run_to(m, 1)
    assert credit.book.n == 0 and fund_yuan(m) == 5000  # nothing lent before March
    run_to(m, 2)
    assert credit.book.n == 1  # capital for one loan: one of the four applicants gets it
    h = int(credit.book.household[0])
    assert fund_yuan(m) == 0
    other = (h + 1) % 4
    def line_farm():  # the line's farm income: the borrower's farm income less an identical neighbour's
        return (led.income_fen[0, h] - led.income_fen[0, other]) / 100

    assert line_farm() == -5000  # the loan bought the piglets
    run_to(m, 8)  # September: the pigs sell for 6,000; the first instalment falls due
    assert line_farm() == 1000
    # instalment 1: principal 2,500 + interest 5,000 x 6% x 6/12 = 150
    assert fund_yuan(m) == 2650
    assert led.income_fen[7, h] / 100 == -150  # the household's interest cost
    assert credit.book.outstanding_fen[0] == 250_000
    run_to(m, 13)
    assert fund_yuan(m) == 2650
    run_to(m, 14)  # next March: instalment 2 (2,500 + 2,500 x 6% x 6/12 = 75), then the round lends it again
    assert not credit.book.open[0]
    assert credit.book.n == 2 and credit.book.principal_fen[1] == 500_000
    assert fund_yuan(m) == 5000 + 150 + 75 - 5000
    assert m.history[0]["loans_issued"] == 1 and m.history[0]["lending_to_poor_yuan"] == 5000
    assert m.history[0]["loans_outstanding"] == 2500 and m.history[0]["mutual_aid_fund_balance"] == 2650


FAILING_PIGS = {"mutual_aid_credit.credit_lines.pigs.failure_probability": 1.0}  # the line fails; salvage set per test


def test_a_failed_line_and_no_savings_default_the_rest_is_written_off_and_it_is_barred():
    m = credit_model({"mutual_aid_credit.barred_years_after_default": 2, **FAILING_PIGS,
                      "mutual_aid_credit.credit_lines.pigs.salvage_share": 0.4}, years=3)
    credit, led = m.policy("mutual_aid_credit"), m.ledger
    run_to(m, 13)
    h = int(credit.book.household[0])
    assert credit.book.proceeds_fen[0] == 2000_00  # the pigs died: 40% of the 5,000 came back in September
    # the household spends all but 1,000 yuan before the loan falls due (principal 5,000 + interest 300)
    led.transfer(h, m.acct_market, led.balance[h] / 100 - 1000, "consumption")
    run_to(m, 14)
    # it paid the 2,000 the sale brought, more than its 1,000 of savings (interest 300 first, then 1,700 of
    # principal): 1,000 short. Its informal lenders cover that up to its limit: half a year's assessed income
    # (0.5 x 2 persons x 750 = 750 yuan) but at least 3 months of its floor (3 x 2 x 240 = 1,440); of the 440
    # left it consumes 440 (below its floor of 480)
    budget = m.economy.budget
    assert led.balance[h] == 0 and budget.debt_fen[h] == budget.limit_fen[h] == 1440_00
    assert fund_yuan(m) == 2000
    assert not credit.book.open[0] and credit.book.outstanding_fen[0] == 0
    assert credit.book.n == 1  # 2,000 yuan is not a loan: nothing lent this round
    assert credit.barred_until_year[h] == 2  # out of the rounds of 2016 and 2017
    assert not credit.eligible()[h] and credit.eligible().sum() == 3
    m.run()
    y2016 = m.history[1]
    assert y2016["loan_defaults"] == 1 and y2016["loan_default_yuan"] == 3300
    assert m.history[0]["loan_defaults"] == 0
    flows = m.flows_history[1]["flows"]
    assert flows[("mutual_aid_interest", "households", "mutual_aid_fund:0")] == 300_00
    assert flows[("mutual_aid_repayment", "households", "mutual_aid_fund:0")] == 1700_00


def test_a_total_loss_and_no_money_repay_nothing_and_the_whole_loan_is_written_off():
    m = credit_model({**FAILING_PIGS, "mutual_aid_credit.credit_lines.pigs.salvage_share": 0.0})
    credit, led = m.policy("mutual_aid_credit"), m.ledger
    run_to(m, 13)
    h = int(credit.book.household[0])
    led.transfer(h, m.acct_market, led.balance[h] / 100, "consumption")
    m.run()
    assert fund_yuan(m) == 0 and m.history[1]["loan_default_yuan"] == 5000
    assert m.history[1]["mutual_aid_fund_balance"] == 0 and m.history[1]["loans_outstanding"] == 0


def test_a_household_in_debt_still_repays_from_the_sale_of_its_line():
    m = credit_model()
    credit, led = m.policy("mutual_aid_credit"), m.ledger
    run_to(m, 13)
    h = int(credit.book.household[0])
    assert credit.book.proceeds_fen[0] == 6000_00  # the pigs sold for 5,000 x 1.2 in September
    led.transfer(h, m.acct_market, led.balance[h] / 100 + 3000, "consumption")  # 3,000 yuan in debt
    run_to(m, 14)
    # principal and interest (5,300) came from the proceeds held for the fund; 5,000 of it is lent again at once
    assert fund_yuan(m) == 300 and credit.book.n == 2
    assert credit.book.proceeds_fen[0] == 700_00 and not credit.book.open[0]
    # 8,300 short: its lenders cover it to its limit (1,440 yuan, above) and write off the rest; no overdraft
    assert led.balance[h] == 0 and m.economy.budget.debt_fen[h] == 1440_00
    m.run()
    assert m.history[1]["loan_defaults"] == 0 and m.history[1]["loan_default_yuan"] == 0
    flows = m.flows_history[1]["flows"]
    assert flows[("mutual_aid_repayment", "households", "mutual_aid_fund:0")] >= 5000_00


def test_registered_poor_applicants_come_first():
    for poor in range(4):
        m = credit_model(years=1)
        m.hh.registered_poor[:] = False
        m.hh.registered_poor[poor] = True
        run_to(m, 2)
        assert m.policy("mutual_aid_credit").book.household[: 1].tolist() == [poor]


def test_non_members_and_households_without_labour_may_not_borrow():
    m = credit_model(years=1)
    m.hh.coop[0] = -1
    m.hh.labour_units[1] = 0
    assert m.policy("mutual_aid_credit").eligible().tolist() == [False, False, True, True]


def test_a_funding_scenario_splits_its_capital_line_equally_among_villages():
    from tests.test_county import COUNTY

    scenario = FundingScenario(budget_yuan=1_000_000, lines={"mutual_aid_capital": 100_000.01})
    cfg = {"county": COUNTY, "years": 1, "funding": scenario.model_dump(),
           "policies": ["cooperative", "mutual_aid_credit"]}
    m = VillageModel(config=cfg, rng=1)
    fund = m.policy("mutual_aid_credit").fund
    assert (m.ledger.balance[fund] == 3_333_333).all()  # 100,000.01 / 3 villages, in whole fen
    assert m.funder.spent("mutual_aid_capital") == pytest.approx(99_999.99)
    m.run()
    assert m.history[0]["public_spending"] >= 99_999.99
    assert m.history[0]["ledger_imbalance"] == 0


def test_lending_is_paced_by_the_fund_and_the_books_balance_over_years():
    m = VillageModel(rng=5, years=4, overrides={"policies": [
        "cooperative", "land_shares", "wage_contracting", "assistance_fund", "distribution", "mutual_aid_credit"]})
    m.run()
    issued = [row["loans_issued"] for row in m.history]
    assert 0 < issued[0] <= 300_000 / 5000  # never more than the capital allows
    assert all(row["ledger_imbalance"] == 0 for row in m.history)
    for row in m.history:  # the fund's capital is either in the fund, lent out, written off or earned as interest
        assert row["mutual_aid_fund_balance"] >= 0
    written_off = sum(row["loan_default_yuan"] for row in m.history)
    interest = sum(fen for year in m.flows_history for (source, _, _), fen in year["flows"].items()
                   if source == "mutual_aid_interest") / 100
    last = m.history[-1]
    capital_now = last["mutual_aid_fund_balance"] + last["loans_outstanding"]
    assert capital_now == pytest.approx(300_000 - written_off + interest)


def test_same_seed_same_results_and_other_mechanisms_draws_unchanged():
    base = ["cooperative", "land_shares", "wage_contracting", "assistance_fund", "distribution"]

    def trace(policies, seed=3):
        m = VillageModel(rng=seed, years=2, overrides={"policies": policies})
        ill = []
        while m.running:
            m.step()
            ill.append(m.hh.ill.copy())
        return np.array(ill), m

    ill_off, off = trace(base)
    ill_on, on = trace(base + ["mutual_aid_credit", "subsidised_loans"])
    _, again = trace(base + ["mutual_aid_credit", "subsidised_loans"])
    np.testing.assert_array_equal(ill_off, ill_on)
    np.testing.assert_array_equal(off.economy.shock, on.economy.shock)
    assert on.history == again.history
    assert on.history[0]["loans_issued"] > 0 and on.history[-1]["ledger_imbalance"] == 0


def test_paired_households_apply_more_often_by_the_credit_access_multiplier():
    """Same draws with and without pairing: at 0.5 x 2 every paired household applies, so it borrows in every
    seed where capital suffices; unpaired, some do not apply."""
    policies = ["cooperative", "party_organisation", "paired_assistance", "mutual_aid_credit"]
    extra = {"policies": policies, "mutual_aid_credit.capital_yuan_per_village": 20_000,
             "mutual_aid_credit.application_probability_per_year": 0.5,
             "paired_assistance.credit_access_multiplier": 2.0}
    unpaired_loans = []
    for seed in range(8):
        loans = {}
        for paired in (False, True):
            m = credit_model(extra, years=1, rng=seed)
            run_to(m, 0)
            if paired:
                m.hh.paired_member[:] = 0  # as if a member had paired them all (the tiny village has none)
            run_to(m, 2)
            book = m.policy("mutual_aid_credit").book
            loans[paired] = set(book.household[: book.n].tolist())
        assert loans[True] == {0, 1, 2, 3} and loans[False] <= loans[True]
        unpaired_loans.append(len(loans[False]))
    assert min(unpaired_loans) < 4


def test_a_village_lends_the_same_alone_and_in_a_county():
    """Per-village streams and capital: the credit outcomes of village 2 do not depend on its neighbours."""
    from sim.county import county_village_config
    from tests.test_county import county_config, same

    cfg = county_config(policies=["cooperative", "mutual_aid_credit", "subsidised_loans"])
    county = VillageModel(config=cfg, rng=11).run()
    alone = VillageModel(config=county_village_config(cfg, 2), rng=11).run()
    for year, rows in enumerate(alone.village_history):
        assert rows[0]["loans_issued"] > 0
        assert all(same(county.village_history[year][2][k], x) for k, x in rows[0].items())
