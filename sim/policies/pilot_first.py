"""Pilot first (docs/model.md §3.7, 先行先试; seed 000): before the cooperative takes up a new line, its party
members try it on a small plot for a year; the cooperative switches only after a good pilot year,
so an unsuitable line costs a plot's worth of money instead of a season on all its land.

A cooperative with no party member among its member households cannot pilot: it switches directly
(`line_switch`). The pilot plot is farmed alongside the cooperative's land with its money: the
plot's costs (the line's costs and the switch investment per mu) and sales go through its accounts
at the line's last harvest month. The pilot reads the line's true yield on the plot (suitability x
the year's line shock) through plot-level noise, less noise when a member with a technology post
(科技示范岗, seed 004) runs it; a pilot is good when the reading reaches `good_pilot_threshold`.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.policies.line_switch import DONE, PILOTING, LineSwitch
from sim.population import TECHNOLOGY_POST
from sim.schema import NonNegative, Share, Strict


class PilotFirstParams(Strict):
    """Sources in configs/village.yaml."""

    pilot_plot_mu: NonNegative = 10
    pilot_signal_sd: float = Field(default=0.2, ge=0, le=2)
    technology_post_signal_factor: Share = 0.5
    good_pilot_threshold: float = Field(default=0.8, ge=0, le=10)


class PilotFirst(Policy):
    name = "pilot_first"
    Params = PilotFirstParams
    requires = ("line_switch",)
    after = ("line_switch",)  # judges this year's pilots
    sources = (
        Source("pilot_cost"),  # the party members' pilot plot of a new line, paid by the cooperative
        Source("pilot_sales"),
    )

    def init(self) -> None:
        c = self.model.coops
        self.switch = self.required(LineSwitch)
        self.switch.pilot = self
        self.running = np.zeros(c.n, bool)
        self.reading = np.zeros(c.n)
        self.plot_mu = np.zeros(c.n)
        self._noise = np.ones(c.n)

    def can_pilot(self, k: int) -> bool:
        """Party members (probationary or full) live in the cooperative's member households."""
        m, pm = self.model, self.model.party
        return bool((pm.member & (m.hh.coop[pm.household] == k)).any())

    def year_start(self) -> None:
        m, c, p = self.model, self.model.coops, self.p
        self.running = c.active & (self.switch.state == PILOTING)
        self.switch.pilot_trials_year += self.running
        sd = np.full(c.n, p.pilot_signal_sd)
        for k in np.flatnonzero(self.running).tolist():
            if self._technology_post(k):
                sd[k] *= p.technology_post_signal_factor
        z = m.streams["pilot"].standard_normal(c.n)  # one draw per cooperative every year
        self._noise = np.exp(sd * z - sd**2 / 2)  # mean-one lognormal plot noise

    def _technology_post(self, k: int) -> bool:
        m, pm = self.model, self.model.party
        return bool((pm.member & (pm.post == TECHNOLOGY_POST) & (m.hh.coop[pm.household] == k)).any())

    def produce(self) -> None:
        m, c, p = self.model, self.model.coops, self.p
        line = self.switch._new_line
        if m.month_of_year != max(line.harvest_months):
            return
        true_yield = m.line_shock_for([self.switch.p.new_line] * c.n, c.village)
        land = self.required(Cooperatives).land_mu()
        ks = np.flatnonzero(self.running)
        cost, sales = np.zeros(ks.size), np.zeros(ks.size)
        for i, k in enumerate(ks.tolist()):
            mu = min(p.pilot_plot_mu, land[k])
            suit = 1.0 if self.switch.suitable[k] else self.switch.p.failure_yield_factor
            realised = suit * true_yield[k]
            self.reading[k] = realised * self._noise[k]
            self.plot_mu[k] = mu
            per_mu = line.cost_yuan_per_mu_year * c.cost_factor[k] + self.switch.p.switch_cost_yuan_per_mu
            cost[i] = mu * per_mu * m.price_index
            sales[i] = mu * line.revenue_yuan_per_mu_year * c.productivity[k] * realised * m.price_index
        # each pilot's own cooperative account, no balance read: one ledger call per source for all pilots
        c.cost_year[ks] += m.ledger.transfer_many(c.account[ks], m.acct_market, cost, "pilot_cost") / 100
        c.sales_year[ks] += m.ledger.transfer_many(m.acct_market, c.account[ks], sales, "pilot_sales") / 100

    def year_end(self) -> None:
        """After the cooperatives' and line_switch's year end: a good pilot means switching next year."""
        for k in np.flatnonzero(self.running).tolist():
            if self.reading[k] >= self.p.good_pilot_threshold:
                self.switch.switch(int(k))
            else:
                self.switch.state[k] = DONE
                suit = 1.0 if self.switch.suitable[k] else self.switch.p.failure_yield_factor
                village = [self.model.coops.village[k]]
                true_yield = suit * self.model.line_shock_for([self.switch.p.new_line], village)[0]
                self.switch.losses_year[k] += self.switch._loss(int(k), self.plot_mu[k], true_yield, investment=True)
        self.running[:] = False
