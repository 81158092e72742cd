"""Comparison of variants: each outcome's mean and 95% interval across replicates, and the paired
difference from the baseline variant (paired by replicate seed) with its 95% interval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.errors import UserInputError
from sim.io import atomic_write_parquet, atomic_write_text
from sim.results import load

HEADLINE = ("poverty_headcount_ratio", "households_lifted_since_start", "mean_income_per_capita",
            "public_cost_per_household_lifted")
ID_COLUMNS = {"run_id", "variant", "point", "replicate", "seed", "status", "failure", "error", "seconds"}


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[int, float, float, float]:
    """n, mean and the t-interval of the mean (NaN interval with fewer than two values)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    n = v.size
    if n == 0:
        return 0, np.nan, np.nan, np.nan
    m = float(v.mean())
    if n < 2:
        return n, m, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * v.std(ddof=1) / np.sqrt(n))
    return n, m, m - half, m + half


def outcome_columns(runs: pd.DataFrame) -> list[str]:
    return [c for c in runs.columns if c not in ID_COLUMNS and not c.startswith("param:")
            and pd.api.types.is_numeric_dtype(runs[c])]


def compare_runs(runs: pd.DataFrame, baseline: str, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Long table: variant, point, outcome, n, mean, ci_low, ci_high, n_pairs, diff, diff_ci_low, diff_ci_high."""
    ok = runs[runs["status"] == "ok"]
    if baseline not in set(ok["variant"]):
        raise UserInputError(f"baseline variant {baseline!r} has no finished runs; variants: "
                             f"{', '.join(sorted(set(runs['variant'])))}", field="--baseline")
    outcomes = outcomes or outcome_columns(ok)
    base = ok[ok["variant"] == baseline].set_index(["point", "seed"])
    rows = []
    for (variant, point), grp in ok.groupby(["variant", "point"], sort=False):
        g = grp.set_index(["point", "seed"])
        paired = g.index.intersection(base.index)
        for o in outcomes:
            n, m, lo, hi = mean_ci(grp[o].to_numpy())
            d = g.loc[paired, o].to_numpy(float) - base.loc[paired, o].to_numpy(float)
            nd, dm, dlo, dhi = mean_ci(d)
            rows.append({"variant": variant, "point": int(point), "outcome": o, "n": n, "mean": m,
                         "ci_low": lo, "ci_high": hi, "n_pairs": nd, "diff": dm, "diff_ci_low": dlo,
                         "diff_ci_high": dhi, "baseline": baseline})
    return pd.DataFrame(rows)


def compare(folder: str | Path, baseline: str | None = None, outcomes: list[str] | None = None) -> pd.DataFrame:
    res = load(folder)
    baseline = baseline or res.manifest.get("baseline") or res.runs["variant"].iloc[0]
    if outcomes:
        unknown = [o for o in outcomes if o not in res.runs.columns]
        if unknown:
            raise UserInputError(f"unknown outcome {unknown[0]!r}; in this folder: "
                                 f"{', '.join(outcome_columns(res.runs))}", field="--outcome")
    table = compare_runs(res.runs, baseline)
    atomic_write_parquet(Path(folder) / "comparison.parquet", table)
    atomic_write_text(Path(folder) / "comparison.csv", table.to_csv(index=False))
    return table


def print_comparison(table: pd.DataFrame, outcomes: list[str] | None = None, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    from sim.metrics import OUTCOMES

    console = console or (Console() if Console().is_terminal else Console(width=160))
    shown = [o for o in (outcomes or HEADLINE) if o in set(table["outcome"])]
    baseline = table["baseline"].iloc[0]
    with_points = table["point"].nunique() > 1
    for o in shown:
        label = OUTCOMES[o].label_en if o in OUTCOMES else o
        t = Table(title=f"{label} — mean [95% interval]; difference from {baseline!r}, paired by seed",
                  title_justify="left")
        heads = ("variant", *(("point",) if with_points else ()), "runs", "mean", "95% interval", "difference",
                 "95% interval ")
        for head in heads:
            t.add_column(head, justify="left" if head == "variant" else "right", no_wrap=True)
        for _, r in table[table["outcome"] == o].iterrows():
            is_base = r["variant"] == baseline
            t.add_row(r["variant"], *((str(r["point"]),) if with_points else ()), str(r["n"]), _fmt(r["mean"]),
                      f"[{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]",
                      "baseline" if is_base else _fmt(r["diff"], sign=True),
                      "" if is_base else f"[{_fmt(r['diff_ci_low'], sign=True)}, {_fmt(r['diff_ci_high'], sign=True)}]")
        console.print(t)


def _fmt(x: float, sign: bool = False) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    s = "+" if sign else ""
    if x == 0:
        return "0"
    return f"{x:{s},.4f}" if abs(x) < 10 else f"{x:{s},.0f}"
