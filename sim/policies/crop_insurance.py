"""Policy crop and livestock insurance (政策性农业保险; issue 15, item 2): a subsidised premium in January, an
indemnity in December when a line's loss passes the trigger.

- Insured amount: `insured_share_of_cost` of the line's cost per mu (the 2015 No. 1 document: the insured
  amount covers the direct material cost, 保险金额覆盖直接物化成本), for the land the cooperative farms
  itself and for each household's own farm (`insure_cooperatives`, `insure_households`).
- Premium: `premium_rate_share` of the insured amount; the public purse pays `premium_subsidy_share` of it
  (central, provincial and county shares; a funding line), the insured pay the rest.
- Indemnity: the loss is one minus the line's revenue shock of the year (yield x price: the cooperative's
  shock with its own management luck, or the household's own-farm shock with its own luck). Below
  `trigger_loss_share` (起赔点) nothing; from there the insured amount times the loss; at or above
  `full_loss_share` the whole insured amount (保险金额 x 损失率, 70% and more: in full).

Each village has its own book at the insurer (account `insurer:v<v>`): premiums and subsidies in, indemnities
out; what it keeps or loses is the insurer's. No random draws: the shocks are the lines' own. With a funding
scenario, the `crop_insurance` line subsidises cooperatives first, then households in order, until the year's
share is spent; those it cannot subsidise stay uninsured that year.
"""

from __future__ import annotations

import numpy as np
from pydantic import model_validator

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.policies.cooperative import Cooperatives
from sim.schema import NonNegative, Share, Strict


class CropInsuranceParams(Strict):
    """Sources in configs/village.yaml (`crop_insurance:`)."""

    premium_rate_share: Share = 0.06
    premium_subsidy_share: Share = 0.75
    insured_share_of_cost: NonNegative = 1.0
    trigger_loss_share: Share = 0.3
    full_loss_share: Share = 0.7
    insure_cooperatives: bool = True
    insure_households: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> CropInsuranceParams:
        if self.full_loss_share < self.trigger_loss_share:
            raise ValueError("full_loss_share must not be below trigger_loss_share")
        return self


def indemnity_share(loss_share: np.ndarray, trigger: float, full: float) -> np.ndarray:
    """The share of the insured amount paid for a loss: 0 below the trigger, the loss up to `full`, then 1."""
    return np.where(loss_share >= full, 1.0, np.where(loss_share >= trigger, loss_share, 0.0))


class CropInsurance(Policy):
    name = "crop_insurance"
    Params = CropInsuranceParams
    after = ("cooperative", "line_switch")  # the cooperatives' year is open (its costs reset) before premiums
    sources = (
        Source("insurance_premium", "farm"),  # what the insured pay: a farm cost for households
        Source("insurance_premium_subsidy", public_programme=True),
        Source("insurance_indemnity", "farm"),
    )
    outcomes = (
        Outcome("insurance_premium_paid_yuan", "yuan/year", "Insurance premiums paid by the insured",
                "农业保险农户及合作社自缴保费", "flow"),
        Outcome("insurance_premium_subsidy_yuan", "yuan/year", "Insurance premium subsidies (public)",
                "农业保险保费补贴", "flow"),
        Outcome("insurance_indemnity_yuan", "yuan/year", "Insurance indemnities paid", "农业保险赔款", "flow"),
    )
    funding_line = FundingLine(
        "crop_insurance", "yearly",
        "premium subsidies for policy crop insurance (政策性农业保险): cooperatives, then households, each January",
        ("insurance_premium_subsidy",))

    def init(self) -> None:
        m = self.model
        nv, nc = m.vill.n, m.coops.n
        self.book = m.ledger.open_accounts([f"insurer:v{v}" for v in range(nv)], range(nv))
        self.coop_insured_yuan = np.zeros(nc)
        self.hh_insured_yuan = np.zeros(m.hh.n)
        self.paid_year, self.subsidy_year, self.indemnity_year = np.zeros(nv), np.zeros(nv), np.zeros(nv)

    def year_start(self) -> None:
        """Insure this year's land and collect the premiums: the subsidy from the public purse, the rest from the
        insured."""
        self.coop_insured_yuan, self.hh_insured_yuan = self._funded(*self._insured_amounts())
        self._collect()

    def _insured_amounts(self) -> tuple[np.ndarray, np.ndarray]:
        m, p, c = self.model, self.p, self.model.coops
        coops = np.zeros(c.n)
        coop_api = self.model.mechanism(Cooperatives)
        if coop_api is not None and p.insure_cooperatives:
            cost = np.array([m.config.crop_lines[name].cost_yuan_per_mu_year for name in c.line])
            coops = np.where(c.active, coop_api.land_mu() * cost * p.insured_share_of_cost * m.price_index, 0.0)
        households = np.zeros(m.hh.n)
        if p.insure_households:
            per_mu = m.economy.line.cost_yuan_per_mu_year * p.insured_share_of_cost * m.price_index
            households = m.hh.own_farm_mu * per_mu
        return np.floor(coops * 100) / 100, np.floor(households * 100) / 100

    def _funded(self, coops: np.ndarray, households: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What the funding line can subsidise (cooperatives first, then households); the rest is uninsured."""
        subsidy = self._subsidy(np.concatenate([coops, households]))
        fits = np.ones(subsidy.size, bool)
        wanted = np.flatnonzero(subsidy > 0)
        fits[wanted] = self.model.funder.fit("crop_insurance", subsidy[wanted])
        return np.where(fits[:coops.size], coops, 0.0), np.where(fits[coops.size:], households, 0.0)

    def _subsidy(self, insured_yuan: np.ndarray) -> np.ndarray:
        return np.floor(insured_yuan * self.p.premium_rate_share * self.p.premium_subsidy_share * 100) / 100

    def _own_share(self, insured_yuan: np.ndarray) -> np.ndarray:
        premium = np.floor(insured_yuan * self.p.premium_rate_share * 100) / 100
        return premium - self._subsidy(insured_yuan)

    def _collect(self) -> None:
        m, c, hh, led = self.model, self.model.coops, self.model.hh, self.model.ledger
        nv = m.vill.n
        coop_own, hh_own = self._own_share(self.coop_insured_yuan), self._own_share(self.hh_insured_yuan)
        coop_sub, hh_sub = self._subsidy(self.coop_insured_yuan), self._subsidy(self.hh_insured_yuan)
        c.cost_year += led.transfer_many(c.account, self.book[c.village], coop_own, "insurance_premium") / 100
        led.charge_households(hh_own, self.book[hh.village], "insurance_premium")
        led.transfer_many(m.acct_public, self.book[c.village], coop_sub, "insurance_premium_subsidy")
        led.transfer_many(m.acct_public, self.book[hh.village], hh_sub, "insurance_premium_subsidy")
        self.paid_year = self._by_village(coop_own, hh_own)
        self.subsidy_year = self._by_village(coop_sub, hh_sub)
        self.indemnity_year = np.zeros(nv)

    def _by_village(self, coops: np.ndarray, households: np.ndarray) -> np.ndarray:
        m = self.model
        nv = m.vill.n
        by_coop = np.bincount(m.coops.village, weights=coops, minlength=nv) if m.coops.n else np.zeros(nv)
        return by_coop + np.bincount(m.hh.village, weights=households, minlength=nv)

    def pay(self) -> None:
        """In December, after the harvests: assess each insured line's loss and pay the indemnity."""
        m, c, hh, p = self.model, self.model.coops, self.model.hh, self.p
        if m.month_of_year != 11:
            return
        coop_pay = self.coop_insured_yuan * indemnity_share(1 - c.shock, p.trigger_loss_share, p.full_loss_share)
        hh_pay = self.hh_insured_yuan * indemnity_share(1 - m.economy.shock, p.trigger_loss_share,
                                                        p.full_loss_share)
        coop_pay = np.where(c.active, np.floor(coop_pay * 100) / 100, 0.0)
        hh_pay = np.floor(hh_pay * 100) / 100
        c.other_income_year += m.ledger.transfer_many(self.book[c.village], c.account, coop_pay,
                                                      "insurance_indemnity") / 100
        m.ledger.pay_households(self.book[hh.village], hh_pay, "insurance_indemnity")
        self.indemnity_year = self._by_village(coop_pay, hh_pay)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"insurance_premium_paid_yuan": self.paid_year.copy(),
                "insurance_premium_subsidy_yuan": self.subsidy_year.copy(),
                "insurance_indemnity_yuan": self.indemnity_year.copy()}
