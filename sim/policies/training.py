"""Training (docs/model.md §3.13; seeds 002, 004): technical training sessions in the villages, poor households
first, that raise the trainees' skill (and so their own-farm yield: own-farm income is land x net yield x
skill, sim/policies/economy.py) and their chance of wage work: the monthly chance of local wage work and
members' yearly chance of leaving for migrant work (issue 14 item 4).

Each year, in the winter slack season before the farming year (the year-start event), each village
holds `sessions_per_village_year` sessions of `trainees_per_session` households each; with a funding
scenario the `training` line's yearly share buys sessions at `cost_yuan_per_session`, one per village
per round, villages in a random order (`sim.funding.fund_in_rounds`). Trainees are households with labour
at home, each trained at most once a year: those poor last year (the registered poor in the first year)
first when `poor_first`, in a random order within each group (stream `training`, one draw per household
every year). A trainee's skill rises by `skill_gain`, not above `skill_cap` (a skill already above the
cap is kept). The cost is public money paid to the village's trainers (an account of the village, so
public spending counts where it is spent; `training_funding`).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import FundingLine, Outcome
from sim.funding import fund_in_rounds
from sim.ledger import Source
from sim.policies.base import Policy
from sim.schema import NonNegative, Strict


class TrainingParams(Strict):
    """Sources in configs/village.yaml."""

    # seed 002: 130 sessions for a county's 69 cooperatives; seed 004: 57 sessions in three years (assumption: 1)
    sessions_per_village_year: int = Field(default=1, ge=0, le=100)
    trainees_per_session: int = Field(default=90, ge=0, le=10_000)  # seed 002: 12,000 trainees in 130 sessions
    cost_yuan_per_session: NonNegative = 5000  # trainer, venue, materials (assumption)
    skill_gain: NonNegative = 0.05  # skill (a yield multiplier, mean 1) added per training (assumption)
    skill_cap: NonNegative = 1.5  # training does not raise skill above this (assumption)
    poor_first: bool = True  # seeds 002, 004: training aimed at poor households and their party pairs
    # skills for wage work (issue 14 item 4): a training adds to the household's monthly chance of local wage
    # work and to its members' yearly chance of leaving for migrant work, up to the caps
    local_work_chance_gain: NonNegative = 0.05
    local_work_chance_gain_cap: NonNegative = 0.15
    migration_chance_gain: NonNegative = 0.02
    migration_chance_gain_cap: NonNegative = 0.06


class Training(Policy):
    name = "training"
    Params = TrainingParams
    after = ("paired_assistance",)  # its yearly skill update comes first
    sources = (
        Source("training_funding", public_programme=True),  # training sessions' cost
    )
    outcomes = (
        Outcome("training_sessions", "sessions", "Training sessions", "培训班次", "flow"),
        Outcome("trainees", "households", "Households trained", "参训农户", "flow"),
    )
    funding_line = FundingLine(
        "training", "yearly",
        "training sessions at cost_yuan_per_session: the year's share buys sessions, villages in random order",
        ("training_funding",))

    def init(self) -> None:
        m = self.model
        nv = m.vill.n
        self.account = m.ledger.open_accounts([f"trainers:{v}" for v in range(nv)], range(nv))
        self.sessions = np.zeros(nv, np.int64)
        self.trainees = np.zeros(nv, np.int64)
        self.trained_year = np.zeros(m.hh.n, bool)

    def year_start(self) -> None:
        m, hh, p = self.model, self.model.hh, self.p
        nv = m.vill.n
        self.sessions = fund_in_rounds(m.funder, "training", np.full(nv, p.sessions_per_village_year),
                                       p.cost_yuan_per_session, m.streams["training_order"])
        m.ledger.transfer_many(m.acct_public, self.account, self.sessions * p.cost_yuan_per_session,
                               "training_funding")
        u = m.draw("training", lambda rng, n: rng.random(n))  # every year, trained or not (common random numbers)
        can = (hh.labour_units - hh.migrant_units) > 0
        key = u + np.where(hh.poor & p.poor_first, 0.0, 1.0) + np.where(can, 0.0, 2.0)  # lowest first
        self.trained_year = np.zeros(hh.n, bool)
        for v in np.flatnonzero(self.sessions):
            sl = m.village_slice(int(v))
            seats = int(self.sessions[v]) * p.trainees_per_session
            order = np.argsort(key[sl], kind="stable")[:seats]
            chosen = sl.start + order[can[sl][order]]
            self.trained_year[chosen] = True
        t = self.trained_year
        hh.skill[t] = np.minimum(hh.skill[t] + p.skill_gain, np.maximum(hh.skill[t], p.skill_cap))
        hh.work_chance_gain[t] = np.minimum(hh.work_chance_gain[t] + p.local_work_chance_gain,
                                            np.maximum(hh.work_chance_gain[t], p.local_work_chance_gain_cap))
        hh.migration_chance_gain[t] = np.minimum(hh.migration_chance_gain[t] + p.migration_chance_gain,
                                                 np.maximum(hh.migration_chance_gain[t], p.migration_chance_gain_cap))
        self.trainees = np.bincount(hh.village, weights=t.astype(float), minlength=nv).astype(np.int64)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"training_sessions": self.sessions.astype(float), "trainees": self.trainees.astype(float)}
