"""The national patterns in `coopsim validate`'s table (issue 16): the default village run at parameter sets drawn
from the joint fit's shared posterior (sim/joint.py; at the defaults, said, when there is none), each pattern of
sim/patterns.py scored like a place's target (sim/scoring.py) with its target as the reported value.

Roles: a pattern the economy's fit sees (`fitted=True`) is `calibration`; the illness readings the fit cannot see
(`fitted=False`) are `held_out`; a diagnostic (sim/patterns.py `role="diagnostic"`) is listed, never counted. Every
run has its own seed (with the counterfactual runs on the same seed), so the intervals carry parameter and
stochastic uncertainty; a pattern's acceptance interval (`coopsim patterns`) is not used here: the verdict is the
validation table's (within the 90% interval, informative or not).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import resolve_config
from sim.experiment import replicate_seeds
from sim.io import atomic_write_parquet, atomic_write_text
from sim.patterns import PATTERNS, Pattern, needed_runs
from sim.patterns_run import run_replicate
from sim.scoring import score
from sim.validate import COLUMNS, VALIDATION_DIR, posterior_draws

KEY = "national"
SEED = 20261201  # the draws' and the runs' seeds (not the patterns fit's nor the joint fit's)
# pattern -> (figure, figure in Chinese, unit, year)
FIGURES: dict[str, tuple[str, str, str, str]] = {
    "illness_main_cause_share_of_registered_poor": ("illness the main cause, registered poor",
                                                    "因病致贫(主因)占建档立卡户", "share", "2015"),
    "illness_share_of_registered_poor": ("poor because of illness, income net of care", "因病致贫(扣除自付医疗)",
                                         "share", "2015"),
    "illness_necessary_cause_share_of_registered_poor": ("registered only because of illness", "仅因病而建档立卡",
                                                         "share", "2015"),
    "illness_share_of_registered_income_poor_before_medical_spending": (
        "illness, income before medical spending", "因病致收入贫困(未扣医疗)", "share", "2015"),
    "chronically_ill_share_of_registered_poor": ("registered poor with a chronically ill member",
                                                 "有慢性病人的建档立卡户", "share", "2015"),
    "no_labour_over_represented": ("no labour: over-representation", "无劳动力户的超额比例", "ratio", "2015"),
    "income_per_capita_2016": ("income per person, poor areas", "贫困地区人均收入", "yuan", "2016"),
    "income_per_capita_2019": ("income per person, poor areas", "贫困地区人均收入", "yuan", "2019"),
    "headcount_2019_over_2015": ("headcount 2019 / 2015", "贫困发生率 2019/2015", "ratio", "2015-2019"),
    "registered_certified_out_by_2020": ("registered poor certified out", "建档立卡户脱贫", "share", "2020"),
    "returns_share_of_exits_2016_2019": ("returns / exits", "返贫占脱贫", "share", "2016-2019"),
    "dividend_share_of_poor_income": ("dividends / the poor's income", "分红占贫困户收入", "share", "2015-2019"),
}


def role(p: Pattern) -> str:
    if p.role == "diagnostic":
        return "diagnostic"  # reported, never counted: it measures something the published figure is not
    return "calibration" if p.fitted else "held_out"


def pattern_row(p: Pattern, values: np.ndarray, n_sets: int) -> dict:
    figure, figure_zh, unit, year = FIGURES.get(p.name, (p.name.replace("_", " "), "", "", ""))
    return {"place": KEY, "target": p.name, "figure": figure, "figure_zh": figure_zh, "unit": unit, "year": year,
            "role": role(p), "reported": p.target, **score(values, p.target, role(p)), "parameter_sets": n_sets,
            "runs": len(values), "source": p.source}


def run_sets(sets: list[dict[str, float]], replicates: int, seed: int, workers: int) -> list:
    """Every set `replicates` times, each run on its own seed with the counterfactuals the patterns need."""
    seeds, runs = replicate_seeds(seed, len(sets) * replicates), needed_runs(PATTERNS)
    configs = [resolve_config(None, s or None) for s in sets]
    jobs = [(configs[i // replicates], seeds[i], runs) for i in range(len(seeds))]
    if workers <= 1:
        return [run_replicate(j) for j in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(run_replicate, jobs, chunksize=max(1, len(jobs) // (4 * workers))))


def validate_patterns(joint: dict | None, draws: int = 20, replicates: int = 2, workers: int = 2,
                      root: Path | None = None, log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """The national patterns' rows of the validation table (written to results/validation/national/)."""
    if joint is None:
        log("national patterns: no joint fit (coopsim calibrate --joint): the default village at its defaults, "
            "so the intervals carry stochastic uncertainty only")
        sets: list[dict[str, float]] = [{}]
        replicates = draws * replicates
    else:
        sets = posterior_draws(joint["posterior"], draws, SEED)
    t0 = time.perf_counter()
    reps = run_sets(sets, replicates, SEED + 1, workers)
    table = pd.DataFrame([pattern_row(p, np.array([p.statistic(r) for r in reps], dtype=float), len(sets))
                          for p in PATTERNS], columns=COLUMNS)
    folder = (root or VALIDATION_DIR) / KEY
    atomic_write_parquet(folder / "validation.parquet", table)
    atomic_write_text(folder / "validation.csv", table.to_csv(index=False))
    log(f"national patterns: {len(reps)} runs at {len(sets)} parameter set(s) in {time.perf_counter() - t0:.1f} s")
    return table
