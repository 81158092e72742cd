"""Lease-back (返租倒包; issue 15, item 2; seed 000): the cooperative rents the pooled land, develops it into a base and
leases it back in plots to farmers, who keep the production risk; the cooperative markets the crop.

- Land: the cooperative still pays for all pooled land (rent, or under `land_shares` the floor and dividends); it
  leases `leased_back_share` of it back and farms only the rest itself (`Coops.farmed_share`).
- Plots: each January the leased land of each cooperative goes to village households with labour left after the
  field-management contracts (up to `cooperative.max_contract_mu_per_labour_unit` per labour unit), members first,
  those who pooled most land first, then the rest of the village.
- Farming: a plot takes the line's field-management days (the rest of its work is in the line's cost), worked like
  a contract from the household's spare days; days it cannot work are hired at the cooperative's wage per mu. The
  farmer pays the line's cost per mu and a back rent, `back_rent_yuan_per_mu_year`, to the cooperative, monthly.
- Risk and marketing: the plot's yield x price is the village's line shock (risk.py) times the farmer's own luck
  (log-sd `farmer_yield_sd`, stream `lease_back_yield`, one draw per household every year); at harvest the
  cooperative sells the crop (`coop_sales`) and pays the farmer its value less `marketing_margin_share`
  (`lease_back_sales`, farm income).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.ledger import Source, monthly_part
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives, allocate_contracts
from sim.schema import NonNegative, Share, Strict


class LeaseBackParams(Strict):
    """Sources in configs/village.yaml (`lease_back:`)."""

    leased_back_share: Share = 1.0
    back_rent_yuan_per_mu_year: NonNegative = 500
    marketing_margin_share: Share = 0.1
    farmer_yield_sd: float = Field(default=0.1, ge=0, le=2)


class LeaseBack(Policy):
    name = "lease_back"
    Params = LeaseBackParams
    requires = ("cooperative",)
    after = ("cooperative", "wage_contracting")  # plots from the labour the field-management contracts leave
    sources = (
        Source("lease_back_sales", "farm"),  # the crop's value less the marketing margin, to the farmer
        Source("lease_back_cost", "farm"),  # the line's cost per mu and hired labour, paid by the farmer
        Source("back_rent", "farm"),  # the farmer's rent for the plot, to the cooperative
    )
    outcomes = (
        Outcome("lease_back_mu", "mu", "Land leased back to farmers (返租倒包)", "返租倒包土地", "stock"),
        Outcome("lease_back_farmer_net_yuan", "yuan/year", "Lease-back farmers' net from their plots",
                "返租倒包农户经营净收入", "flow"),
        Outcome("back_rent_yuan", "yuan/year", "Back rent paid to the cooperative", "倒包租金", "flow"),
    )

    def init(self) -> None:
        n = self.model.hh.n
        self.model.coops.farmed_share[:] = 1.0 - self.p.leased_back_share
        self.plot_mu, self.plot_coop = np.zeros(n), np.full(n, -1, np.int64)
        self.luck, self.net_year, self.rent_year = np.ones(n), np.zeros(n), np.zeros(n)
        self.days = np.zeros(n)

    def year_start(self) -> None:
        m, p = self.model, self.p
        sd = p.farmer_yield_sd
        self.luck = m.draw("lease_back_yield", lambda rng, n: rng.lognormal(-sd**2 / 2, sd, n))  # every year
        self.net_year, self.rent_year = np.zeros(m.hh.n), np.zeros(m.hh.n)
        self._allocate()

    def _allocate(self) -> None:
        """Each active cooperative's leased land to households with labour left: members first, most pooled first."""
        m, c, hh = self.model, self.model.coops, self.model.hh
        coop_p = self.required(Cooperatives).p
        self.plot_mu[:], self.plot_coop[:] = 0.0, -1
        members = hh.coop >= 0
        pooled = np.bincount(hh.coop[members], weights=hh.pooled_land_mu[members], minlength=c.n)
        leased = pooled * self.p.leased_back_share
        left = np.maximum(hh.labour_units - hh.migrant_units, 0.0) * coop_p.max_contract_mu_per_labour_unit
        left = np.maximum(left - hh.contract_mu, 0.0)
        for k in np.flatnonzero(c.active & (leased > 0)).tolist():
            sl = m.village_slice(c.village[k])
            cand = sl.start + np.flatnonzero((left[sl] > 0) & (self.plot_coop[sl] < 0))
            priority = np.where(hh.coop[cand] == k, -hh.pooled_land_mu[cand], np.inf)
            mu = allocate_contracts(leased[k], cand, left[cand], priority)
            self.plot_mu[cand], self.plot_coop[cand] = mu, np.where(mu > 0, k, -1)

    def labour(self) -> None:
        """The plots' field-management days, worked from spare days like a contract."""
        on = self.plot_coop >= 0
        self.days = np.where(on, self.plot_mu * self._line("field_management_days_per_mu_year") / 12, 0.0)
        self.model.economy.contract_days += self.days

    def _line(self, attr: str) -> np.ndarray:
        """Per household: `attr` of the line of the cooperative whose plot it farms (0 without a plot)."""
        lines, c = self.model.config.crop_lines, self.model.coops
        per_coop = np.array([getattr(lines[name], attr) for name in c.line] + [0.0], np.float64)
        return per_coop[self.plot_coop]  # -1: the appended 0

    def produce(self) -> None:
        """Harvest: the cooperative sells the plots' crop and pays the farmers its value less the margin."""
        m, c, led = self.model, self.model.coops, self.model.ledger
        lines = m.config.crop_lines
        now = np.array([m.month_of_year in lines[name].harvest_months for name in c.line] + [False])
        parts = np.array([len(lines[name].harvest_months) for name in c.line] + [1], np.float64)
        shock = np.append(m.line_shock_for(c.line, c.village), 1.0) if c.n else np.ones(1)
        k = self.plot_coop
        gross = np.where(now[k], self.plot_mu * self._line("revenue_yuan_per_mu_year") * m.price_index * shock[k]
                         * self.luck / parts[k], 0.0)
        gross = np.floor(gross * 100) / 100
        on = k >= 0
        sold = np.bincount(k[on], weights=gross[on], minlength=c.n)
        c.sales_year += led.transfer_many(m.acct_market, c.account, sold, "coop_sales") / 100
        to_farmer = np.floor(gross * (1 - self.p.marketing_margin_share) * 100) / 100
        led.pay_households(c.account[np.maximum(k, 0)] if c.n else 0, to_farmer, "lease_back_sales")
        c.cost_year += np.bincount(k[on], weights=to_farmer[on], minlength=c.n)
        self.net_year += to_farmer

    def pay(self) -> None:
        """The month's plot costs (the line's cost, hired days) to the market; the back rent to the cooperative."""
        m, c, led, k = self.model, self.model.coops, self.model.ledger, self.plot_coop
        worked = np.zeros(m.hh.n)
        np.divide(m.economy.contract_worked_days, m.economy.contract_days, out=worked, where=self.days > 0)
        wage_per_mu = self.required(Cooperatives).p.wage_yuan_per_mu_year
        # a twelfth of the yearly amounts, to the fen over the year (the unworked share of this month's days hired)
        cost = monthly_part(self.plot_mu * (self._line("cost_yuan_per_mu_year") + (1 - worked) * wage_per_mu)
                            * m.price_index, m.month_of_year)
        rent = monthly_part(self.plot_mu * self.p.back_rent_yuan_per_mu_year * m.price_index, m.month_of_year)
        led.charge_households(cost, m.acct_market, "lease_back_cost")
        led.charge_households(rent, c.account[np.maximum(k, 0)] if c.n else 0, "back_rent")
        on = k >= 0
        c.other_income_year += np.bincount(k[on], weights=rent[on], minlength=c.n)
        self.net_year -= cost + rent
        self.rent_year += rent

    def close_accounts(self) -> None:
        """For the cooperative's pro-forma profit (coop_life): what the leased land earns it at a shock of one, the
        back rent and the margin on the plots' crop, less what it pays for that land."""
        m, c, hh = self.model, self.model.coops, self.model.hh
        on = self.plot_coop >= 0
        plots = np.bincount(self.plot_coop[on], weights=self.plot_mu[on], minlength=c.n)
        members = hh.coop >= 0
        leased = np.bincount(hh.coop[members], weights=hh.pooled_land_mu[members], minlength=c.n) * (1 - c.farmed_share)
        revenue = np.array([m.config.crop_lines[name].revenue_yuan_per_mu_year for name in c.line])
        per_plot_mu = self.p.back_rent_yuan_per_mu_year + self.p.marketing_margin_share * revenue
        c.expected_other_income_yuan += (plots * per_plot_mu - leased * c.land_payment_yuan_per_mu_year) * m.price_index

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        v, nv = self.model.hh.village, self.model.vill.n
        return {"lease_back_mu": np.bincount(v, weights=self.plot_mu, minlength=nv),
                "lease_back_farmer_net_yuan": np.bincount(v, weights=self.net_year, minlength=nv),
                "back_rent_yuan": np.bincount(v, weights=self.rent_year, minlength=nv)}
