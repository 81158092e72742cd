"""The reserve (公积金; issue 15, item 2): what the distribution rule sets aside absorbs the cooperative's
losses and smooths its members' dividends.

- Losses: when a cooperative's year closes at a loss (the guaranteed floor for land shares, 保底, is among
  its costs), the reserve pays the loss back into the cooperative's account as far as it holds money
  (`reserve_drawdown`); what it cannot cover stays a loss on the cooperative's own equity. A loss the
  reserve covers in full is not a losing year (`loss_years`); failure comes when losses exhaust the equity
  and the reserve together (coop_life.py).
- Dividends: after the distribution, members whose dividends fall short of `dividend_floor_share` of the
  cooperative's mean dividends over the last `smoothing_years` are topped up from what the reserve still
  holds, by shares (`reserve_dividend`, counted in the year's dividends).

Needs `distribution` (it owns the reserve accounts). All money moves through the ledger.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.distribution import Distribution
from sim.policies.land_shares import LandShares
from sim.schema import Share, Strict


class ReserveParams(Strict):
    """Sources in configs/village.yaml (`reserve:`)."""

    absorb_losses: bool = True
    dividend_floor_share: Share = 0.5
    smoothing_years: int = Field(default=3, ge=1, le=20)


class Reserve(Policy):
    name = "reserve"
    Params = ReserveParams
    requires = ("cooperative", "distribution")  # the distribution rule fills the reserve
    # after the split (it tops up what the distribution paid); before the loans, which are repaid from the
    # cooperative's account at the year end
    after = ("assistance_fund", "distribution")
    before = ("mutual_aid_credit", "subsidised_loans")
    sources = (
        Source("reserve_drawdown"),  # the reserve pays a loss back into the cooperative's account
        Source("reserve_dividend", "dividend"),  # dividends topped up from the reserve
    )
    outcomes = (
        Outcome("reserve_drawdown_yuan", "yuan/year", "Losses paid back from the reserve", "公积金弥补亏损", "flow"),
        Outcome("reserve_dividend_yuan", "yuan/year", "Dividends topped up from the reserve", "公积金补足分红",
                "flow"),
    )

    def init(self) -> None:
        n = self.model.coops.n
        self.accounts = self.required(Distribution).reserve_account
        self.past_dividends = np.zeros((0, n))  # members' dividends before top-ups, one row per closed year
        self.drawdown_year = np.zeros(n)
        self.topup_year = np.zeros(n)

    def held_yuan(self) -> np.ndarray:
        return np.maximum(self.model.ledger.balance[self.accounts], 0) / 100

    def close_accounts(self) -> None:
        """After the cooperatives strike their profit: the reserve pays back each loss as far as it can."""
        m, c = self.model, self.model.coops
        self.drawdown_year[:] = 0.0
        self.topup_year[:] = 0.0
        if not self.p.absorb_losses:
            return
        cover = np.where(c.active & (c.profit_year < 0), np.minimum(-c.profit_year, self.held_yuan()), 0.0)
        ks = np.flatnonzero(cover > 0)  # each reserve pays its own cooperative: one ledger call for all
        self.drawdown_year[ks] = m.ledger.transfer_many(self.accounts[ks], c.account[ks], cover[ks],
                                                        "reserve_drawdown") / 100
        c.loss_covered_year[:] = self.drawdown_year

    def pay_assistance(self) -> None:
        """After the distribution: top members' dividends up to the floor from the reserve, by shares."""
        c = self.model.coops
        paid = c.dividends_year.copy()
        if len(self.past_dividends):
            target = self.p.dividend_floor_share * self.past_dividends[-self.p.smoothing_years:].mean(axis=0)
            short = np.where(c.active, np.minimum(np.maximum(target - paid, 0.0), self.held_yuan()), 0.0)
            for k in np.flatnonzero(short > 0).tolist():
                self.topup_year[k] = self._by_shares(k, short[k])
        self.past_dividends = np.vstack([self.past_dividends, paid])

    def _by_shares(self, k: int, amount: float) -> float:
        m, hh, c = self.model, self.model.hh, self.model.coops
        shares = m.mechanism(LandShares)
        value = shares.share_value_yuan() if shares else hh.cash_share_yuan + hh.subsidy_share_yuan
        mine = np.flatnonzero(hh.coop == k)
        if value[mine].sum() <= 0:
            return 0.0
        each = np.floor(amount * value[mine] / value[mine].sum() * 100) / 100
        got = m.ledger.transfer_many(self.accounts[k], mine, each, "reserve_dividend").sum() / 100
        c.dividends_year[k] += got
        return float(got)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {"reserve_drawdown_yuan": np.bincount(c.village, weights=self.drawdown_year, minlength=nv),
                "reserve_dividend_yuan": np.bincount(c.village, weights=self.topup_year, minlength=nv)}
