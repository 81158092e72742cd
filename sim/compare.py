"""Comparison of variants: each outcome's mean and 95% interval across replicates, and the paired
difference from the baseline variant (paired by replicate seed) with its 95% interval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.errors import UserInputError
from sim.io import atomic_write_parquet, atomic_write_text
from sim.policies import registry
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


def incremental_cost(runs: pd.DataFrame, variant: str, baseline: str, draws: int = 2000, seed: int = 0) -> dict:
    """Extra public spending per extra household lifted against the baseline: the ratio of the mean paired
    differences (by point and seed), with a 95% bootstrap interval over the pairs. Also returns the mean
    extra spending and extra households lifted; the cost is NaN when no extra household is lifted."""
    keys = ["point", "seed"]
    a = runs[runs["variant"] == variant].set_index(keys)
    b = runs[runs["variant"] == baseline].set_index(keys)
    pairs = a.index.intersection(b.index)
    ds = (a.loc[pairs, "public_spending_total"] - b.loc[pairs, "public_spending_total"]).to_numpy(float)
    dl = (a.loc[pairs, "households_lifted_since_start"] - b.loc[pairs, "households_lifted_since_start"]).to_numpy(float)
    out = {"extra_spending": float(ds.mean()) if len(pairs) else np.nan,
           "extra_lifted": float(dl.mean()) if len(pairs) else np.nan, "mean": np.nan, "low": np.nan, "high": np.nan}
    if not len(pairs) or dl.mean() <= 0:
        return out
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(pairs), size=(draws, len(pairs)))
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = ds[idx].mean(axis=1) / dl[idx].mean(axis=1)
    boot = boot[np.isfinite(boot) & (dl[idx].mean(axis=1) > 0)]
    lo, hi = np.percentile(boot, [2.5, 97.5]) if boot.size else (np.nan, np.nan)
    return {**out, "mean": float(ds.mean() / dl.mean()), "low": float(lo), "high": float(hi)}


def cost_effectiveness(runs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """For each variant (and sweep point) spending more public money than the baseline: extra public spending
    and extra households lifted (mean paired differences) and the cost per extra household lifted with its
    95% bootstrap interval. Empty when the runs carry no public spending."""
    ok = runs[runs["status"] == "ok"]
    cols = ["variant", "point", "extra_spending_yuan", "extra_households_lifted", "cost_per_extra_household_yuan",
            "ci_low", "ci_high", "baseline", "extra_income_gained_by_poor_yuan", "public_yuan_per_extra_yuan_gained"]
    rows = []
    if {"public_spending_total", "households_lifted_since_start"} <= set(ok.columns):
        for (variant, point), _ in ok[ok["variant"] != baseline].groupby(["variant", "point"], sort=False):
            cost = incremental_cost(ok[ok["point"] == point], variant, baseline)
            if cost["extra_spending"] > 0:
                rows.append({"variant": variant, "point": int(point), "extra_spending_yuan": cost["extra_spending"],
                             "extra_households_lifted": cost["extra_lifted"],
                             "cost_per_extra_household_yuan": cost["mean"], "ci_low": cost["low"],
                             "ci_high": cost["high"], "baseline": baseline,
                             **_per_extra_yuan(ok[ok["point"] == point], variant, baseline)})
    return pd.DataFrame(rows, columns=cols)


def _per_extra_yuan(runs: pd.DataFrame, variant: str, baseline: str) -> dict:
    """MODEL §4's public yuan per yuan of income gained by the poor, against the baseline: the mean paired extra
    programme spending over the mean paired extra income of the registered poor since the start (NaN when the
    registered poor gain nothing extra, or the runs predate the outcome)."""
    col = "income_gained_by_registered_poor_total"
    if col not in runs.columns:
        return {"extra_income_gained_by_poor_yuan": np.nan, "public_yuan_per_extra_yuan_gained": np.nan}
    a = runs[runs["variant"] == variant].set_index(["seed"])
    b = runs[runs["variant"] == baseline].set_index(["seed"])
    pairs = a.index.intersection(b.index)
    gain = float((a.loc[pairs, col] - b.loc[pairs, col]).mean())
    spend = float((a.loc[pairs, "public_spending_total"] - b.loc[pairs, "public_spending_total"]).mean())
    return {"extra_income_gained_by_poor_yuan": gain,
            "public_yuan_per_extra_yuan_gained": spend / gain if gain > 0 else np.nan}


def print_cost_effectiveness(table: pd.DataFrame, console=None) -> None:
    """The planners' table: what each extra household lifted costs against the baseline."""
    from rich.console import Console
    from rich.table import Table

    if not len(table):
        return
    console = console or (Console() if Console().is_terminal else Console(width=160))
    with_points = table["point"].nunique() > 1
    t = Table(title=f"Public cost per extra household lifted against {table['baseline'].iloc[0]!r} (paired by seed; "
                    "– where no extra household is lifted)", title_justify="left")
    for head in ("variant", *(("point",) if with_points else ()), "extra spending, yuan", "extra households lifted",
                 "yuan per extra household", "95% interval"):
        t.add_column(head, justify="left" if head == "variant" else "right", no_wrap=True)
    for _, r in table.iterrows():
        t.add_row(r["variant"], *((str(r["point"]),) if with_points else ()), _fmt(r["extra_spending_yuan"]),
                  _fmt(r["extra_households_lifted"], sign=True), _fmt(r["cost_per_extra_household_yuan"]),
                  f"[{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]")
    console.print(t)


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
    costs, costs_file = cost_effectiveness(res.runs, baseline), Path(folder) / "cost_effectiveness.parquet"
    if len(costs):  # only when some variant spends more public money than the baseline
        atomic_write_parquet(costs_file, costs)
    else:
        costs_file.unlink(missing_ok=True)  # never a stale table from an earlier comparison
    return table


def print_comparison(table: pd.DataFrame, outcomes: list[str] | None = None, console=None) -> None:
    from rich.console import Console
    from rich.table import Table


    declared = registry.outcomes()

    console = console or (Console() if Console().is_terminal else Console(width=160))
    shown = [o for o in (outcomes or HEADLINE) if o in set(table["outcome"])]
    baseline = table["baseline"].iloc[0]
    with_points = table["point"].nunique() > 1
    for o in shown:
        label = declared[o].label_en if o in declared else o
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


def paired_differences(runs: pd.DataFrame, variant: str, baseline: str, outcome: str) -> np.ndarray:
    """The variant's outcome minus the baseline's, run by run, paired by sweep point and replicate seed (common
    random numbers); empty when the outcome was not kept."""
    if outcome not in runs.columns:
        return np.array([])
    keys = ["point", "seed"]
    a = runs[runs["variant"] == variant].set_index(keys)[outcome]
    b = runs[runs["variant"] == baseline].set_index(keys)[outcome]
    pairs = a.index.intersection(b.index)
    return a.loc[pairs].to_numpy(float) - b.loc[pairs].to_numpy(float)


def spread(values: np.ndarray) -> tuple[int, float, float, float]:
    """n, mean and the middle 95% of the values (for sweeps, where runs differ by design)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not v.size:
        return 0, np.nan, np.nan, np.nan
    lo, hi = np.percentile(v, [2.5, 97.5])
    return v.size, float(v.mean()), float(lo), float(hi)
