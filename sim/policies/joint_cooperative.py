"""Joint cooperatives (联合社; issue 15, item 2; seed 003: all 33 townships of Zhijin have one): the cooperatives of a
township's villages market and process together and pool their risk.

Each township with cooperatives has one joint cooperative (account `joint:t<township key>`); every active
cooperative of its villages is a member. In December, after the year's harvests:

- Marketing and processing: selling and processing together sells members' output for `price_gain_share` more
  (market -> joint, `joint_marketing_gain`); the joint cooperative pays its running cost,
  `running_cost_yuan_per_member_year` per member (joint -> market); what is left is returned to the members by
  their sales, as the cooperative law asks of surplus (joint -> cooperative, `joint_return`); a member whose share
  of the gain is below its share of the cost pays the difference (`joint_fee`).
- Risk pool: a member's shock effect on its sales is d = E (shock - 1), E its sales at a shock of one (land it
  farms x the line's revenue per mu x prices x its productivity). Each member gets
  `risk_pool_share` x (E / sum(E) x sum(d) - d) from the pool: the township's members share their gains and
  losses in proportion to their expected sales, so the shocks that differ between villages (village weather,
  management) are pooled and those the township shares (its weather, the county's prices) are not. The
  transfers add to zero; whole fen left by rounding stay in the joint cooperative's account.

Both enter each member's year as other income (the cooperative's profit). No random draws.
"""

from __future__ import annotations

import numpy as np

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.schema import NonNegative, Share, Strict


class JointCooperativeParams(Strict):
    """Sources in configs/village.yaml (`joint_cooperative:`)."""

    price_gain_share: Share = 0.05
    running_cost_yuan_per_member_year: NonNegative = 3000
    risk_pool_share: Share = 1.0


def pool_transfers_yuan(expected: np.ndarray, deviation: np.ndarray, pool_share: float) -> np.ndarray:
    """Each member's net transfer from its township's pool (all members of one township): zero-sum."""
    total = expected.sum()
    if total <= 0:
        return np.zeros_like(expected)
    return pool_share * (expected / total * deviation.sum() - deviation)


def by_group(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Each row's group total."""
    return np.bincount(group, weights=values, minlength=n)[group]


class JointCooperative(Policy):
    name = "joint_cooperative"
    Params = JointCooperativeParams
    requires = ("cooperative",)
    after = ("cooperative",)  # December: after the month's harvest sales and costs
    sources = (
        Source("joint_marketing_gain"),  # the better price of selling and processing together
        Source("joint_running_cost"),
        Source("joint_return"),  # the gain net of the running cost, returned by sales
        Source("joint_fee"),  # a member's part of the running cost its gain does not cover
        Source("risk_pool"),  # between members through the joint cooperative's account
    )
    outcomes = (
        Outcome("joint_marketing_gain_yuan", "yuan/year", "Joint cooperative: marketing and processing gain",
                "联合社统一销售加工增收", "flow"),
        Outcome("risk_pool_net_yuan", "yuan/year", "Joint cooperative: net from the risk pool (paid in: negative)",
                "联合社风险互助净收入", "flow"),
    )

    def init(self) -> None:
        m, c = self.model, self.model.coops
        keys = m.vill.township_key[c.village] if c.n else np.zeros(0, np.int64)
        towns, self.township = np.unique(keys, return_inverse=True)
        self.n_towns = towns.size
        self.account = m.ledger.open_accounts([f"joint:t{int(t)}" for t in towns], [-1] * towns.size)
        self.gain_year = np.zeros(c.n)
        self.pool_year = np.zeros(c.n)

    def pay(self) -> None:
        if self.model.month_of_year != 11:
            return
        c = self.model.coops
        self.gain_year, self.pool_year = np.zeros(c.n), np.zeros(c.n)
        member = c.active
        if member.any():
            self._market(member)
            self._pool(member)

    def close_accounts(self) -> None:
        """For the members' pro-forma profit (coop_life): the joint sale's gain on a year's sales at a shock of one,
        less the running cost (the pool adds nothing on average)."""
        m, c, p = self.model, self.model.coops, self.p
        revenue = np.array([m.config.crop_lines[name].revenue_yuan_per_mu_year for name in c.line])
        sales = self.required(Cooperatives).land_mu() * revenue * c.productivity * m.price_index
        gain = sales * p.price_gain_share - p.running_cost_yuan_per_member_year * m.price_index
        c.expected_other_income_yuan += np.where(c.active, gain, 0.0)

    def _market(self, member: np.ndarray) -> None:
        """The joint sale's gain, less the running cost, back to the members by their sales."""
        m, c, led, p = self.model, self.model.coops, self.model.ledger, self.p
        acct = self.account[self.township]
        gain = np.where(member, np.floor(c.sales_year * p.price_gain_share * 100) / 100, 0.0)
        self.gain_year = led.transfer_many(m.acct_market, acct, gain, "joint_marketing_gain") / 100
        cost = np.where(member, np.floor(p.running_cost_yuan_per_member_year * m.price_index * 100) / 100, 0.0)
        led.transfer_many(acct, m.acct_market, cost, "joint_running_cost")  # each member's part of it
        sales = np.where(member, c.sales_year, 0.0)
        town_sales = by_group(sales, self.township, self.n_towns)
        members = by_group(member.astype(float), self.township, self.n_towns)
        share = np.divide(sales, town_sales, out=member / np.maximum(members, 1), where=town_sales > 0)
        net = share * by_group(self.gain_year - cost, self.township, self.n_towns)
        self._settle(np.floor(net * 100) / 100, "joint_return", "joint_fee")

    def _pool(self, member: np.ndarray) -> None:
        """Share the members' shock effects within each township, by expected sales."""
        m, c = self.model, self.model.coops
        revenue = np.array([m.config.crop_lines[name].revenue_yuan_per_mu_year for name in c.line])
        expected = np.where(member, self.required(Cooperatives).land_mu() * revenue * m.price_index
                            * c.productivity, 0.0)
        deviation = expected * (c.shock - 1.0)
        net = np.zeros(c.n)
        for t in range(self.n_towns):
            mine = np.flatnonzero(self.township == t)
            net[mine] = pool_transfers_yuan(expected[mine], deviation[mine], self.p.risk_pool_share)
        self.pool_year = self._settle(np.trunc(net * 100) / 100, "risk_pool", "risk_pool")

    def _settle(self, net: np.ndarray, paid_out: str, paid_in: str) -> np.ndarray:
        """Members owing pay in first; the others are paid, pro rata, as far as the joint account holds money."""
        c, led = self.model.coops, self.model.ledger
        acct = self.account[self.township]
        owed = np.maximum(-net, 0.0)
        c.other_income_year -= led.transfer_many(c.account, acct, owed, paid_in) / 100
        due = np.maximum(net, 0.0)
        held = np.maximum(led.balance[self.account], 0) / 100
        due_town = np.bincount(self.township, weights=due, minlength=self.n_towns)
        scale = np.minimum(1.0, np.divide(held, due_town, out=np.ones(self.n_towns), where=due_town > 0))
        got = led.transfer_many(acct, c.account, np.floor(due * scale[self.township] * 100) / 100, paid_out) / 100
        c.other_income_year += got
        return got - led.to_fen(owed) / 100

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {"joint_marketing_gain_yuan": np.bincount(c.village, weights=self.gain_year, minlength=nv),
                "risk_pool_net_yuan": np.bincount(c.village, weights=self.pool_year, minlength=nv)}
