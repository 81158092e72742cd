"""Switching to a new, riskier line (docs/model.md §3.7): a cooperative may take up a new crop or livestock
line with a higher expected return. Whether the line suits the village's land and climate is
unknown until it is grown: an unsuitable line yields only a fraction of what it should.

Each year end an active cooperative not yet on the new line gets the chance with a yearly
probability (one draw per cooperative every year). Without `pilot_first` it switches all its
pooled land from the next year, paying the switch investment; if that first year is bad (yield
below `good_year_threshold` of normal) it goes back to its old line. With `pilot_first` the
party members try the line on a small plot first and the cooperative switches only after a good
pilot year (see `pilot_first.py`). Either way a cooperative tries the line once. All money moves
through the cooperative's accounts (investment, pilot costs and sales), so a failed switch lowers
its profit and members' dividends.

`line_switch_losses` (yuan/year) measures what failed trials cost: the switch investment plus the
shortfall of the failed year's net revenue per mu against the old line's normal net revenue, on the
switched land (or on the pilot plot, for a failed pilot).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.policies.governance import Governance
from sim.schema import NonNegative, Share, Strict

IDLE, PILOTING, SWITCHED, DONE = range(4)


class LineSwitchParams(Strict):
    """Sources in configs/village.yaml."""

    new_line: str = "new_variety"  # one of `crop_lines`
    opportunity_probability_per_year: Share = 0.2
    success_probability: Share = 0.6  # chance the line suits the village (assumption)
    failure_yield_factor: Share = 0.3  # yield of an unsuitable line, relative to its normal yield
    switch_cost_yuan_per_mu: NonNegative = 500
    good_year_threshold: float = Field(default=0.7, ge=0, le=10)


class LineSwitch(Policy):
    name = "line_switch"
    Params = LineSwitchParams
    requires = ("cooperative",)
    after = ("governance",)  # pilots read leaders' productivity
    sources = (
        Source("line_switch_cost"),  # investment in a new crop or livestock line (seedlings, sheds)
    )
    outcomes = (
        Outcome("pilot_trials", "pilots", "Pilot plots of a new line", "先行先试试点", "flow"),
        Outcome("line_switch_losses", "yuan/year", "Losses from failed line switches and pilots",
                "产业转换失败损失", "flow"),
    )

    @classmethod
    def check_config(cls, config) -> None:
        if config.line_switch.new_line not in config.crop_lines:
            raise ValueError(f"line_switch.new_line {config.line_switch.new_line!r} is not one of crop_lines: "
                             f"{', '.join(config.crop_lines)} (a `crop_lines:` map replaces the default crop lines: "
                             f"list every line the config uses, or add one line with --set crop_lines.NAME=...)")

    def init(self) -> None:
        c = self.model.coops
        self.state = np.full(c.n, IDLE, np.int64)
        self.suitable = np.ones(c.n, bool)
        self.old_line = list(c.line)
        self.switch_year = np.zeros(c.n, bool)  # first year on the new line
        self.pilot: Any = None  # the pilot_first policy, when it is on (it sets itself here)
        self.losses_year = np.zeros(c.n)
        self.pilot_trials_year = np.zeros(c.n)
        self._new_line = self.model.config.crop_lines[self.p.new_line]

    def year_start(self) -> None:
        """The first year on the new line: pay the investment; an unsuitable line yields a fraction."""
        m, c = self.model, self.model.coops
        self.losses_year = np.zeros(c.n)
        self.pilot_trials_year = np.zeros(c.n)
        land = self.required(Cooperatives).land_mu()
        self._land = land
        ks = np.flatnonzero(self.switch_year & c.active)
        cost = land[ks] * self.p.switch_cost_yuan_per_mu * m.price_index
        c.cost_year[ks] += m.ledger.transfer_many(c.account[ks], m.acct_market, cost, "line_switch_cost") / 100
        on_new = (self.state == SWITCHED) & ~self.suitable
        c.shock = np.where(on_new, c.shock * self.p.failure_yield_factor, c.shock)

    def year_end(self) -> None:
        """Judge this year's trial and decide next year's line."""
        m, c, p = self.model, self.model.coops, self.p
        for k in np.flatnonzero(self.switch_year).tolist():
            self.switch_year[k] = False
            if c.shock[k] < p.good_year_threshold:  # a bad first year: count the loss, go back
                self.losses_year[k] += self._loss(k, self._land[k], c.shock[k], investment=True)
                c.line[k] = self.old_line[k]
                self.state[k] = DONE
        rng = m.streams["line_switch"]
        chance, suits = rng.random(c.n), rng.random(c.n) < p.success_probability  # fixed-size draws
        ready = c.active & (self.state == IDLE) & (chance < p.opportunity_probability_per_year)
        for k in np.flatnonzero(ready).tolist():
            if c.line[k] == p.new_line:
                continue
            self.suitable[k] = suits[k]
            if self.pilot is not None and self.pilot.can_pilot(k):
                self.state[k] = PILOTING
            elif self._approved(k):
                self.switch(k)
            else:
                self.state[k] = DONE  # voted down by the party organisation (governance.approves_risk)

    def _approved(self, k: int) -> bool:
        """Whether the cooperative's major-decision vote lets it put all its land on the untried line: what a
        failure would cost (the investment and the lost revenue of an unsuitable line) is weighed against its
        equity and reserve where the party organisation votes (governance.py)."""
        m, p = self.model, self.p
        governance = m.mechanism(Governance)
        if governance is None:
            return True
        new = m.config.crop_lines[p.new_line]
        mu = float(self.required(Cooperatives).land_mu()[k])
        loss = mu * (p.switch_cost_yuan_per_mu + new.revenue_yuan_per_mu_year * (1 - p.failure_yield_factor))
        return governance.approves_risk(k, loss * m.price_index)

    def switch(self, k: int) -> None:
        """Cooperative k farms the new line from next year."""
        c = self.model.coops
        self.old_line[k] = c.line[k]
        c.line[k] = self.p.new_line
        self.state[k] = SWITCHED
        self.switch_year[k] = True

    def _loss(self, k: int, mu: float, realised: float, investment: bool) -> float:
        """What a failed trial on `mu` mu cost against staying on the old line, yuan (>= 0)."""
        m, c = self.model, self.model.coops
        old = m.config.crop_lines[self.old_line[k]]
        new = self._new_line
        yield_factor, cost_factor = c.productivity[k], c.cost_factor[k]
        old_net = old.revenue_yuan_per_mu_year * yield_factor - old.cost_yuan_per_mu_year * cost_factor
        new_net = new.revenue_yuan_per_mu_year * realised * yield_factor - new.cost_yuan_per_mu_year * cost_factor
        paid = self.p.switch_cost_yuan_per_mu if investment else 0.0
        return max(0.0, (old_net - new_net + paid) * mu * m.price_index)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        c, nv = self.model.coops, self.model.vill.n
        return {
            "pilot_trials": np.bincount(c.village, weights=self.pilot_trials_year, minlength=nv),
            "line_switch_losses": np.bincount(c.village, weights=self.losses_year, minlength=nv),
        }
