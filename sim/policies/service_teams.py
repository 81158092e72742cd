"""Village office funds, sanitation and service teams, and the points supermarket (docs/model.md §3.13; seeds
000, 001, 003): public money to the village committee, paid on to cadres, team members and participants.

At each year start the public account pays each village committee its year's needs:
- office funds (`office_fund`): cadre pay, `cadres_per_village` cadres at `cadre_pay_yuan_per_cadre_month`
  (seed 001: raised to 2,000 yuan a month), plus `office_costs_yuan_per_village_year` of running costs;
- the sanitation and service team's fund (`service_team_fund`; seed 001: 3,000 yuan a year for a small
  village, 4,000 for a large one);
- once, a points supermarket's start-up money (`points_startup`; seed 003: 1,000 yuan each).
With a funding scenario every village's needs are scaled down by the same factor to the `office_service`
line's yearly share (so the line is never overspent).

The committee pays cadre pay and team wages monthly as wages (1/12 a month, December taking the rounding
left): cadre pay is the cadres' household income (seed 001: three times a farmer's income), so it goes to
their households, not to a sink; the cadres are the village secretary's household first, then the most
capable households (skill x land). Team members are `team_members_per_village` households with labour at
home, poor ones first, in a random order within each group (stream `service_teams`, one draw per household
a year), not cadres; they get `team_wage_share` of the team's fund, the rest buys equipment (bins, carts).
Office running costs and equipment go to the market.

The points supermarket (党建+积分): at each year end, households that took part in the year's village
work (each with `participation_probability_per_year`, stream `points`) redeem points for goods: the
committee pays `points_redeemed_yuan_per_village_year` split equally among them (transfer income), out of
what it holds (the start-up money, then its own collective income): a village without collective income
runs its supermarket only on the start-up money.

None of this is collective income (the committee passes it on), so it does not lift a village out of
the empty-shell count.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field, model_validator

from sim.declarations import FundingLine, Outcome
from sim.ledger import Source
from sim.policies.base import Policy
from sim.population import VILLAGE_SECRETARY
from sim.schema import NonNegative, Share, Strict


class ServiceTeamsParams(Strict):
    """Sources in configs/village.yaml."""

    cadres_per_village: int = Field(default=2, ge=0, le=20)  # seed 001: village secretary and committee director
    cadre_pay_yuan_per_cadre_month: NonNegative = 2000  # seed 001: raised from 2,000 yuan a year to 2,000 a month
    office_costs_yuan_per_village_year: NonNegative = 20_000  # assumption (seed 000: ~100k office and service funds)
    service_team_yuan_small_village_year: NonNegative = 3000  # seed 001: 小村3000元
    service_team_yuan_large_village_year: NonNegative = 4000  # seed 001: 大村4000元
    large_village_min_households: int = Field(default=300, ge=0)  # assumption
    team_members_per_village: int = Field(default=2, ge=0, le=100)  # assumption: two cleaners
    team_wage_share: Share = 0.8  # the rest buys bins and carts (seed 001: 垃圾箱、垃圾清运车); assumption
    points_startup_yuan: NonNegative = 1000  # seed 003: 1,000 yuan start-up per points supermarket
    # seed 003: 787,500 points redeemed in 578 villages in a year (~1,400 each; assumption: 1 point ~ 1 yuan)
    points_redeemed_yuan_per_village_year: NonNegative = 1400
    participation_probability_per_year: Share = 0.5  # assumption (seed 003: 300,000 person-times in the county)

    @model_validator(mode="after")
    def _sizes(self) -> ServiceTeamsParams:
        if self.service_team_yuan_large_village_year < self.service_team_yuan_small_village_year:
            raise ValueError("a large village's service-team fund must not be below a small village's")
        return self


def _month_fen(yearly_fen: np.ndarray, month_of_year: int) -> np.ndarray:
    """A yearly amount paid in twelve: 1/12 (down to the fen) a month, December the rest."""
    monthly = yearly_fen // 12
    return yearly_fen - 11 * monthly if month_of_year == 11 else monthly


class ServiceTeams(Policy):
    name = "service_teams"
    Params = ServiceTeamsParams
    # points at year end, after collective income; the teams are formed after the year's training (the order the
    # pinned baseline was made with)
    after = ("distribution", "training")
    sources = (
        Source("office_fund", public_programme=True),  # village office funds (cadre pay)
        Source("service_team_fund", public_programme=True),  # sanitation and service teams
        Source("points_startup", public_programme=True),  # a points supermarket's start-up money
        Source("cadre_pay", "wage"),  # village cadres' pay from the office funds
        Source("office_costs"),  # the village office's running costs
        Source("service_team_wage", "wage"),  # sanitation and service team members' pay
        Source("service_team_equipment"),  # the team's bins and carts
        Source("points_redemption", "transfer"),  # goods from the points supermarket for taking part in village work
    )
    outcomes = (
        Outcome("cadre_pay_yuan", "yuan/year", "Village cadres' pay from office funds", "村干部报酬", "flow"),
        Outcome("service_team_wages_yuan", "yuan/year", "Sanitation and service team wages", "保洁服务队工资", "flow"),
        Outcome("points_redeemed_yuan", "yuan/year", "Points redeemed at the points supermarket",
                "积分超市兑换", "flow"),
    )
    funding_line = FundingLine(
        "office_service", "yearly",
        "village office funds (cadre pay), sanitation and service teams and points-supermarket start-up: each "
        "village's needs scaled down to the year's share",
        ("office_fund", "service_team_fund", "points_startup"))

    def init(self) -> None:
        m, nv, n = self.model, self.model.vill.n, self.model.hh.n
        self.started = np.zeros(nv, bool)  # points supermarket opened
        self.cadre_fen = np.zeros(n, np.int64)  # this year's pay per household
        self.team_fen = np.zeros(n, np.int64)
        self.office_costs_fen = np.zeros(nv, np.int64)
        self.equipment_fen = np.zeros(nv, np.int64)
        self.cadre_pay_year, self.team_wages_year, self.points_year = np.zeros(nv), np.zeros(nv), np.zeros(nv)
        sizes = m.village_sizes
        p = self.p
        self.team_fund_yuan = np.where(sizes >= p.large_village_min_households, p.service_team_yuan_large_village_year,
                                       p.service_team_yuan_small_village_year)

    # -- the year's funds --------------------------------------------------------------------------------
    def year_start(self) -> None:
        m, p, hh = self.model, self.p, self.model.hh
        nv = m.vill.n
        self.cadre_pay_year, self.team_wages_year, self.points_year = np.zeros(nv), np.zeros(nv), np.zeros(nv)
        cadres = self._cadres()
        team = self._team(cadres)
        n_cadres = np.bincount(hh.village[cadres], minlength=nv)
        cadre_pay = n_cadres * p.cadre_pay_yuan_per_cadre_month * 12.0
        office = cadre_pay + p.office_costs_yuan_per_village_year
        startup = np.where(self.started, 0.0, p.points_startup_yuan)
        scale = 1.0
        if m.funder.limited:
            need = float(office.sum() + self.team_fund_yuan.sum() + startup.sum())
            scale = min(1.0, m.funder.available("office_service") / need) if need > 0 else 1.0

        def fen(yuan) -> np.ndarray:
            return np.floor(np.asarray(yuan, np.float64) * scale * 100 + 1e-6).astype(np.int64)

        pay_fen, costs_fen = fen(cadre_pay), fen(np.full(nv, p.office_costs_yuan_per_village_year))
        team_fen, start_fen = fen(self.team_fund_yuan), fen(startup)
        led, acct = m.ledger, m.vill.account
        led.transfer_many(m.acct_public, acct, (pay_fen + costs_fen) / 100, "office_fund")
        led.transfer_many(m.acct_public, acct, team_fen / 100, "service_team_fund")
        led.transfer_many(m.acct_public, acct, start_fen / 100, "points_startup")
        self.started |= start_fen > 0
        # per household: the village's cadre pay split equally among its cadres, the team's wages among members
        self.cadre_fen[:] = 0
        self.cadre_fen[cadres] = pay_fen[hh.village[cadres]] // n_cadres[hh.village[cadres]]
        self.office_costs_fen = costs_fen + pay_fen - np.bincount(hh.village, weights=self.cadre_fen,
                                                                   minlength=nv).astype(np.int64)
        n_team = np.bincount(hh.village[team], minlength=nv)
        wages_fen = np.floor(team_fen * p.team_wage_share).astype(np.int64)
        self.team_fen[:] = 0
        self.team_fen[team] = wages_fen[hh.village[team]] // n_team[hh.village[team]]
        self.equipment_fen = team_fen - np.bincount(hh.village, weights=self.team_fen, minlength=nv).astype(np.int64)

    def _cadres(self) -> np.ndarray:
        """Each village's cadres: the village secretary's household first, then the most capable (skill x land)."""
        hh, pm = self.model.hh, self.model.party
        key = -(hh.skill * hh.land_mu)
        secretary = pm.household[pm.member & (pm.role == VILLAGE_SECRETARY)]
        key[secretary] = -np.inf
        return self._first(key, self.p.cadres_per_village)

    def _team(self, cadres: np.ndarray) -> np.ndarray:
        """Each village's team: households with labour at home, not cadres, poor ones first, random within."""
        m, hh = self.model, self.model.hh
        u = m.draw("service_teams", lambda rng, n: rng.random(n))  # every year (common random numbers)
        can = hh.local_labour_units > 0
        can[cadres] = False
        key = u + np.where(hh.poor, 0.0, 1.0) + np.where(can, 0.0, np.inf)
        team = self._first(key, self.p.team_members_per_village)
        return team[np.isfinite(key[team])]

    def _first(self, key: np.ndarray, k: int) -> np.ndarray:
        """The k households of each village with the lowest key (ties by index)."""
        m = self.model
        out = []
        for v in range(m.vill.n):
            sl = m.village_slice(v)
            out.append(sl.start + np.argsort(key[sl], kind="stable")[:k])
        return np.concatenate(out) if out else np.zeros(0, np.int64)

    # -- monthly pay ----------------------------------------------------------------------------------------
    def pay(self) -> None:
        m, hh, led = self.model, self.model.hh, self.model.ledger
        mo, payer = m.month_of_year, m.vill.account[hh.village]
        cadre = _month_fen(self.cadre_fen, mo)
        team = _month_fen(self.team_fen, mo)
        led.pay_households(payer, cadre / 100, "cadre_pay")
        led.pay_households(payer, team / 100, "service_team_wage")
        led.transfer_many(m.vill.account, m.acct_market, _month_fen(self.office_costs_fen, mo) / 100, "office_costs")
        led.transfer_many(m.vill.account, m.acct_market, _month_fen(self.equipment_fen, mo) / 100,
                          "service_team_equipment")
        nv = m.vill.n
        self.cadre_pay_year += np.bincount(hh.village, weights=cadre, minlength=nv) / 100
        self.team_wages_year += np.bincount(hh.village, weights=team, minlength=nv) / 100

    # -- the points supermarket ----------------------------------------------------------------------------
    def year_end(self) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        nv = m.vill.n
        took_part = m.draw("points", lambda rng, n: rng.random(n)) < p.participation_probability_per_year
        n_part = np.bincount(hh.village, weights=took_part.astype(float), minlength=nv)
        held = np.maximum(m.ledger.balance[m.vill.account], 0)
        budget_fen = np.where(self.started & (n_part > 0),
                              np.minimum(np.int64(round(p.points_redeemed_yuan_per_village_year * 100)), held), 0)
        each_fen = np.floor_divide(budget_fen, np.maximum(n_part, 1).astype(np.int64))
        amount = np.where(took_part, each_fen[hh.village], 0)
        m.ledger.pay_households(m.vill.account[hh.village], amount / 100, "points_redemption")
        self.points_year = np.bincount(hh.village, weights=amount, minlength=nv) / 100

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"cadre_pay_yuan": self.cadre_pay_year.copy(), "service_team_wages_yuan": self.team_wages_year.copy(),
                "points_redeemed_yuan": self.points_year.copy()}
