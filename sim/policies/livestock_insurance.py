"""Policy livestock insurance (政策性养殖业保险; issue 15, item 2): households' livestock lines insured when they
start, with a subsidised premium, and an indemnity when a line fails.

Every household line a mechanism starts (household business from savings, mutual-aid or subsidised loans:
`sim/loans.py` `HouseholdLines`) is insured for `insured_share` of the money invested, at `premium_rate_share` of
the insured amount; the public purse pays `premium_subsidy_share` of the premium (central and local shares; the
funding line `livestock_insurance`), the household the rest, both into its village's book at the insurer (account
`livestock_insurer:v<v>`). A line that fails (disease, death) is paid the insured amount less what the line's
salvage brings back, at the month the line would have sold. No random draws: failures are the lines' own. With a
funding scenario the line subsidises lines in the order they start until the year's share is spent; the rest go
uninsured.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from sim.declarations import FundingLine, Outcome
from sim.ledger import FEN_PER_YUAN, Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Share, Strict


class LivestockInsuranceParams(Strict):
    """Sources in configs/village.yaml (`livestock_insurance:`)."""

    premium_rate_share: Share = 0.06
    premium_subsidy_share: Share = 0.8
    insured_share: NonNegative = 1.0


class LivestockInsurance(Policy):
    """The insurer's village books for livestock lines; `insure` is called by `HouseholdLines.start`."""

    name = "livestock_insurance"
    Params = LivestockInsuranceParams
    sources = (
        Source("livestock_premium", "farm"),  # what the household pays: a cost of its line
        Source("livestock_premium_subsidy", public_programme=True),
        Source("livestock_indemnity", "farm"),
    )
    outcomes = (
        Outcome("livestock_insured_lines", "lines/year", "Livestock lines insured", "参保养殖项目数", "flow"),
        Outcome("livestock_indemnity_yuan", "yuan/year", "Livestock insurance indemnities paid", "养殖业保险赔款",
                "flow"),
    )
    funding_line = FundingLine(
        "livestock_insurance", "yearly",
        "premium subsidies for policy livestock insurance (政策性养殖业保险): household lines as they start",
        ("livestock_premium_subsidy",))

    def init(self) -> None:
        m = self.model
        nv = m.vill.n
        self.book = m.ledger.open_accounts([f"livestock_insurer:v{v}" for v in range(nv)], range(nv))
        self.insured_year, self.indemnity_year = np.zeros(nv), np.zeros(nv)
        m.line_insurer = self  # type: ignore[attr-defined]  # HouseholdLines.start calls `insure`

    def reset_year(self) -> None:
        nv = self.model.vill.n
        self.insured_year, self.indemnity_year = np.zeros(nv), np.zeros(nv)

    def insure(self, households: np.ndarray, invested_fen: np.ndarray, failed: np.ndarray, revenue_fen: np.ndarray,
               due: np.ndarray) -> None:
        """Insure lines starting now: collect premiums and subsidies; schedule each failed line's indemnity (the
        insured amount less its salvage) for its sale month."""
        m, p = self.model, self.p
        insured = np.floor(invested_fen * p.insured_share)
        premium = np.floor(insured * p.premium_rate_share)
        subsidy = np.floor(premium * p.premium_subsidy_share)
        ok = m.funder.fit("livestock_insurance", subsidy / FEN_PER_YUAN)
        households, insured, premium, subsidy = households[ok], insured[ok], premium[ok], subsidy[ok]
        book = self.book[m.hh.village[households]]
        m.ledger.transfer_many(households, book, (premium - subsidy) / FEN_PER_YUAN, "livestock_premium")
        m.ledger.transfer_many(m.acct_public, book, subsidy / FEN_PER_YUAN, "livestock_premium_subsidy")
        self.insured_year += np.bincount(m.hh.village[households], minlength=m.vill.n)
        owed = np.where(failed[ok], np.maximum(insured - revenue_fen[ok], 0), 0)
        due = due[ok]
        for month in np.unique(due[owed > 0]):
            sel = (due == month) & (owed > 0)
            m.calendar.at(int(month), partial(self._indemnify, households[sel], book[sel], owed[sel]))

    def _indemnify(self, households: np.ndarray, book: np.ndarray, owed_fen: np.ndarray) -> None:
        m = self.model
        m.ledger.transfer_many(book, households, owed_fen / FEN_PER_YUAN, "livestock_indemnity")
        self.indemnity_year += np.bincount(m.hh.village[households], weights=owed_fen / FEN_PER_YUAN,
                                           minlength=m.vill.n)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"livestock_insured_lines": self.insured_year.copy(),
                "livestock_indemnity_yuan": self.indemnity_year.copy()}
