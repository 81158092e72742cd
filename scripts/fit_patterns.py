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

from sim.fit_patterns import ECONOMY_PARAMETERS as PARAMETERS  # noqa: E402
from sim.fit_patterns import fit_in_stages, ranges_of_good_points, reevaluate, write  # noqa: E402


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
