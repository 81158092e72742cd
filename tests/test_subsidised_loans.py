"""Subsidised and party-member loans (docs/model.md §3.11): the cooperative's loan, its interest and the public
subsidy by hand, the subsidy stopping when the funding line runs out, and party-member farm loans.

Tiny village (tests/conftest.py): one cooperative, no party members unless a test adds them. Loans at 5%
a year: 300,000 yuan cost 15,000 yuan of interest a year.
"""

import pytest
from conftest import tiny

from sim.config import FundingScenario
from sim.model import VillageModel

LOANS = {"subsidised_loans.coop_loan_yuan": 300_000, "subsidised_loans.bank_rate_per_year": 0.05,
         "subsidised_loans.term_years": 2, "subsidised_loans.renew_loans": False,
         "subsidised_loans.party_member_share_per_year": 0.0}
PIGS = {"pigs": {"net_return_per_yuan": 0.2, "failure_probability": 0.0, "salvage_share": 0.0, "months_to_sale": 6,
                 "choice_share": 1.0}}


def run(extra=None, policies=("cooperative", "subsidised_loans"), years=3):
    return VillageModel(config=tiny({"policies": list(policies), "years": years, **LOANS, **(extra or {})}),
                        rng=1).run()


def column(model, name):
    return [row[name] for row in model.history]


def test_the_cooperative_borrows_pays_interest_yearly_and_the_principal_at_the_end():
    m = run()
    assert column(m, "subsidised_loans_outstanding") == [300_000, 0, 0]  # repaid in the second December
    assert column(m, "interest_subsidy_yuan") == [15_000, 15_000, 0]  # 5% x 300,000, subsidised in full
    assert column(m, "public_spending") == [15_000, 15_000, 0]
    assert m.ledger.balance[m.policy("subsidised_loans").bank] == 2 * 15_000_00  # the bank earned the interest
    flows = m.flows_history[0]["flows"]
    assert flows[("bank_loan", "bank", "coop:0:coop")] == 300_000_00
    assert flows[("interest_subsidy", "public", "coop:0:coop")] == 15_000_00
    assert flows[("subsidised_interest", "coop:0:coop", "bank")] == 15_000_00
    assert ("bank_interest", "coop:0:coop", "bank") not in flows
    assert m.flows_history[1]["flows"][("bank_repayment", "coop:0:coop", "bank")] == 300_000_00
    # fully subsidised, the loan costs the cooperative nothing
    assert column(m, "coop_profit") == column(run(policies=("cooperative",)), "coop_profit")
    assert m.history[-1]["ledger_imbalance"] == 0


def test_a_partial_subsidy_leaves_the_rest_of_the_interest_to_the_cooperative():
    m = run({"subsidised_loans.subsidy_share": 0.6})
    base = run(policies=("cooperative",))
    assert column(m, "interest_subsidy_yuan") == [9_000, 9_000, 0]  # 0.6 x 15,000
    profit_gap = [a - b for a, b in zip(column(base, "coop_profit"), column(m, "coop_profit"), strict=True)]
    # 6,000 of interest against a profit of 1,400: a loss of 4,600 a year exhausts the 4,000 of cash shares in the
    # second year, so the cooperative fails (coop_life.py) and earns nothing in the third
    assert profit_gap == [6_000, 6_000, 1_400]
    assert m.coops.failed[0] and m.history[1]["coop_insolvent"] == 1
    assert m.flows_history[0]["flows"][("bank_interest", "coop:0:coop", "bank")] == 6_000_00


def test_a_renewed_loan_is_taken_again_after_it_is_repaid():
    m = run({"subsidised_loans.renew_loans": True}, years=4)
    assert column(m, "subsidised_loans_outstanding") == [300_000, 0, 300_000, 0]
    assert column(m, "interest_subsidy_yuan") == [15_000] * 4


def test_the_subsidy_stops_when_the_funding_line_is_spent():
    scenario = FundingScenario(budget_yuan=20_000, lines={"interest_subsidy": 20_000})
    m = run({"funding": scenario.model_dump(), "subsidised_loans.term_years": 3})
    base = run(policies=("cooperative",))
    # 15,000 fits the 20,000 line; the second year's 15,000 does not fit the 5,000 left: the borrower pays it all
    assert column(m, "interest_subsidy_yuan") == [15_000, 0, 0]
    assert m.funder.spent("interest_subsidy") == 15_000 and m.funder.remaining("interest_subsidy") == 5_000
    profit_gap = [a - b for a, b in zip(column(base, "coop_profit"), column(m, "coop_profit"), strict=True)]
    assert profit_gap == [0, 15_000, 15_000]
    assert m.history[-1]["ledger_imbalance"] == 0


def test_party_members_borrow_start_a_line_and_bear_the_unsubsidised_interest():
    m = run({"village.party_member_household_share": 1.0, "subsidised_loans.coop_loan_yuan": 0,
             "subsidised_loans.party_member_share_per_year": 1.0, "subsidised_loans.party_member_loan_yuan": 50_000,
             "subsidised_loans.party_member_term_years": 1, "subsidised_loans.subsidy_share": 0.5,
             "subsidised_loans.credit_lines": PIGS}, policies=("cooperative", "subsidised_loans"), years=2)
    base = run({"village.party_member_household_share": 1.0}, policies=("cooperative",), years=2)
    party = (m.hh.party_members > 0).sum()
    assert party == 4
    assert column(m, "party_member_loans") == [4, 4]  # repaid each December, borrowed again in January
    assert column(m, "interest_subsidy_yuan") == [4 * 1_250, 4 * 1_250]  # half of 5% x 50,000
    assert column(m, "subsidised_loans_outstanding") == [0, 0]
    persons = 8
    # the line: 50,000 of piglets sold for 60,000; interest: the household's half, 1,250 each
    assert m.history[0]["income_per_capita_farm"] - base.history[0]["income_per_capita_farm"] == pytest.approx(
        4 * 10_000 / persons)
    assert m.history[0]["income_per_capita_interest"] == pytest.approx(-4 * 1_250 / persons)
    assert m.history[-1]["ledger_imbalance"] == 0
