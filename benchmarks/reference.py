"""The per-agent Mesa reference village: each household a `mesa.Agent` with a Python `step()` (illness, wage and
farm income, savings), a yearly poverty count; the plain design coopsim's array model is timed against."""

from __future__ import annotations

import math

import mesa

# a monthly economy of the default village's order of magnitude (benchmark only, not a calibrated model)
ILLNESS_ONSET_PER_MONTH = 0.01
ILLNESS_MEAN_MONTHS = 3
MEDICAL_YUAN_PER_MONTH = 600.0
WORK_DAYS_PER_LABOUR_MONTH = 22
LOCAL_WORK_CHANCE = 0.72
WAGE_YUAN_PER_DAY = 108.0
FARM_YUAN_PER_MU_MONTH = 110.0
YIELD_SD = 0.15
CONSUMPTION_YUAN_PER_PERSON_MONTH = 250.0
POVERTY_LINE_YUAN_PER_PERSON_YEAR = 2855.0


class ReferenceHousehold(mesa.Agent):
    """One household: its own state as attributes, its month as Python statements."""

    def __init__(self, model: ReferenceVillage, persons: int, labour: int, land_mu: float) -> None:
        super().__init__(model)
        self.persons, self.labour, self.land_mu = persons, labour, land_mu
        self.ill_months = 0
        self.savings_yuan = 0.0
        self.income_year_yuan = 0.0

    def step(self) -> None:
        rnd = self.model.random
        if self.ill_months > 0:
            self.ill_months -= 1
        elif rnd.random() < ILLNESS_ONSET_PER_MONTH:
            self.ill_months = 1 + int(rnd.expovariate(1 / ILLNESS_MEAN_MONTHS))
        ill = self.ill_months > 0
        working = self.labour - (1 if ill and self.labour else 0)
        employed = rnd.random() < LOCAL_WORK_CHANCE
        wage = working * WORK_DAYS_PER_LABOUR_MONTH * WAGE_YUAN_PER_DAY * 0.5 if employed else 0.0
        farm = self.land_mu * FARM_YUAN_PER_MU_MONTH * rnd.lognormvariate(-YIELD_SD**2 / 2, YIELD_SD)
        medical = MEDICAL_YUAN_PER_MONTH if ill else 0.0
        self.income_year_yuan += wage + farm
        cash = self.savings_yuan + wage + farm - medical
        self.savings_yuan = cash - min(max(cash, 0.0), CONSUMPTION_YUAN_PER_PERSON_MONTH * self.persons)


class ReferenceVillage(mesa.Model):
    """`households` reference agents stepped in random order each month (`shuffle_do`); a poverty count a year."""

    def __init__(self, households: int, seed: int = 0) -> None:
        super().__init__(rng=seed)
        rnd = self.random
        for _ in range(households):
            persons = rnd.randint(1, 6)
            ReferenceHousehold(self, persons, min(persons, rnd.randint(0, 3)), round(rnd.uniform(0.5, 6.0), 1))
        self.month = 0
        self.poor_by_year: list[int] = []

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.month += 1
        if self.month % 12 == 0:
            line = POVERTY_LINE_YUAN_PER_PERSON_YEAR
            self.poor_by_year.append(sum(a.income_year_yuan / a.persons < line for a in self.agents))
            for a in self.agents:
                a.income_year_yuan = 0.0

    def run(self, years: int) -> ReferenceVillage:
        for _ in range(years * 12):
            self.step()
        return self


def poverty_share(village: ReferenceVillage) -> float:
    """The last year's poverty headcount ratio (a sanity figure: the reference does real work)."""
    n = len(village.agents)
    return village.poor_by_year[-1] / n if n and village.poor_by_year else math.nan
