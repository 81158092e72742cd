"""Persons with ages (issue 14, item 3): labour by age, ageing, migrant departure and return, remittances.

Owned by the economy and always on unless `demography.enabled` is false (then labour and migrants stay as
drawn and each migrant sends a fixed remittance). Each household's members are a row of (households x
MAX_MEMBERS) arrays: age, away as a migrant, years away, and the migrant's wage factor. Once a year at the
Spring Festival (January, when migrants come home and leave again) members age a year, migrants return
(at `return_rate_per_year`, and all from `return_age`), members of working age at home leave (at
`departure_rate_per_year`, up to `departure_max_age`; in a household with a member in a chronic spell no
departure leaves it without an able adult at home, `carer_stays_with_chronic_illness`: Giles & Mu 2007, Demography
44(2), find adults less likely to migrate when a parent is ill; Chen et al. 2016, J. Agric. Appl. Econ., find
illness does not bring migrants back, so nobody returns for it), and the household's labour, migrant labour and
monthly remittance are derived from its members. A migrant sends home in proportion to its wage (the
migrant-wage series times its own wage factor): the full `economy.remittance_yuan_per_migrant_month` at the
start year's wage when the household has dependants at home (children, old people), less without, and less
the longer it has been away.
Births and deaths are not modelled (ten years; stated in docs/ODD.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import Field, model_validator

from sim.declarations import Outcome
from sim.policies import demography_kernels as kernels
from sim.policies.base import Policy
from sim.schema import Share, Strict, yearly_value

if TYPE_CHECKING:
    from sim.interface import Model

MAX_MEMBERS = 12  # persons beyond this in one household are counted but have no age (children)


class DemographyParams(Strict):
    """Ages, labour by age, migration and remittances. Sources in configs/village.yaml."""

    enabled: bool = True
    child_share_of_dependants: Share = 0.55  # members not of working age who are children
    full_labour_ages: tuple[int, int] = (16, 64)  # one labour unit from the first to the last age
    half_labour_until_age: int = Field(default=74, ge=0, le=120)  # older people farm half a unit until this age
    departure_rate_per_year: Share = 0.06
    departure_max_age: int = Field(default=50, ge=16, le=120)
    return_rate_per_year: Share = 0.10
    carer_stays_with_chronic_illness: bool = True
    return_age: int = Field(default=55, ge=16, le=120)
    migrant_wage_yuan_per_month: dict[int, float] = Field(default_factory=lambda: {
        2015: 3072.0, 2016: 3275.0, 2017: 3485.0, 2018: 3721.0, 2019: 3962.0, 2020: 4072.0})
    migrant_wage_growth_after_table: float = Field(default=0.05, ge=-0.5, le=0.5)
    migrant_wage_sd: float = Field(default=0.3, ge=0, le=2)  # lognormal sd of a migrant's wage factor
    remittance_ratio_without_dependants: Share = 0.6  # no children or old people at home: less is sent
    remittance_tie_decay_per_year_away: Share = 0.03

    @model_validator(mode="after")
    def _consistent(self) -> DemographyParams:
        lo, hi = self.full_labour_ages
        if not 0 <= lo <= hi:
            raise ValueError(f"full_labour_ages [{lo}, {hi}]: the first age must be 0 or more and not above the last")
        if self.half_labour_until_age < hi:
            raise ValueError(f"half_labour_until_age ({self.half_labour_until_age}) must not be below the last full-"
                             f"labour age ({hi})")
        if not self.migrant_wage_yuan_per_month or min(self.migrant_wage_yuan_per_month.values()) <= 0:
            raise ValueError("migrant_wage_yuan_per_month: at least one year, every wage above 0")
        return self


def labour_of_age(age: np.ndarray, p: DemographyParams) -> np.ndarray:
    """Labour units of each member: 1 at full-labour ages, 0.5 above them until `half_labour_until_age`."""
    lo, hi = p.full_labour_ages
    return np.where((age >= lo) & (age <= hi), 1.0, np.where((age > hi) & (age <= p.half_labour_until_age), 0.5, 0.0))


def migrant_wage(p: DemographyParams, year: int) -> float:
    return yearly_value(p.migrant_wage_yuan_per_month, year, p.migrant_wage_growth_after_table)


def initial_ages(persons, labour, migrant, no_labour, u_age, u_child, p: DemographyParams) -> tuple:
    """Ages and migrant flags consistent with the drawn household: the first `labour` members are of working
    age (migrants first, younger), the others children or old people past working (all old in households
    drawn without labour: elderly-only and five-without). Returns (age, away), -1 for no member."""
    slot = np.arange(MAX_MEMBERS)[None, :]
    member = slot < persons[:, None]
    worker = slot < labour[:, None]
    away = slot < migrant[:, None]
    child = (u_child < p.child_share_of_dependants) & ~no_labour[:, None]
    lo, hi = p.full_labour_ages
    age = np.where(away, 18 + u_age * 27, np.where(worker, 18 + u_age * (hi - 22),
                   np.where(child, u_age * lo, p.half_labour_until_age + 1 + u_age * 15)))
    return np.where(member, np.floor(age), -1).astype(np.int64), away & member


class Demography(Policy):
    """The members of every household; derives the household's labour, migrant labour and remittance.

    Always on, a sub-part of the economy: the economy builds it and calls its hooks."""

    name = "demography"
    Params = DemographyParams
    always_on = True
    outcomes = (
        Outcome("labour_units", "labour units", "Labour units (at home and away)", "劳动力(含外出)", "stock"),
        Outcome("migrant_labour_units", "labour units", "Migrant labour units", "外出务工劳动力", "stock"),
        Outcome("migrant_departures", "persons/year", "Members leaving for migrant work", "当年外出务工人数", "flow"),
        Outcome("migrant_returns", "persons/year", "Migrants returning home", "当年返乡人数", "flow"),
    )

    def __init__(self, model: Model, params: DemographyParams) -> None:
        self.model, self.p, hh = model, params, model.hh
        self.remittance_yuan_month = np.zeros(hh.n)
        self.departures_year = self.returns_year = np.zeros(hh.n, np.int64)
        self.assisted_departures_year = np.zeros(hh.n, np.int64)  # of which with employment assistance
        if not params.enabled:
            self.remittance_yuan_month = hh.migrant_units * model.config.economy.remittance_yuan_per_migrant_month
            return
        sd, shape = params.migrant_wage_sd, lambda k: (k, MAX_MEMBERS)  # noqa: E731
        u_age, u_child, wage = model.draw("demography_initial", lambda rng, k: (
            rng.random(shape(k)), rng.random(shape(k)), rng.lognormal(-sd * sd / 2, sd, shape(k))))
        persons = np.minimum(hh.persons, MAX_MEMBERS)
        self.age, self.away = initial_ages(persons, hh.labour_units, hh.migrant_units, hh.labour_units == 0,
                                           u_age, u_child, params)
        self.years_away = np.zeros_like(self.age)
        self.wage_factor = wage
        self.max_units = np.repeat([vp.labour_units_max for vp in model.village_params],
                                   model.village_sizes).astype(np.float64)
        if params.carer_stays_with_chronic_illness:
            self._carer_at_start()
        self._derive()

    def year_start(self) -> None:
        """The Spring Festival: ageing, returns and departures (not in the first year: the drawn village is
        January's), then each household's labour and remittance for the year."""
        m, p = self.model, self.p
        if not p.enabled:
            self.remittance_yuan_month = m.hh.migrant_units * m.config.economy.remittance_yuan_per_migrant_month \
                * m.price_index
            return
        sd = p.migrant_wage_sd
        u, wage = m.draw("migration", lambda rng, k: (rng.random((k, MAX_MEMBERS)),
                                                      rng.lognormal(-sd * sd / 2, sd, (k, MAX_MEMBERS))))
        if m.year_index > 0:  # the first January's labour is the drawn village's (set at construction)
            self._move(u, wage)
            self._derive()  # ends with the remittance
        else:
            self._remit()

    def _move(self, u: np.ndarray, wage: np.ndarray) -> None:
        """Members age a year, migrants return, members of working age at home leave (demography_kernels.move)."""
        p, hh = self.p, self.model.hh
        lo, hi = p.full_labour_ages
        care = hh.chronically_ill if p.carer_stays_with_chronic_illness else np.zeros(hh.n, bool)
        (self.age, self.away, self.years_away, self.wage_factor, self.departures_year, self.returns_year,
         self.assisted_departures_year) = kernels.move(
            self.age, self.away, self.years_away, self.wage_factor, u, wage, hh.migration_chance_gain,
            hh.assisted_departure_rate, care, p.departure_rate_per_year, p.return_rate_per_year, p.return_age, lo, hi,
            p.departure_max_age, p.carer_stays_with_chronic_illness)

    def _carer_at_start(self) -> None:
        """The drawn village in the same state: a household in a chronic spell at the start with every able adult
        away has its first able migrant at home (the spells began years before; the carer never left)."""
        hh, able = self.model.hh, labour_of_age(self.age, self.p) == 1.0
        care = hh.chronically_ill
        rows = np.flatnonzero(care & (able & self.away).any(axis=1) & ~(able & ~self.away).any(axis=1))
        self.away[rows, np.argmax((able & self.away)[rows], axis=1)] = False

    def bring_home(self, back: np.ndarray) -> None:
        """Migrants `back` (a members mask) come home now (a policy's returns: talent_return.py)."""
        self.away &= ~back
        self.years_away[back] = 0
        self.returns_year = self.returns_year + back.sum(axis=1)
        self._derive()

    def _derive(self) -> None:
        """Household labour units (capped), migrant units and the month's remittance from its members."""
        p, hh = self.p, self.model.hh
        hh.labour_units[:], hh.migrant_units[:] = kernels.labour(self.age, self.away, *p.full_labour_ages,
                                                                 p.half_labour_until_age, self.max_units)
        self._remit()

    def _remit(self) -> None:
        """Each household's monthly remittance from its members away."""
        m, p = self.model, self.p
        # each whole number of years away's decay, worked out once (the same numpy power) and looked up per member
        decay = (1 - p.remittance_tie_decay_per_year_away) ** np.arange(int(self.years_away.max(initial=0)) + 1)
        wage_index = migrant_wage(p, m.year) / migrant_wage(p, m.config.start_year)
        sent = kernels.sent(self.age, self.away, self.years_away, self.wage_factor, decay,
                            p.remittance_ratio_without_dependants, *p.full_labour_ages,
                            m.config.economy.remittance_yuan_per_migrant_month * wage_index)
        self.remittance_yuan_month = sent.sum(axis=1)  # numpy's sum on both kernel paths: the same rounding

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        """Per village: migrant labour units and persons of working age at home."""
        hh, nv = self.model.hh, self.model.vill.n
        per_village = lambda x: np.bincount(hh.village, weights=x.astype(np.float64), minlength=nv)  # noqa: E731
        return {"migrant_labour_units": per_village(hh.migrant_units), "labour_units": per_village(hh.labour_units),
                "migrant_departures": per_village(self.departures_year),
                "migrant_returns": per_village(self.returns_year)}
