"""The funder (docs/model.md §4): a funding scenario's envelopes (its budget split across the funding lines planners
control), read against the ledger. The scenario itself is config (`FundingScenario` in sim/config.py).

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
public-programme sources (declared with the line by the mechanism spending it: `Policy.funding_line`), so
what a line has spent is read from the ledger, and `public_spending` / `public_cost_per_household_lifted`
are exact. How each line's money is turned into things (the line's `rule`, docs/finance_and_county.md) is
the mechanism's rule; a line is an envelope, never overspent; what a mechanism cannot use stays unspent;
its `pacing` says what it makes available at a time (`Funder.available`).
Without a scenario every mechanism spends what its own config section says, without a cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from sim.declarations import FundingLine
from sim.ledger import Ledger


class _Books(Protocol):
    """What the funder reads of the model: the ledger and the clock."""

    ledger: Ledger
    years: int

    @property
    def year_index(self) -> int: ...


class Funder:
    """The township/county funder: the envelopes of a scenario, read against the ledger. Without a
    scenario every line is open (`limited` is False) and mechanisms spend what their config says."""

    def __init__(self, model: _Books, scenario: Any, lines: Mapping[str, FundingLine],
                 policies: Mapping[str, str]):
        """`scenario`: a config's `FundingScenario` (or None); `lines`: every declared line by name; `policies`:
        the mechanism spending each line."""
        self.model = model
        self.scenario = scenario
        self.limited = scenario is not None
        self.lines = dict(lines)
        self.policies = dict(policies)
        index = model.ledger.source_index
        self._idx = {name: [index[s] for s in line.sources] for name, line in self.lines.items()}

    def spent(self, line: str) -> float:
        """Yuan the line has spent since the start (from the ledger's running totals by source)."""
        tot = self.model.ledger.total_fen
        return float(sum(int(tot[i]) for i in self._idx[line])) / 100

    def remaining(self, line: str) -> float:
        """What the line may still spend (inf without a scenario)."""
        if self.scenario is None:
            return float("inf")
        return max(self.scenario.amount(line) - self.spent(line), 0.0)

    def available(self, line: str) -> float:
        """What the line makes available now, by its declared pacing: "start" and "as_due" lines everything still
        unspent, a "yearly" line this year's even share (`this_year`). inf without a scenario."""
        if self.lines[line].pacing == "yearly":
            return self.this_year(line)
        return self.remaining(line)

    def this_year(self, line: str) -> float:
        """A yearly line's allowance this year: an even share of what is left over the years left."""
        if not self.limited:
            return float("inf")
        years_left = max(self.model.years - self.model.year_index, 1)
        return self.remaining(line) / years_left

    def fit(self, line: str, amounts: np.ndarray, allowance: float | None = None) -> np.ndarray:
        """Which of `amounts` (in priority order) the line can pay in full, in order, until what it makes available
        (`available`, or `allowance`) runs out."""
        amounts = np.asarray(amounts, dtype=np.float64)
        room = self.available(line) if allowance is None else allowance
        if not np.isfinite(room):
            return np.ones(amounts.size, bool)
        fen = np.rint(amounts * 100).astype(np.int64)
        return np.cumsum(fen) <= int(np.floor(room * 100 + 1e-6))

    def report(self) -> list[dict]:
        """Per line: the scenario, the line, the policy spending it, allocated, spent, unspent (yuan)."""
        rows = []
        name = self.scenario.name if self.limited else ""
        for line, policy in self.policies.items():
            spent = self.spent(line)
            alloc = self.scenario.amount(line) if self.limited else float("nan")
            rows.append({"scenario": name, "line": line, "policy": policy, "allocated_yuan": alloc,
                         "spent_yuan": spent, "unspent_yuan": alloc - spent if self.limited else float("nan")})
        return rows


def fund_in_rounds(funder: Funder, line: str, wanted: np.ndarray, unit_yuan: float,
                   rng: np.random.Generator) -> np.ndarray:
    """How many of the units each village wants (`wanted`, one count per village) a yearly line buys this
    year at `unit_yuan` each: in rounds, one unit per village per round, villages in a random order drawn
    once from `rng`, until the year's share (`available`) runs out. Without a scenario every unit is bought."""
    wanted = np.asarray(wanted, np.int64)
    order = rng.permutation(wanted.size)  # drawn every year, scenario or not (common random numbers)
    if not funder.limited:
        return wanted.copy()
    rounds = int(wanted.max(initial=0))
    queue = np.array([v for r in range(rounds) for v in order if wanted[v] > r], np.int64)
    ok = funder.fit(line, np.full(queue.size, unit_yuan), funder.available(line))
    return np.bincount(queue[ok], minlength=wanted.size).astype(np.int64)
