"""The household budget (issue 14, item 5): buffer-stock consumption, informal borrowing up to a limit, debt.

Always on, owned by the economy; it settles each household's month after every mechanism has paid and
charged it (the `settle` phase). Consumption is the subsistence floor plus a share of cash on hand above a
target buffer (a buffer-stock rule: Deaton 1991, Carroll 1997). A shortfall is borrowed from relatives and
moneylenders (the `informal_lenders` account) at a monthly interest rate, up to a borrowing limit of a
multiple of the household's expected yearly income; debt is household state, repaid from later income
before anything is consumed above the floor. Consumption that would take a household past its limit is
cut to what it can still borrow (hardship). Medical care a household can neither pay nor borrow for is
forgone (the month's out-of-pocket cost beyond its cash and credit goes back from the health account);
other obligations beyond the limit (interest at the limit) are lent and written off by the lenders: no money
is created, and no household ends a month with cash below zero or debt above its limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.kernels import kernel
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict

if TYPE_CHECKING:
    from sim.interface import Model


class HouseholdBudgetParams(Strict):
    """Consumption and informal credit. Sources in configs/village.yaml."""

    subsistence_yuan_per_person_month: NonNegative = 240  # the 2015 poverty line's basket, 2,855/12 (NBS)
    buffer_target_months: NonNegative = 3  # cash kept back, in months of the floor (assumption)
    consumption_share_above_buffer_per_month: Share = 0.05  # assumption (buffer-stock MPC, Carroll 1997)
    informal_credit: bool = True  # off: no lending; consumption is cut to cash on hand
    interest_rate_per_month: float = Field(default=0.005, ge=0, le=0.2)  # blended: most loans from kin are free
    borrowing_limit_years_of_income: NonNegative = 0.5  # limit as a multiple of expected yearly income
    borrowing_limit_min_months_of_floor: NonNegative = 3  # kin lend anyone a few months' food (assumption)


OUTCOMES = ("households_in_debt", "informal_debt_yuan", "informal_interest_yuan", "hardship_households",
            "informal_debt_written_off_yuan", "medical_care_forgone_yuan")


def budget_month(cash_fen: np.ndarray, debt_fen: np.ndarray, limit_fen: np.ndarray, floor_fen: np.ndarray,
                 target_fen: np.ndarray, share: float, rate: float) -> dict[str, np.ndarray]:
    """One month's settlement of every household, all in integer fen (the compiled kernel or its numpy twin).

    Net cash x = cash - debt - interest; wanted consumption = floor + share * max(x - target, 0), cut to
    x + limit (never below 0). What is left repays debt; a shortfall is borrowed; debt beyond the limit
    (obligations consumption cannot absorb) is written off.
    """
    parts = _budget(cash_fen, debt_fen, limit_fen, floor_fen, target_fen, float(share), float(rate))
    return dict(zip(("interest", "consumption", "repayment", "loan", "debt", "written_off", "hardship"), parts,
                    strict=True))


def _budget_numpy(cash_fen, debt_fen, limit_fen, floor_fen, target_fen, share, rate):
    interest = np.rint(debt_fen * rate).astype(np.int64)
    net = cash_fen - debt_fen - interest
    wanted = floor_fen + np.rint(share * np.maximum(net - target_fen, 0)).astype(np.int64)
    consumption = np.clip(wanted, 0, np.maximum(net + limit_fen, 0))
    after = cash_fen - interest - consumption
    repayment = np.clip(after, 0, debt_fen)
    loan = np.maximum(-after, 0)
    debt = debt_fen - repayment + loan
    written_off = np.maximum(debt - limit_fen, 0)
    return interest, consumption, repayment, loan, debt - written_off, written_off, consumption < floor_fen


@kernel(_budget_numpy)
def _budget(cash_fen, debt_fen, limit_fen, floor_fen, target_fen, share, rate):
    """`budget_month`, one household at a time."""
    n = cash_fen.size
    interest, consumption, repayment = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    loan, debt, written_off = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    hardship = np.empty(n, np.bool_)
    for i in range(n):
        interest[i] = np.int64(np.rint(debt_fen[i] * rate))
        net = cash_fen[i] - debt_fen[i] - interest[i]
        wanted = floor_fen[i] + np.int64(np.rint(share * max(net - target_fen[i], 0)))
        consumption[i] = min(max(wanted, 0), max(net + limit_fen[i], 0))
        after = cash_fen[i] - interest[i] - consumption[i]
        repayment[i] = min(max(after, 0), debt_fen[i])
        loan[i] = max(-after, 0)
        owed = debt_fen[i] - repayment[i] + loan[i]
        written_off[i] = max(owed - limit_fen[i], 0)
        debt[i] = owed - written_off[i]
        hardship[i] = consumption[i] < floor_fen[i]
    return interest, consumption, repayment, loan, debt, written_off, hardship


class HouseholdBudget(Policy):
    """Each household's debt and borrowing limit; books consumption, loans, repayments and interest.

    Always on, a sub-part of the economy: the economy builds it and calls its hooks."""

    name = "household_budget"
    Params = HouseholdBudgetParams
    always_on = True
    # informal credit from relatives and moneylenders: principal is not income, interest is a cost
    sources = (
        Source("informal_loan"),
        Source("informal_repayment"),
        Source("informal_interest", "interest"),
        Source("medical_care_forgone", "medical"),  # care a household could neither pay nor borrow for, not given
    )
    outcomes = (
        Outcome("households_in_debt", "households", "Households owing informal debt (year end)",
                "有民间借贷欠款的农户(年末)", "stock"),
        Outcome("informal_debt_yuan", "yuan", "Informal debt outstanding (year end)", "民间借贷余额(年末)", "stock"),
        Outcome("informal_interest_yuan", "yuan/year", "Interest paid on informal debt", "民间借贷利息支出", "flow"),
        Outcome("hardship_households", "households", "Households consuming below subsistence in some month",
                "生活消费低于温饱线的农户", "stock"),
        Outcome("informal_debt_written_off_yuan", "yuan/year", "Informal debt beyond the limit written off by lenders",
                "超出借贷上限由债主核销的欠款", "flow"),
        Outcome("medical_care_forgone_yuan", "yuan/year", "Medical care forgone: unaffordable beyond cash and credit",
                "因无力支付且借贷无门而放弃的医疗", "flow"),
    )

    def __init__(self, model: Model, params: HouseholdBudgetParams) -> None:
        self.model, self.p = model, params
        n = model.hh.n
        self.debt_fen = np.zeros(n, np.int64)
        self.limit_fen = np.zeros(n, np.int64)
        self.lenders = model.ledger.open_account("informal_lenders")
        self._year = dict.fromkeys(("interest", "written_off", "care_forgone"), np.zeros(n, np.int64))
        self.hardship_year = np.zeros(n, bool)

    def year_start(self) -> None:
        """The limit: a multiple of the expected yearly income (assessed at the start, in this year's
        prices), at least a few months of the floor; it never falls, so debt taken under it stays within it."""
        m, p = self.model, self.p
        expected = np.maximum(m.assessed_income_per_capita, 0.0) * m.hh.persons * m.price_index
        floor = m.hh.persons * p.subsistence_yuan_per_person_month * m.price_index
        limit_yuan = np.maximum(expected * p.borrowing_limit_years_of_income,
                                floor * p.borrowing_limit_min_months_of_floor)
        limit = m.ledger.to_fen(limit_yuan) if p.informal_credit else 0
        self.limit_fen = np.maximum(self.limit_fen, limit)
        self._year = {k: np.zeros(m.hh.n, np.int64) for k in self._year}
        self.hardship_year[:] = False

    def forgo_care(self, medical_fen: np.ndarray) -> None:
        """Care the household can neither pay nor borrow for is not given: this month's out-of-pocket medical
        cost (`medical_fen`) beyond its cash and remaining credit goes back from the health account
        (`medical_care_forgone`), before the month is settled."""
        m, led = self.model, self.model.ledger
        ill = np.flatnonzero(medical_fen > 0)  # few households are ill: the rest need no check
        rate = self.p.interest_rate_per_month if self.p.informal_credit else 0.0
        debt = self.debt_fen[ill]
        excess = debt + np.rint(debt * rate).astype(np.int64) - self.limit_fen[ill] - led.balance[ill]
        forgone = np.zeros(m.hh.n, np.int64)
        forgone[ill] = np.clip(excess, 0, medical_fen[ill])
        if forgone.any():
            led.pay_households_fen(m.acct_health, forgone, "medical_care_forgone")
            self._year["care_forgone"] += forgone

    def settle(self) -> None:
        """Settle the month: interest, consumption, repayment or a new loan, each booked in the ledger."""
        m, p, led = self.model, self.p, self.model.ledger
        self.forgo_care(m.economy.medical_out_of_pocket_fen())
        floor_yuan = m.hh.persons * p.subsistence_yuan_per_person_month * m.price_index
        floor = led.to_fen(floor_yuan)
        r = budget_month(led.balance[: m.hh.n].copy(), self.debt_fen, self.limit_fen, floor,
                         led.to_fen(floor_yuan * p.buffer_target_months), p.consumption_share_above_buffer_per_month,
                         p.interest_rate_per_month if p.informal_credit else 0.0)
        led.pay_households_fen(self.lenders, r["loan"], "informal_loan")
        led.charge_households_fen(r["interest"], self.lenders, "informal_interest")
        led.charge_households_fen(r["consumption"], m.acct_market, "consumption")
        led.charge_households_fen(r["repayment"], self.lenders, "informal_repayment")
        self.debt_fen = r["debt"]
        self._year["interest"] += r["interest"]
        self._year["written_off"] += r["written_off"]
        self.hardship_year |= r["hardship"]

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        """Per village, at the year end: households in debt, their debt, the year's interest and write-offs,
        households that consumed below the floor in some month."""
        hh, nv = self.model.hh, self.model.vill.n
        per_village = lambda x: np.bincount(hh.village, weights=x.astype(np.float64), minlength=nv)  # noqa: E731
        return {"households_in_debt": per_village(self.debt_fen > 0),
                "informal_debt_yuan": per_village(self.debt_fen) / 100,
                "informal_interest_yuan": per_village(self._year["interest"]) / 100,
                "hardship_households": per_village(self.hardship_year),
                "informal_debt_written_off_yuan": per_village(self._year["written_off"]) / 100,
                "medical_care_forgone_yuan": per_village(self._year["care_forgone"]) / 100}
