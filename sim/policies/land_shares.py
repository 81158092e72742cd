"""Land-share dividends (docs/model.md §3.2, 土地入股、按股分红): pooled land counts as shares instead of
being rented; poor households' fiscal subsidy money is invested as shares in their name; the
village invests idle collective assets as shares; an optional guaranteed floor per mu (保底).
The dividends themselves are paid by the distribution rule, by share value."""

from __future__ import annotations

import numpy as np

from sim.declarations import FundingLine
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.schema import NonNegative, Share, Strict


class LandSharesParams(Strict):
    land_share_value_yuan_per_mu: NonNegative = 1000
    guaranteed_floor_yuan_per_mu_year: NonNegative = 0
    subsidy_share_yuan_per_poor_household: NonNegative = 5000
    collective_assets_invested_share: Share = 1.0


class LandShares(Policy):
    name = "land_shares"
    Params = LandSharesParams
    requires = ("cooperative", "distribution")  # land-share dividends are paid by the distribution rule
    after = ("cooperative",)
    sources = (
        Source("subsidy_shares", public_programme=True),
    )
    funding_line = FundingLine(
        "subsidy_shares", "start",
        "fiscal subsidy shares: the line split equally among the registered-poor households joining a cooperative",
        ("subsidy_shares",))

    def init(self) -> None:
        m, c, hh, p = self.model, self.model.coops, self.model.hh, self.p
        # pooled land earns the floor (possibly zero) plus dividends, not a rent
        c.land_payment_yuan_per_mu_year[:] = p.guaranteed_floor_yuan_per_mu_year
        coop_api = self.required(Cooperatives)
        amount = p.subsidy_share_yuan_per_poor_household
        if m.funder.limited:  # a funding scenario's subsidy-shares line, split equally among the poor (issue 4)
            poor_with_coop = np.isin(hh.village, c.village) & hh.registered_poor
            n_poor = int(poor_with_coop.sum())
            amount = np.floor(m.funder.available("subsidy_shares") / n_poor * 100) / 100 if n_poor else 0.0
        for v in np.unique(c.village):
            k = int(np.flatnonzero(c.village == v)[0])  # the village's first cooperative holds the shares
            sl = m.village_slice(v)
            poor = sl.start + np.flatnonzero(hh.registered_poor[sl])
            coop_api.join(k, poor)
            poor = poor[hh.coop[poor] == k]
            m.ledger.transfer_many(m.acct_public, c.account[k], np.full(poor.size, amount), "subsidy_shares")
            hh.subsidy_share_yuan[poor] += amount
            m.public_programme_year[v] += amount * poor.size
            invested = m.vill.collective_assets_yuan[v] * p.collective_assets_invested_share
            m.vill.collective_assets_yuan[v] -= invested  # idle assets become shares: valued, no cash moves
            c.collective_share_yuan[k] += invested

    def share_value_yuan(self) -> np.ndarray:
        """Each household's shares in its cooperative: land (valued per mu), cash and subsidy shares."""
        hh = self.model.hh
        return hh.pooled_land_mu * self.p.land_share_value_yuan_per_mu + hh.cash_share_yuan + hh.subsidy_share_yuan
