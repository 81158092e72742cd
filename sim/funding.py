"""Funding scenarios (docs/model.md §4): a budget and its split across the funding lines planners control.

A scenario file (configs/funding/*.yaml):

    name: credit_first
    description: ...
    budget_yuan: 120_000_000        # the whole run's budget, yuan (nominal)
    lines:                          # what each line may spend over the run, yuan
      mutual_aid_capital: 40_000_000
      subsidy_shares: 20_000_000
      ...

A config takes it as `funding: <path>` (or the mapping inline); `coopsim run configs/county.yaml
--set funding=configs/funding/credit_first.yaml`. Lines left out get nothing. Validation names
the file, the line and what is allowed: an unknown line, a negative amount, or lines adding up
to more than the budget are errors (exit code 2 on the command line).

The funder is the ledger's `public` account. Each line's spending is booked under its own
public-programme sources (`LINE_SOURCES`), so what a line has spent is read from the ledger, and
`public_spending` / `public_cost_per_household_lifted` are exact. How each line's money is turned
into things (`FUNDING_LINES`, docs/finance_and_county.md) is the mechanism's rule; a line is
an envelope, never overspent; what a mechanism cannot use stays unspent.
Without a scenario every mechanism spends what its own config section says, without a cap.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field, field_validator, model_validator

from sim.schema import NonNegative, Strict

if TYPE_CHECKING:
    from sim.model import VillageModel


@dataclass(frozen=True)
class FundingLine:
    policy: str  # the mechanism that spends it (must be switched on when the line gets money)
    pacing: str  # "start": spent at the start; "yearly": at most an even share of what is left each year;
    #              "as_due": as payments fall due, until spent
    rule: str  # how the money becomes things (for the docs and `coopsim run`)


FUNDING_LINES: dict[str, FundingLine] = {
    "mutual_aid_capital": FundingLine("mutual_aid_credit", "start",
                                      "capital of each village's mutual-aid fund: the line split equally among "
                                      "villages"),
    "subsidy_shares": FundingLine("land_shares", "start",
                                  "fiscal subsidy shares: the line split equally among the registered-poor households "
                                  "joining a cooperative"),
    "interest_subsidy": FundingLine("subsidised_loans", "as_due",
                                    "the subsidised share of interest on cooperative and party-member loans, as it "
                                    "falls due, until spent (then borrowers pay the full rate)"),
    "project_agency": FundingLine("project_agency", "yearly",
                                  "small public works contracted to cooperatives: the year's share buys projects of "
                                  "project_yuan each, villages in random order"),
    "training": FundingLine("training", "yearly",
                            "training sessions at cost_yuan_per_session: the year's share buys sessions, villages in "
                            "random order"),
    "awards": FundingLine("awards", "as_due", "demonstration awards to qualifying cooperatives, until spent"),
    "office_service": FundingLine("service_teams", "yearly",
                                  "village office funds (cadre pay), sanitation and service teams and points-"
                                  "supermarket start-up: each village's needs scaled down to the year's share"),
    "instructor_posts": FundingLine("instructor_posts", "yearly",
                                    "township instructors' pay: the year's share funds that many posts; cooperatives "
                                    "beyond them get no instructor"),
    "public_welfare_jobs": FundingLine("public_welfare_jobs", "yearly",
                                       "public-welfare posts (公益岗位) for registered-poor households with weak "
                                       "labour: the year's share funds posts at a year's pay each, villages in "
                                       "random rounds"),
    "industrial_subsidy": FundingLine("industrial_subsidy", "as_due",
                                      "industrial subsidies (产业奖补) to registered-poor households starting a "
                                      "household line, as they start, until spent"),
}

# the ledger sources each line's money is booked under (all public_programme, paid from `public`)
LINE_SOURCES: dict[str, tuple[str, ...]] = {
    "mutual_aid_capital": ("mutual_aid_capital",),
    "subsidy_shares": ("subsidy_shares",),
    "interest_subsidy": ("interest_subsidy",),
    "project_agency": ("project_funding",),
    "training": ("training_funding",),
    "awards": ("demonstration_award",),
    "office_service": ("office_fund", "service_team_fund", "points_startup"),
    "instructor_posts": ("instructor_funding",),
    "public_welfare_jobs": ("public_welfare_job_wage",),
    "industrial_subsidy": ("industrial_subsidy",),
}


class FundingScenario(Strict):
    """A budget and its split. Amounts in yuan over the whole run."""

    name: str = "scenario"
    description: str = ""
    budget_yuan: NonNegative
    lines: dict[str, Any] = Field(default_factory=dict)
    # multiplies the budget and every line: a sample of the county gets its share of the budget
    # (`--set county.villages=58 --set funding.scale=0.1` runs a tenth of a 578-village county)
    scale: float = Field(default=1.0, gt=0, le=1000)
    file: str | None = None  # where it was read from (set by the loader)

    @field_validator("lines")
    @classmethod
    def _known_and_non_negative(cls, v: dict[str, Any]) -> dict[str, float]:
        out = {}
        for name, amount in v.items():
            if name not in FUNDING_LINES:
                hint = difflib.get_close_matches(name, FUNDING_LINES, n=1)
                raise ValueError(f"unknown funding line {name!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
                                 + f"; allowed lines: {', '.join(FUNDING_LINES)}")
            if isinstance(amount, bool) or not isinstance(amount, (int, float)):
                raise ValueError(f"line {name!r}: the amount must be a number of yuan (got {amount!r})")
            if not np.isfinite(amount) or amount < 0:
                raise ValueError(f"line {name!r}: the amount must be >= 0 yuan (got {amount!r})")
            out[name] = float(amount)
        return out

    @model_validator(mode="after")
    def _within_budget(self) -> FundingScenario:
        total = sum(self.lines.values())
        if total > self.budget_yuan + 1e-6:
            split = ", ".join(f"{k} {v:,.0f}" for k, v in self.lines.items())
            raise ValueError(f"the lines add up to {total:,.0f} yuan, {total - self.budget_yuan:,.0f} more than "
                             f"budget_yuan {self.budget_yuan:,.0f} ({split}); lower a line or raise the budget")
        return self

    def amount(self, line: str) -> float:
        """What `line` may spend over the run, yuan (scaled)."""
        return self.lines.get(line, 0.0) * self.scale

    @property
    def budget_scaled_yuan(self) -> float:
        return self.budget_yuan * self.scale


def load_funding(path: str | Path) -> FundingScenario:
    """Read and validate a scenario file; errors name the file and the line."""
    from sim.config import read_yaml, validate

    data = read_yaml(path)
    if "file" in data:
        data.pop("file")
    scenario = validate(FundingScenario, data, str(path))
    scenario.file = str(path)
    return scenario


class Funder:
    """The township/county funder: the envelopes of a scenario, read against the ledger. Without a
    scenario every line is open (`limited` is False) and mechanisms spend what their config says."""

    def __init__(self, model: VillageModel, scenario: FundingScenario | None):
        self.model = model
        self.scenario = scenario
        self.limited = scenario is not None
        from sim.ledger import SOURCE_INDEX

        self._idx = {line: [SOURCE_INDEX[s] for s in sources] for line, sources in LINE_SOURCES.items()}

    def spent(self, line: str) -> float:
        """Yuan the line has spent since the start (from the ledger's running totals by source)."""
        tot = self.model.ledger.total_fen
        return float(sum(int(tot[i]) for i in self._idx[line])) / 100

    def remaining(self, line: str) -> float:
        """What the line may still spend (inf without a scenario)."""
        if self.scenario is None:
            return float("inf")
        return max(self.scenario.amount(line) - self.spent(line), 0.0)

    def this_year(self, line: str) -> float:
        """A yearly line's allowance this year: an even share of what is left over the years left."""
        if not self.limited:
            return float("inf")
        years_left = max(self.model.years - self.model.year_index, 1)
        return self.remaining(line) / years_left

    def fit(self, line: str, amounts: np.ndarray, allowance: float | None = None) -> np.ndarray:
        """Which of `amounts` (in priority order) the line can pay in full, in order, until it runs out."""
        amounts = np.asarray(amounts, dtype=np.float64)
        room = self.remaining(line) if allowance is None else allowance
        if not np.isfinite(room):
            return np.ones(amounts.size, bool)
        fen = np.rint(amounts * 100).astype(np.int64)
        return np.cumsum(fen) <= int(np.floor(room * 100 + 1e-6))

    def report(self) -> list[dict]:
        """Per line: the scenario, the line, the policy spending it, allocated, spent, unspent (yuan)."""
        rows = []
        scenario = self.scenario
        name = scenario.name if scenario is not None else ""
        for line, spec in FUNDING_LINES.items():
            spent = self.spent(line)
            alloc = scenario.amount(line) if scenario is not None else float("nan")
            rows.append({"scenario": name, "line": line, "policy": spec.policy, "allocated_yuan": alloc,
                         "spent_yuan": spent, "unspent_yuan": alloc - spent if self.limited else float("nan")})
        return rows


def fund_in_rounds(funder: Funder, line: str, wanted: np.ndarray, unit_yuan: float,
                   rng: np.random.Generator) -> np.ndarray:
    """How many of the units each village wants (`wanted`, one count per village) a yearly line buys this
    year at `unit_yuan` each: in rounds, one unit per village per round, villages in a random order drawn
    once from `rng`, until the year's share (`this_year`) runs out. Without a scenario every unit is bought."""
    wanted = np.asarray(wanted, np.int64)
    order = rng.permutation(wanted.size)  # drawn every year, scenario or not (common random numbers)
    if not funder.limited:
        return wanted.copy()
    rounds = int(wanted.max(initial=0))
    queue = np.array([v for r in range(rounds) for v in order if wanted[v] > r], np.int64)
    ok = funder.fit(line, np.full(queue.size, unit_yuan), funder.this_year(line))
    return np.bincount(queue[ok], minlength=wanted.size).astype(np.int64)
