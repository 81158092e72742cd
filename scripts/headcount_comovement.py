"""How much villages' poverty moves together in an experiment's results (issue 15, item 1).

    python scripts/headcount_comovement.py results/funding_scenarios

Prints, over all runs: the mean pairwise correlation of villages' yearly changes in the poverty
headcount ratio (per run, over the years, averaged over village pairs and then runs), and the mean
absolute yearly change of the county's headcount ratio, in percentage points.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


def village_change_correlation(by_village: pd.DataFrame) -> float:
    """Mean over runs of the mean off-diagonal correlation of villages' yearly headcount changes."""
    out = []
    for _, run in by_village.groupby("run_id"):
        wide = run.pivot(index="year", columns="village", values="poverty_headcount_ratio").diff().dropna()
        c = np.corrcoef(wide.to_numpy().T)
        out.append(np.nanmean(c[np.triu_indices_from(c, k=1)]))
    return float(np.mean(out))


def county_mean_abs_change_pp(series: pd.DataFrame) -> float:
    """Mean over runs and years of |yearly change| of the county headcount ratio, percentage points."""
    d = series.sort_values("year").groupby("run_id")["poverty_headcount_ratio"].diff().abs().dropna()
    return float(100 * d.mean())


def main(folder: str) -> None:
    by_village = pd.read_parquet(f"{folder}/series_by_village.parquet")
    series = pd.read_parquet(f"{folder}/series.parquet")
    print(f"correlation of villages' yearly headcount changes: {village_change_correlation(by_village):.2f}")
    print(f"mean absolute yearly change of the county headcount: {county_mean_abs_change_pp(series):.2f} pp")


if __name__ == "__main__":
    main(sys.argv[1])
