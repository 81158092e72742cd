"""The distribution rule (docs/model.md §3.5, 收益分配办法): the order and shares in which the surplus is
split — development reserve, collective accumulation to the village, then member dividends by
transactions and by shares. (The assistance fund, when on, has already taken its share.)"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from pydantic import model_validator

from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.land_shares import LandShares
from sim.schema import Share, Strict


class DistributionParams(Strict):
    reserve_share: Share = 0.1  # 公积金
    collective_share: Share = 0.1  # 集体积累 to the village committee
    # of what goes to members, the part returned by transactions (China's cooperative law: >= 60% for
    # specialised cooperatives; share-based cooperatives set it low). The rest is paid by shares.
    by_transactions_share: Share = 0.0
    # a farmers' specialised cooperative (cooperative.TYPE_RULES) returns at least this share by transactions
    # (Farmers' Specialised Cooperatives Law, 2017 revision, art. 44: 不得低于可分配盈余的60%)
    specialised_min_by_transactions_share: Share = 0.6

    @model_validator(mode="after")
    def _fits(self) -> DistributionParams:
        if self.reserve_share + self.collective_share > 1:
            raise ValueError("reserve_share + collective_share must not exceed 1")
        return self


class Split(NamedTuple):
    """A cooperative's payments to its members, in yuan rounded down to the fen (never more than the surplus)."""

    k: int
    households: np.ndarray  # its member households
    by_transactions: np.ndarray  # each one's dividend by transactions (empty: none paid that way)
    by_shares: np.ndarray  # each one's dividend by shares
    to_village: float  # the collective's dividend by its shares


class Distribution(Policy):
    name = "distribution"
    Params = DistributionParams
    requires = ("cooperative",)
    after = ("assistance_fund", "land_shares")  # splits what the fund left; dividends by share value
    sources = (
        Source("dividend", "dividend"),
        Source("collective_dividend"),
        Source("reserve"),
    )

    def init(self) -> None:
        m = self.model
        self.reserve_account = np.array([m.ledger.open_account(f"coop:{k}:{n}:reserve")
                                         for k, n in enumerate(m.coops.name)], np.int64)
        m.coops.reserve_account = self.reserve_account  # the cooperative's equity counts its reserve (coop_life.py)
        # each cooperative's split: its spec, else its type's default, else this section (cooperative.TYPE_RULES)
        split = [s.split(self.p.reserve_share, self.p.collective_share) for s in m.cooperative_specs]
        self.reserve_share = np.array([r for r, _ in split])
        self.collective_share = np.array([c for _, c in split])
        specialised = np.array([s.rules().specialised for s in m.cooperative_specs], bool)
        self.by_transactions_share = np.where(specialised, max(self.p.by_transactions_share,
                                                               self.p.specialised_min_by_transactions_share),
                                              self.p.by_transactions_share)

    def allocate_surplus(self) -> None:
        """Each cooperative with a surplus splits it: the reserve and the collective first, then the members by
        transactions and by shares (the collective's own shares to the village). Cooperatives' splits touch
        disjoint accounts and read no balance, so each kind of payment is one ledger call for all of them."""
        m, c, led = self.model, self.model.coops, self.model.ledger
        ks = np.flatnonzero(c.surplus_yuan > 0)
        if ks.size == 0:
            return
        surplus, reserve_share, collective_share = c.surplus_yuan[ks], self.reserve_share[ks], self.collective_share[ks]
        led.transfer_many(c.account[ks], self.reserve_account[ks], surplus * reserve_share, "reserve")
        village_account = m.vill.account[c.village[ks]]
        c.collective_year[ks] += led.transfer_many(c.account[ks], village_account, surplus * collective_share,
                                                   "collective_accumulation") / 100
        shares_policy = m.mechanism(LandShares)
        share_value = (shares_policy.share_value_yuan() if shares_policy
                       else m.hh.cash_share_yuan + m.hh.subsidy_share_yuan)
        splits = [self._split(int(k), members, share_value)
                  for k, members in zip(ks.tolist(), surplus * (1 - reserve_share - collective_share), strict=True)]
        self._pay_members([s for s in splits if s is not None])

    def _split(self, k: int, members: float, share_value: np.ndarray) -> Split | None:
        """Cooperative k's payments to its members (`members` yuan); None when nobody holds shares (the rest then
        stays with the owner, cooperative.year_end)."""
        m, c, hh = self.model, self.model.coops, self.model.hh
        sl = m.village_slice(c.village[k])
        mine = sl.start + np.flatnonzero(hh.coop[sl] == k)
        patronage = hh.pooled_land_mu[mine] + hh.contract_mu_worked_year[mine]
        by_tx = members * self.by_transactions_share[k] if patronage.sum() > 0 else 0.0
        stakes = np.append(share_value[mine], c.collective_share_yuan[k])
        if stakes.sum() <= 0:
            return None
        by_shares = members - by_tx
        tx = np.floor(by_tx * patronage / patronage.sum() * 100) / 100 if by_tx > 0 else np.zeros(0)
        return Split(k, mine, tx, np.floor(by_shares * stakes[:-1] / stakes.sum() * 100) / 100,
                     np.floor(by_shares * stakes[-1] / stakes.sum() * 100) / 100)

    def _pay_members(self, splits: list[Split]) -> None:
        """Every split's dividends in one ledger call (by transactions before by shares, as each cooperative's
        dividends add up), then the collective's by its shares in another."""
        if not splits:
            return
        m, c, led = self.model, self.model.coops, self.model.ledger
        ks = np.array([s.k for s in splits], np.int64)
        tx = [s for s in splits if s.by_transactions.size]
        parts = [s.by_transactions for s in tx] + [s.by_shares for s in splits]
        paid = led.pay_groups(c.account[[s.k for s in tx] + ks.tolist()], [s.households for s in tx + splits], parts,
                              "dividend") / 100
        c.dividends_year[[s.k for s in tx]] += paid[: len(tx)]  # sums of whole fen, exact in float64
        c.dividends_year[ks] += paid[len(tx):]
        c.collective_year[ks] += led.transfer_many(c.account[ks], m.vill.account[c.village[ks]],
                                                   [s.to_village for s in splits], "collective_dividend") / 100
        c.surplus_yuan[ks] = 0.0
