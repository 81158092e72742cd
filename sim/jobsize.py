"""How big a job is before it starts: runs, households x years, an estimate of time and memory, and the
`--yes` a job above the threshold needs (5M households x 100 years or 200,000 replicates used to start and
run away)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.errors import UserInputError

# measured (README, "Performance"): a 308,606-household county runs 10 years in 16.7 s (5.4 microseconds per
# household-year) holding ~2,200 bytes per household, a 400-household village 20 years in 0.15 s (19 microseconds
# per household-year, mostly fixed cost per month); the estimate keeps 10 microseconds: a little high for counties,
# so a warning errs on the side of asking
SECONDS_PER_HOUSEHOLD_YEAR = 10e-6
SECONDS_PER_RUN = 0.05  # building the model and writing its rows
BYTES_PER_HOUSEHOLD = 2_000
BYTES_PER_PROCESS = 150 * 2**20  # Python, numpy, pandas, mesa imported
BYTES_PER_RUN_YEAR_KEPT = 2_200  # the main process keeps each run's yearly rows until its task is written
# above these a job asks for --yes (a one-core hour; a quarter of this machine's memory; a huge plan)
MAX_CPU_SECONDS = 3600
MAX_MEMORY_BYTES = 6 * 2**30
MAX_RUNS = 100_000


@dataclass(frozen=True)
class JobSize:
    runs: int
    households: int  # per run
    years: int

    @property
    def cpu_seconds(self) -> float:
        return self.runs * (self.households * self.years * SECONDS_PER_HOUSEHOLD_YEAR + SECONDS_PER_RUN)

    def memory_bytes(self, workers: int = 1) -> float:
        per_run = BYTES_PER_PROCESS + self.households * BYTES_PER_HOUSEHOLD
        kept = self.runs * self.years * BYTES_PER_RUN_YEAR_KEPT * max(1, math.ceil(self.households / 5_000))
        return min(workers, self.runs) * per_run + kept

    def too_big(self, workers: int = 1) -> bool:
        return (self.cpu_seconds > MAX_CPU_SECONDS or self.memory_bytes(workers) > MAX_MEMORY_BYTES
                or self.runs > MAX_RUNS)

    def describe(self, workers: int = 1) -> str:
        w = max(1, min(workers, self.runs))
        return (f"{self.runs:,} runs of {self.households:,} households x {self.years} years: about "
                f"{_duration(self.cpu_seconds / w)} on {w} core{'s' if w > 1 else ''} and "
                f"{self.memory_bytes(workers) / 2**30:.1f} GiB of memory")


def confirm(size: JobSize, yes: bool, workers: int = 1) -> None:
    """Refuse a job above the threshold unless `--yes` was given, with the estimate."""
    if yes or not size.too_big(workers):
        return
    raise UserInputError(f"a large job: {size.describe(workers)}; add --yes to run it, or make it smaller "
                         f"(fewer households, years, replicates or sweep points)")


def households_of(cfg) -> int:
    """Households in one run of a config: the village, or the county's villages at their mean size."""
    if cfg.county is None:
        return int(cfg.village.households)
    if cfg.county.households is None:
        per_village = cfg.village.households
    else:  # the distribution's mean, from a fixed sample (distributions declare no mean)
        per_village = float(np.mean(cfg.county.households.draw(np.random.default_rng(0), 2_000)))
        per_village = max(per_village, cfg.county.min_households_per_village)
    return int(round(cfg.county.villages * per_village))


def sweep_point_count(sweep) -> int:
    """How many points a sweep makes, without making them."""
    if sweep is None:
        return 1
    params = list(sweep.parameters.values())
    if sweep.method == "grid":
        return math.prod(len(p.values) if p.values is not None else sweep.levels for p in params)
    if sweep.method == "lhs":
        return sweep.samples
    if sweep.method == "sobol":
        return sweep.samples * (len(params) + 2)
    return sweep.samples * (len(params) + 1)  # morris trajectories


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.0f} days"
