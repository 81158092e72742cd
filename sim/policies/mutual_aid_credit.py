"""Mutual-aid microcredit (docs/model.md §3.10, 扶贫互助资金; seed 001): each village's revolving fund, its capital,
its yearly lending round, the household lines its loans finance, repayments, defaults and re-lending.

The fund (`mutual_aid_fund:<v>`) is paid its capital by the funder at the start. Once a year, in
`lending_month` (household lines are bought in spring), cooperative members with labour apply with
`application_probability_per_year` (times a paired household's credit access under paired_assistance);
registered-poor applicants come first, and the fund lends `loan_yuan` to each in turn while its balance
covers it. Yearly rather than monthly rounds: the lines are seasonal, real funds lend in rounds, and a
round is one pass over each village's arrays a year. A loan finances a household line (sim/loans.py) and
is repaid in `instalments` equal parts of principal, each with interest on what is outstanding, as dated
events (one per due month, carrying the loans due). Repayments due in the lending month come before the
round, so repaid capital is lent again at once. A borrower repays from its savings or, when they fall
short, from the sale of the line the loan financed: the proceeds are held for the fund (the animals are
sold to repay; borrowers stand surety for each other in joint-liability groups, 联保), whatever else the
household owes. An instalment beyond both is paid as far as they allow (interest first); the rest of the
loan's principal is written off and the household is barred from the next `barred_years_after_default`
rounds. So a loan defaults when its line fails and the household has no savings to cover the loss.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from pydantic import Field, model_validator

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.loans import (
    CREDIT_LINE_SOURCES,
    CreditLineParams,
    HouseholdLines,
    LoanBook,
    LoanRows,
    choose_lines,
    default_credit_lines,
)
from sim.policies.base import Policy
from sim.policies.paired_assistance import PairedAssistance
from sim.schema import Month, NonNegative, Share, Strict

STREAM = "mutual_aid_credit"


class MutualAidCreditParams(Strict):
    """Sources in configs/village.yaml."""

    capital_yuan_per_village: NonNegative = 300_000  # seed 001: 资本金30万元 per village's mutual-aid fund
    lending_month: Month = 2  # March: piglets, calves and chicks are bought in spring (assumption)
    loan_yuan: float = Field(default=5000, gt=0)  # seed 001: 1.2M yuan to poor households (~240 loans of 5,000)
    interest_rate_per_year: Share = 0.06  # low occupation fee (占用费) below bank rates (assumption)
    term_months: int = Field(default=12, ge=1, le=60)  # about a year (docs/model.md §3.10)
    instalments: int = Field(default=1, ge=1, le=60)  # equal principal parts over the term (1: all at the end)
    application_probability_per_year: Share = 0.3  # eligible households asking for a loan in a round (assumption)
    members_only: bool = True  # seed 001: small loans 向社员提供 (to the cooperative's members)
    poor_first: bool = True  # seed 001: lent to poor households first (向贫困户发放互助资金)
    barred_years_after_default: int = Field(default=2, ge=0, le=50)  # rounds a defaulter sits out (assumption)
    credit_lines: dict[str, CreditLineParams] = Field(default_factory=default_credit_lines)

    @model_validator(mode="after")
    def _instalments_divide_term(self) -> MutualAidCreditParams:
        if self.term_months % self.instalments:
            raise ValueError(f"instalments ({self.instalments}) must divide term_months ({self.term_months})")
        if not self.credit_lines or sum(line.choice_share for line in self.credit_lines.values()) <= 0:
            raise ValueError("credit_lines: at least one line with a positive choice_share")
        return self


class MutualAidCredit(Policy):
    name = "mutual_aid_credit"
    Params = MutualAidCreditParams
    requires = ("cooperative",)  # the fund lends to members; seed 001's funds sit in the cooperatives
    after = ("distribution",)  # after the cooperatives' accounts
    sources = (
        Source("mutual_aid_capital", public_programme=True),  # capital put into a village's mutual-aid fund
        Source("mutual_aid_loan"),  # a mutual-aid fund lends to a household
        Source("mutual_aid_repayment"),  # principal back to the fund
        Source("mutual_aid_interest", "interest"),  # the fund's interest (occupation fee)
        *CREDIT_LINE_SOURCES,
    )
    outcomes = (
        Outcome("mutual_aid_fund_balance", "yuan", "Mutual-aid fund balance (year end)",
                "扶贫互助资金余额(年末)", "stock"),
        Outcome("loans_outstanding", "yuan", "Mutual-aid loans outstanding (year end)",
                "互助资金贷款余额(年末)", "stock"),
        Outcome("loans_issued", "loans/year", "Mutual-aid loans issued", "互助资金发放笔数", "flow"),
        Outcome("loan_defaults", "loans/year", "Mutual-aid loans defaulted", "互助资金违约笔数", "flow"),
        Outcome("loan_default_yuan", "yuan/year", "Mutual-aid principal written off", "互助资金核销本金", "flow"),
        Outcome("lending_to_poor_yuan", "yuan/year", "Mutual-aid lending to registered-poor households",
                "向建档立卡贫困户发放互助资金", "flow"),
    )
    funding_line = FundingLine(
        "mutual_aid_capital", "start",
        "capital of each village's mutual-aid fund: the line split equally among villages",
        ("mutual_aid_capital",))

    def init(self) -> None:
        m, nv = self.model, self.model.vill.n
        self.fund = m.ledger.open_accounts([f"mutual_aid_fund:{v}" for v in range(nv)], range(nv))
        if m.funder.limited:  # a scenario's line, split equally among villages, never more than the line
            capital_fen = int(np.floor(m.funder.available("mutual_aid_capital") * 100 / nv + 1e-6)) if nv else 0
            capital = np.full(nv, capital_fen / 100)
        else:
            capital = np.full(nv, self.p.capital_yuan_per_village)
        m.ledger.transfer_many(m.acct_public, self.fund, capital, "mutual_aid_capital")
        self.book = LoanBook()
        self.household_lines = HouseholdLines(m, self.p.credit_lines, "credit_line_purchase", "credit_line_sales")
        self.barred_until_year = np.full(m.hh.n, -1, np.int64)  # last year index a defaulter may not borrow
        self.has_loan = np.zeros(m.hh.n, bool)
        self._reset_year()

    def _reset_year(self) -> None:
        nv = self.model.vill.n
        self.issued_year = np.zeros(nv)
        self.defaults_year = np.zeros(nv)
        self.default_yuan_year = np.zeros(nv)
        self.to_poor_yuan_year = np.zeros(nv)

    def year_start(self) -> None:
        m = self.model
        self._reset_year()
        self.book.compact()  # last year's closed loans leave the book
        # queued behind the repayments due that month (scheduled a year earlier), so repaid capital is re-lent
        m.calendar.at(m.month + self.p.lending_month, self.lend)

    # -- lending round ----------------------------------------------------------------------------
    def eligible(self) -> np.ndarray:
        m, hh = self.model, self.model.hh
        ok = (hh.labour_units > 0) & ~self.has_loan & (self.barred_until_year < m.year_index)
        return ok & (hh.coop >= 0) if self.p.members_only else ok

    def lend(self) -> None:
        """The year's round: each village's applicants, poor first, while the fund's balance lasts."""
        m, hh, p = self.model, self.model.hh, self.p
        eligible = self.eligible()
        pairing = m.mechanism(PairedAssistance)
        access = pairing.credit_access() if pairing is not None else np.ones(hh.n)
        loan_fen = int(round(p.loan_yuan * 100))
        chosen, lines, u_fails = [], [], []
        for v in range(m.vill.n):
            sl = m.village_slice(v)
            rng = m.village_rng(STREAM, v)
            n = sl.stop - sl.start
            u_apply, u_line, u_fail = rng.random(n), rng.random(n), rng.random(n)  # fixed-size draws (CRN)
            applies = eligible[sl] & (u_apply < np.minimum(p.application_probability_per_year * access[sl], 1.0))
            idx = np.flatnonzero(applies)
            first = ~hh.registered_poor[sl][idx] if p.poor_first else np.zeros(idx.size, bool)
            idx = idx[np.lexsort((u_apply[idx], first))]
            n_loans = min(idx.size, int(m.ledger.balance[self.fund[v]] // loan_fen))
            idx = idx[:n_loans]
            chosen.append(sl.start + idx)
            lines.append(choose_lines(u_line[idx], p.credit_lines))
            u_fails.append(u_fail[idx])
        households = np.concatenate(chosen)
        if households.size == 0:
            return
        line = np.concatenate(lines)
        village = hh.village[households]
        principal = np.full(households.size, loan_fen, np.int64)
        m.ledger.transfer_many(self.fund[village], households, principal / 100, "mutual_aid_loan")
        sale_month, proceeds = self.household_lines.start(households, principal, line, np.concatenate(u_fails))
        ids = self.book.add(household=households, village=village, principal_fen=principal,
                            outstanding_fen=principal, month=np.full(households.size, m.month), line=line,
                            sale_month=sale_month, proceeds_fen=proceeds)
        self.has_loan[households] = True
        nv = m.vill.n
        self.issued_year += np.bincount(village, minlength=nv)
        poor = hh.registered_poor[households]
        self.to_poor_yuan_year += np.bincount(village[poor], weights=principal[poor], minlength=nv) / 100
        step, rows = p.term_months // p.instalments, self.book.track(ids)
        for i in range(1, p.instalments + 1):
            m.calendar.at(m.month + i * step, partial(self.repay, rows, i))

    # -- repayments -------------------------------------------------------------------------------
    def instalment_fen(self, ids: np.ndarray, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(principal, interest) due on loans `ids` at instalment i of `instalments` (fen)."""
        p, b = self.p, self.book
        k = p.instalments
        part = b.principal_fen[ids] // k
        principal = b.outstanding_fen[ids] if i == k else np.minimum(part, b.outstanding_fen[ids])
        interest = np.rint(b.outstanding_fen[ids] * p.interest_rate_per_year * (p.term_months // k) / 12)
        return principal, interest.astype(np.int64)

    def repay(self, rows: LoanRows, i: int) -> None:
        """Instalment i of loans `rows`: each pays from its savings or, beyond them, from its line's sale
        proceeds not yet paid over, interest first; a shortfall is a default: the rest of the principal is
        written off and the household barred."""
        m, b = self.model, self.book
        ids = rows.ids[b.open[rows.ids]]
        if ids.size == 0:
            return
        households, village = b.household[ids], b.village[ids]
        principal, interest = self.instalment_fen(ids, i)
        due = principal + interest
        proceeds = np.where(b.sale_month[ids] <= m.month, b.proceeds_fen[ids], 0)  # held for the fund once sold
        paid = np.minimum(due, np.maximum(np.maximum(m.ledger.balance[households], 0), proceeds))
        b.proceeds_fen[ids] = np.maximum(b.proceeds_fen[ids] - paid, 0)
        interest_paid = np.minimum(paid, interest)
        principal_paid = paid - interest_paid
        m.ledger.transfer_many(households, self.fund[village], interest_paid / 100, "mutual_aid_interest")
        m.ledger.transfer_many(households, self.fund[village], principal_paid / 100, "mutual_aid_repayment")
        b.outstanding_fen[ids] -= principal_paid
        short = paid < due
        nv = m.vill.n
        self.defaults_year += np.bincount(village[short], minlength=nv)
        self.default_yuan_year += np.bincount(village[short], weights=b.outstanding_fen[ids][short], minlength=nv) / 100
        b.outstanding_fen[ids[short]] = 0
        # barred from the next N rounds (this year's is still to come when it falls due by the lending month)
        next_round = m.year_index if m.month_of_year <= self.p.lending_month else m.year_index + 1
        self.barred_until_year[households[short]] = next_round + self.p.barred_years_after_default - 1
        closed = short | (b.outstanding_fen[ids] == 0)
        b.open[ids[closed]] = False
        self.has_loan[households[closed]] = False

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        m, b, nv = self.model, self.book, self.model.vill.n
        return {
            "mutual_aid_fund_balance": m.ledger.balance[self.fund] / 100,
            "loans_outstanding": b.by_village(b.outstanding_fen, b.open, nv),
            "loans_issued": self.issued_year.copy(),
            "loan_defaults": self.defaults_year.copy(),
            "loan_default_yuan": self.default_yuan_year.copy(),
            "lending_to_poor_yuan": self.to_poor_yuan_year.copy(),
        }
