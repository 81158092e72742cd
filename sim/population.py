"""Builds the synthetic village(s): household, party-member and committee arrays from config distributions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydantic import Field

from sim.schema import (
    AtLeastOneDist,
    Beta,
    Lognormal,
    NonNegative,
    NonNegativeDist,
    Share,
    ShareDist,
    ShiftedPoisson,
    Strict,
)


class VillageParams(Strict):
    """Distributions for one village's households. Sources in configs/village.yaml."""

    households: int = Field(default=400, ge=1, le=5_000_000)
    persons: AtLeastOneDist = Field(default_factory=lambda: ShiftedPoisson(mean=3.4, offset=1, high=9))
    working_age_share: Share = 0.6
    labour_units_max: int = Field(default=3, ge=1, le=6)
    elderly_household_share: Share = 0.08
    migrant_share_of_labour: Share = 0.35
    land_mu_per_person: NonNegativeDist = Field(default_factory=lambda: Lognormal(mean=1.5, sd=0.7))
    skill: NonNegativeDist = Field(default_factory=lambda: Lognormal(mean=1.0, sd=0.25))
    initial_ill_share: Share = 0.18
    five_without_share: Share = 0.02
    savings_yuan: NonNegativeDist = Field(default_factory=lambda: Lognormal(mean=6000, sd=8000))
    party_member_household_share: Share = 0.06
    party_capability: ShareDist = Field(default_factory=lambda: Beta(a=4, b=3))
    party_integrity: ShareDist = Field(default_factory=lambda: Beta(a=8, b=2))
    collective_assets_yuan: NonNegative = 300_000.0
    # -- county (issue 4) --
    # the village's random streams are `<name>/v<stream_key>`: a county's village v has key
    # stream_key + v, and the same key run alone draws the same village (sim/county.py)
    stream_key: int = Field(default=0, ge=0)
    # the township's weather stream is `weather/t<township_key>` (sim/policies/risk.py); a county groups
    # its villages into townships (`county.villages_per_township`)
    township_key: int = Field(default=0, ge=0)


@dataclass
class Households:
    """Per-household state, one entry per household; the model owns it, agents are views into it."""

    village: np.ndarray
    persons: np.ndarray
    labour_units: np.ndarray
    migrant_units: np.ndarray
    land_mu: np.ndarray
    skill: np.ndarray
    five_without: np.ndarray
    party_members: np.ndarray
    opening_savings_yuan: np.ndarray
    registered_poor: np.ndarray = field(init=False)
    # health
    ill: np.ndarray = field(init=False)
    ill_until: np.ndarray = field(init=False)  # month the current spell ends (-1 when well)
    ill_this_year: np.ndarray = field(init=False)
    medical_yuan_per_month: np.ndarray = field(init=False)
    # cooperative share register and contracts
    coop: np.ndarray = field(init=False)  # cooperative index, -1 for none
    pooled_land_mu: np.ndarray = field(init=False)
    cash_share_yuan: np.ndarray = field(init=False)
    subsidy_share_yuan: np.ndarray = field(init=False)
    contract_mu: np.ndarray = field(init=False)
    contract_coop: np.ndarray = field(init=False)
    contract_mu_worked_year: np.ndarray = field(init=False)
    # this month's labour (scratch, written by the economy each month)
    spare_days: np.ndarray = field(init=False)
    # farm effort over the growing year
    farm_effort_sum: np.ndarray = field(init=False)
    # poverty status
    poor: np.ndarray = field(init=False)
    poor_at_start: np.ndarray = field(init=False)
    left_poverty_once: np.ndarray = field(init=False)
    income_per_capita_last_year: np.ndarray = field(init=False)
    # paired assistance (docs/model.md §3.9): the party member (row of PartyMembers) paired with the household
    paired_member: np.ndarray = field(init=False)
    # the three guarantees (safe housing, schooling, basic medical insurance): all met unless the registration
    # mechanism draws failures (sim/policies/registration.py); the poverty campaign fixes them
    housing_safe: np.ndarray = field(init=False)
    schooling_ok: np.ndarray = field(init=False)
    medical_insured: np.ndarray = field(init=False)
    # training's gains in the chance of wage work (issue 14 item 4): added to the monthly local-employment
    # probability and to members' yearly departure rate for migrant work
    work_chance_gain: np.ndarray = field(init=False)
    migration_chance_gain: np.ndarray = field(init=False)
    # employment assistance's added yearly chance of leaving for migrant work (sim/policies/employment_assistance.py)
    assisted_departure_rate: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = self.n
        self.housing_safe = np.ones(n, bool)
        self.schooling_ok = np.ones(n, bool)
        self.medical_insured = np.ones(n, bool)
        self.registered_poor = np.zeros(n, bool)
        self.ill = np.zeros(n, bool)
        self.ill_until = np.full(n, -1, np.int64)
        self.ill_this_year = np.zeros(n, bool)
        self.medical_yuan_per_month = np.zeros(n)
        self.coop = np.full(n, -1, np.int64)
        self.pooled_land_mu = np.zeros(n)
        self.cash_share_yuan = np.zeros(n)
        self.subsidy_share_yuan = np.zeros(n)
        self.contract_mu = np.zeros(n)
        self.contract_coop = np.full(n, -1, np.int64)
        self.contract_mu_worked_year = np.zeros(n)
        self.spare_days = np.zeros(n)
        self.farm_effort_sum = np.zeros(n)
        self.poor = np.zeros(n, bool)
        self.poor_at_start = np.zeros(n, bool)
        self.left_poverty_once = np.zeros(n, bool)
        self.income_per_capita_last_year = np.zeros(n)
        self.paired_member = np.full(n, -1, np.int64)
        self.work_chance_gain = np.zeros(n)
        self.migration_chance_gain = np.zeros(n)
        self.assisted_departure_rate = np.zeros(n)

    @property
    def n(self) -> int:
        return int(self.village.size)

    @property
    def own_farm_mu(self) -> np.ndarray:
        return self.land_mu - self.pooled_land_mu

    @property
    def local_labour_units(self) -> np.ndarray:
        """Labour units at home and able to work this month (migrants away, one unit lost to illness)."""
        return np.maximum(self.labour_units - self.migrant_units - self.ill, 0.0)

    @property
    def chronically_ill(self) -> np.ndarray:
        """Households with a member in a chronic spell (ill and paying monthly treatment)."""
        return self.ill & (self.medical_yuan_per_month > 0)


# -- party members: cultivation stages and roles (docs/model.md §2, §3.8) -------------------------------
# A row of PartyMembers is a person on the way into the party or in it. Stage codes index STAGES;
# LEFT marks a row that left the village, dropped out of cultivation or was expelled (rows are never
# deleted, so indices held elsewhere stay valid).
STAGES = ("applicant", "activist", "probationary", "full")
APPLICANT, ACTIVIST, PROBATIONARY, FULL = range(4)
LEFT = -1
# village secretary and cooperative leaders are appointed by rule; the other members' roles are drawn
ROLES = ("branch_member", "village_secretary", "coop_leader", "set_post", "pairing_helper")
BRANCH_MEMBER, VILLAGE_SECRETARY, COOP_LEADER, SET_POST, PAIRING_HELPER = range(5)
# the post of a no-post member with a set post (无职党员设岗定责, seed 004)
POSTS = ("none", "assistance", "technology", "supervision")
NO_POST, ASSISTANCE_POST, TECHNOLOGY_POST, SUPERVISION_POST = range(4)


def _unset() -> np.ndarray:
    """An empty array: a field not given yet."""
    return np.empty(0, np.int64)


@dataclass
class PartyMembers:
    """Per-person state of party members and people on the cultivation pipeline. Each lives in a
    household (`household` is its index); a household has at most one such person."""

    household: np.ndarray
    capability: np.ndarray
    integrity: np.ndarray
    # left out (empty): the initial members' values, filled in by __post_init__
    stage: np.ndarray = field(default_factory=_unset)  # STAGES code or LEFT; the initial members are full members
    role: np.ndarray = field(default_factory=_unset)  # ROLES code
    post: np.ndarray = field(default_factory=_unset)  # POSTS code (set-post members only)
    stage_month: np.ndarray = field(default_factory=_unset)  # month the current stage began

    def __post_init__(self) -> None:
        n = self.household.size
        if self.stage.size == 0:
            self.stage = np.full(n, FULL, np.int64)
        if self.role.size == 0:
            self.role = np.full(n, BRANCH_MEMBER, np.int64)
        if self.post.size == 0:
            self.post = np.full(n, NO_POST, np.int64)
        if self.stage_month.size == 0:
            self.stage_month = np.zeros(n, np.int64)

    @property
    def n(self) -> int:
        return int(self.household.size)

    @property
    def member(self) -> np.ndarray:
        """Party members: probationary or full (a probationary member is a member, not yet a formal one)."""
        return self.stage >= PROBATIONARY

    @property
    def formal(self) -> np.ndarray:
        """Formal (full) members: the ones the branch rule counts (seed 002: 正式党员)."""
        return self.stage == FULL

    def add(self, household: np.ndarray, capability: np.ndarray, integrity: np.ndarray, stage: int,
            month: int) -> np.ndarray:
        """Append people (e.g. new applicants); returns their row indices."""
        k = household.size
        start = self.n
        self.household = np.append(self.household, household.astype(np.int64))
        self.capability = np.append(self.capability, capability)
        self.integrity = np.append(self.integrity, integrity)
        self.stage = np.append(self.stage, np.full(k, stage, np.int64))
        self.role = np.append(self.role, np.full(k, BRANCH_MEMBER, np.int64))
        self.post = np.append(self.post, np.full(k, NO_POST, np.int64))
        self.stage_month = np.append(self.stage_month, np.full(k, month, np.int64))
        return np.arange(start, start + k)

    def best(self, eligible: np.ndarray) -> int:
        """Row of the most capable person among `eligible` (a mask), ties to the lowest row; -1 if none."""
        rows = np.flatnonzero(eligible)
        return int(rows[np.argmax(self.capability[rows])]) if rows.size else -1


def lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray, missing: int) -> np.ndarray:
    """For each query, `values[i]` where `keys[i]` equals it (`keys` sorted and distinct, as `np.unique` gives
    them), `missing` where no key does: a few keys looked up without an array the size of the largest key."""
    if keys.size == 0:
        return np.full(queries.size, missing, np.int64)
    at = np.minimum(np.searchsorted(keys, queries), keys.size - 1)
    return np.where(keys[at] == queries, values[at], missing)


def appoint_secretaries(pm: PartyMembers, hh: Households, leader_households: np.ndarray) -> None:
    """Each village without a secretary gets one: its most capable formal member not leading a
    cooperative (the most capable formal member when all of them lead one). One pass over the party
    members for every village at once (villages are independent: each appoints among its own)."""
    village_of = hh.village[pm.household]
    has = np.zeros(int(hh.village.max(initial=-1)) + 1, bool)
    has[village_of[pm.formal & (pm.role == VILLAGE_SECRETARY)]] = True
    without = np.flatnonzero(pm.formal & ~has[village_of])
    leading = np.isin(pm.household[without], leader_households)
    best = _best_by_village(pm, village_of, without)
    best.update(_best_by_village(pm, village_of, without[~leading]))  # not leading one first
    pm.role[list(best.values())] = VILLAGE_SECRETARY


def _best_by_village(pm: PartyMembers, village_of: np.ndarray, rows: np.ndarray) -> dict[int, int]:
    """Per village, the row of `rows` that `PartyMembers.best` picks: the most capable, ties to the lowest row."""
    order = rows[np.lexsort((rows, -pm.capability[rows], village_of[rows]))]
    villages, first = np.unique(village_of[order], return_index=True)
    return dict(zip(villages.tolist(), order[first].tolist(), strict=True))


@dataclass
class Villages:
    """Per-village state: the village committee's collective assets and its account."""

    collective_assets_yuan: np.ndarray
    # set by the model once the ledger and the villages' configs exist
    account: np.ndarray = field(default_factory=_unset)  # ledger account of each committee
    collective_income_year: np.ndarray = field(default_factory=_unset)
    stream_key: np.ndarray = field(default_factory=_unset)  # each village's random-stream key (county, issue 4)
    township_key: np.ndarray = field(default_factory=_unset)  # its township's weather stream key (risk.py)
    # lasting public works (project_agency) raise the village's own-farm yield by this share (set by the economy)
    asset_yield_gain: np.ndarray = field(default_factory=_unset)

    @property
    def n(self) -> int:
        return int(self.collective_assets_yuan.size)


def build_households(params: VillageParams, rng: np.random.Generator, village: int = 0) -> Households:
    """Draw one village's households. Draw order is fixed so that the same stream gives the same village."""
    n = params.households
    persons = params.persons.draw(rng, n).round().clip(1, None)
    working = rng.binomial(persons.astype(np.int64), params.working_age_share).astype(np.float64)
    elderly = rng.random(n) < params.elderly_household_share
    five_without = rng.random(n) < params.five_without_share
    labour = np.where(elderly | five_without, 0.0, np.minimum(working, params.labour_units_max))
    migrant = rng.binomial(labour.astype(np.int64), params.migrant_share_of_labour).astype(np.float64)
    land = params.land_mu_per_person.draw(rng, n) * persons
    skill = params.skill.draw(rng, n)
    savings = params.savings_yuan.draw(rng, n)
    skill = np.where(five_without, np.minimum(skill, 0.6), skill)  # 无技术
    savings = np.where(five_without, 0.0, savings)  # 无资金
    party = (rng.random(n) < params.party_member_household_share) & ~five_without
    return Households(
        village=np.full(n, village, np.int64), persons=persons, labour_units=labour, migrant_units=migrant,
        land_mu=land, skill=skill, five_without=five_without, party_members=party.astype(np.int64),
        opening_savings_yuan=savings,
    )


def build_party_members(params: VillageParams, hh: Households, rng: np.random.Generator) -> PartyMembers:
    idx = np.flatnonzero(hh.party_members > 0)
    return PartyMembers(
        household=idx,
        capability=np.clip(params.party_capability.draw(rng, idx.size), 0, 1),
        integrity=np.clip(params.party_integrity.draw(rng, idx.size), 0, 1),
    )


def concat_households(parts: list[Households]) -> Households:
    """Join villages' households into one set of arrays (a county)."""
    keys = ("village", "persons", "labour_units", "migrant_units", "land_mu", "skill", "five_without",
            "party_members", "opening_savings_yuan")
    return Households(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in keys})


def concat_party_members(parts: list[PartyMembers], offsets: list[int]) -> PartyMembers:
    """Join villages' party members; `offsets` are the villages' first household indices."""
    return PartyMembers(
        household=np.concatenate([p.household + o for p, o in zip(parts, offsets, strict=True)]).astype(np.int64),
        capability=np.concatenate([p.capability for p in parts]),
        integrity=np.concatenate([p.integrity for p in parts]),
    )
