"""Fit the economy's uncertain parameters jointly to the patterns (issue 14 item 10; sim/fit_patterns.py).

    python scripts/fit_patterns.py [--samples 40] [--replicates 4] [--stages 1] [--share 0.4] [--top 8]
                                   [--fresh-replicates 16] [--workers 0] [--out results/patterns_fit]

Stages of Latin hypercubes (each after the first around the best point so far), then the `top` points re-run on
fresh seeds; the fit is the best of those. Writes fit_points.csv (every point: values, each pattern's mean, patterns
within, score; best first), fit_reevaluated.csv (the top points on fresh seeds) and fit_ranges.csv (per parameter:
the fitted value, the range over the best 10% of points, the prior range, and whether the fit sits within 5% of a
prior bound). The fitted values and ranges are recorded by hand in configs/village.yaml's comments, and the
defaults set to the fit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.fit_patterns import Parameter, fit_in_stages, ranges_of_good_points, reevaluate, write  # noqa: E402

# The parameters no source pins down (each an "assumption" in configs/village.yaml), with plausible ranges.
PARAMETERS = [
    Parameter("economy.local_employment_probability_per_month", 0.2, 0.8),  # local wage work found in a month
    Parameter("economy.local_wage_yuan_per_day", 60, 110),  # rural day wages ~60-100 yuan (docs/model.md)
    # illness: the serious illness rate and the costs come from published figures (sim/policies/health.py); chronic
    # illness (below) is calibrated to how many of the registered poor were seriously or chronically ill, an input.
    # The share of the poor who are poor *because of* illness is left out of the fit's score (`fitted=False` in
    # sim/patterns.py): a pattern the model must reproduce, not a target to tune to
    Parameter("economy.remittance_yuan_per_migrant_month", 600, 1500),  # sent home: 20-50% of a migrant's wage
    Parameter("economy.nominal_growth_per_year", 0.07, 0.11),  # all rural ~8%/yr; poor areas ~11%/yr (2016-19, NBS)
    Parameter("dibao.coverage_multiple", 1.0, 3.0),  # a poor county's allowance quota over the national share
    # contracted land: ~2.6 mu per person nationally (third agricultural census 2016: 2.02bn mu of cultivated land,
    # ~230M rural households of ~3.4 persons), less in mountain villages
    Parameter("village.land_mu_per_person.mean", 0.8, 2.5),
    Parameter("registration.exit_income_poverty_lines", 1.0, 1.3),  # provinces' exit standards above the line
    Parameter("economy.local_employment_concentration", 0.5, 5.0),  # how lastingly households differ in local work
    Parameter("economy.local_work_share_of_spare_days", 0.3, 0.9),  # spare days worked when work is found
    Parameter("dibao.standard_multiple", 0.7, 1.0),  # poor western counties' standards below the national mean
    Parameter("dibao.exclusion_error_rate", 0.05, 0.6),  # before the linkage: large exclusion errors (surveys)
    # chronic illness that limits work: its onsets, and the chronically ill at the start as their steady state
    # (onsets x 3.4 persons x a 4-year mean spell)
    Parameter("health.chronic.onsets_per_person_year", 0.002, 0.02, linked=(("village.initial_ill_share", 13.6),)),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "configs" / "village.yaml"))
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--replicates", type=int, default=4)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stages", type=int, default=1, help="further hypercubes around the best point so far")
    ap.add_argument("--share", type=float, default=0.4, help="each stage's box, as a share of the last one's width")
    ap.add_argument("--top", type=int, default=8, help="best points re-run on fresh seeds; the fit is the best of them")
    ap.add_argument("--fresh-replicates", type=int, default=16)
    ap.add_argument("--out", default=str(ROOT / "results" / "patterns_fit"))
    a = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    points = fit_in_stages(a.config, PARAMETERS, samples=a.samples, replicates=a.replicates, seed=a.seed,
                           stages=a.stages, share=a.share, workers=a.workers, log=log)
    fresh = reevaluate(a.config, PARAMETERS, points, top=a.top, replicates=a.fresh_replicates, workers=a.workers,
                       log=log)
    ranges = ranges_of_good_points(points, PARAMETERS, best=fresh.iloc[0])
    write(points, ranges, Path(a.out), fresh)
    print(ranges.to_string(index=False))
    print(fresh.head(3).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
