"""The distribution rule (docs/model.md §3.5, 收益分配办法): the order and shares in which the surplus is
split — development reserve, collective accumulation to the village, then member dividends by
transactions and by shares. (The assistance fund, when on, has already taken its share.)"""

from __future__ import annotations

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
        m, c, hh, led = self.model, self.model.coops, self.model.hh, self.model.ledger
        shares_policy = m.mechanism(LandShares)
        share_value = (shares_policy.share_value_yuan() if shares_policy
                       else hh.cash_share_yuan + hh.subsidy_share_yuan)
        for k in np.flatnonzero(c.surplus_yuan > 0).tolist():
            surplus = c.surplus_yuan[k]
            reserve_share, collective_share = self.reserve_share[k], self.collective_share[k]
            led.transfer(c.account[k], self.reserve_account[k], surplus * reserve_share, "reserve")
            collective = led.transfer(c.account[k], m.vill.account[c.village[k]], surplus * collective_share,
                                      "collective_accumulation") / 100
            c.collective_year[k] += collective
            members = surplus * (1 - reserve_share - collective_share)
            sl = m.village_slice(c.village[k])
            mine = sl.start + np.flatnonzero(hh.coop[sl] == k)
            by_tx = members * self.by_transactions_share[k]
            patronage = hh.pooled_land_mu[mine] + hh.contract_mu_worked_year[mine]
            if patronage.sum() <= 0:
                by_tx = 0.0
            by_shares = members - by_tx
            stakes = np.append(share_value[mine], c.collective_share_yuan[k])
            if stakes.sum() <= 0:
                continue  # nobody holds shares: the rest stays with the owner (cooperative.year_end)
            paid = 0.0
            if by_tx > 0:
                paid += self._pay(mine, by_tx * patronage / patronage.sum(), c.account[k], k)
            paid += self._pay(mine, by_shares * stakes[:-1] / stakes.sum(), c.account[k], k)
            to_village = led.transfer(c.account[k], m.vill.account[c.village[k]],
                                      np.floor(by_shares * stakes[-1] / stakes.sum() * 100) / 100,
                                      "collective_dividend") / 100
            c.collective_year[k] += to_village
            c.surplus_yuan[k] = 0.0

    def _pay(self, idx: np.ndarray, amounts: np.ndarray, account: int, k: int) -> float:
        # round down to the fen so the cooperative never pays out more than the surplus
        paid = self.model.ledger.transfer_many(account, idx, np.floor(amounts * 100) / 100, "dividend").sum() / 100
        self.model.coops.dividends_year[k] += paid
        return paid
