"""Comparison of variants: each outcome's mean and 95% interval across replicates, and the paired
difference from the baseline variant (paired by replicate seed) with its 95% interval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.errors import UserInputError
from sim.io import atomic_write_parquet, atomic_write_text
from sim.ranking import RANK_OUTCOME, ranking
from sim.results import load

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


def incremental_cost(runs: pd.DataFrame, variant: str, baseline: str, draws: int = 2000, seed: int = 0,
                     gain: str = "households_lifted_since_start") -> dict:
    """Extra public spending per unit of extra `gain` against the baseline (by default per extra household
    lifted; `income_gained_by_registered_poor_total`: per yuan of income gained by the registered poor): the
    ratio of the mean paired
    differences (by point and seed), with a 95% bootstrap interval over the pairs. Also returns the mean extra
    spending and extra gain; the cost is NaN when there is no extra gain."""
    keys = ["point", "seed"]
    a = runs[runs["variant"] == variant].set_index(keys)
    b = runs[runs["variant"] == baseline].set_index(keys)
    pairs = a.index.intersection(b.index)
    ds = (a.loc[pairs, "public_spending_total"] - b.loc[pairs, "public_spending_total"]).to_numpy(float)
    dl = (a.loc[pairs, gain] - b.loc[pairs, gain]).to_numpy(float)
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


INCOME_GAIN = "income_gained_by_registered_poor_total"  # sim/poverty.py


def cost_effectiveness(runs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """For each variant (and sweep point) spending more public money than the baseline: extra public spending
    and extra households lifted (mean paired differences) and the cost per extra household lifted with its
    95% bootstrap interval; with the income of the households poor at the start in the runs, also the extra
    income they gained and the public yuan per yuan of it. Empty when the runs carry no public spending."""
    ok = runs[runs["status"] == "ok"]
    cols = ["variant", "point", "extra_spending_yuan", "extra_households_lifted", "cost_per_extra_household_yuan",
            "ci_low", "ci_high", "baseline", "extra_income_gained_by_poor_yuan", "public_yuan_per_extra_yuan_gained",
            "income_ci_low", "income_ci_high"]
    rows = []
    if {"public_spending_total", "households_lifted_since_start"} <= set(ok.columns):
        for (variant, point), _ in ok[ok["variant"] != baseline].groupby(["variant", "point"], sort=False):
            at = ok[ok["point"] == point]
            cost = incremental_cost(at, variant, baseline)
            if cost["extra_spending"] > 0:
                inc = (incremental_cost(at, variant, baseline, gain=INCOME_GAIN) if INCOME_GAIN in ok.columns
                       else {"extra_lifted": np.nan, "mean": np.nan, "low": np.nan, "high": np.nan})
                rows.append({"variant": variant, "point": int(point), "extra_spending_yuan": cost["extra_spending"],
                             "extra_households_lifted": cost["extra_lifted"],
                             "cost_per_extra_household_yuan": cost["mean"], "ci_low": cost["low"],
                             "ci_high": cost["high"], "baseline": baseline,
                             "extra_income_gained_by_poor_yuan": inc["extra_lifted"],
                             "public_yuan_per_extra_yuan_gained": inc["mean"], "income_ci_low": inc["low"],
                             "income_ci_high": inc["high"]})
    return pd.DataFrame(rows, columns=cols)


def rank_variants(runs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pairwise probabilities of beating and regret on poverty person-years since the start, per sweep point
    (sim/ranking.py)."""
    if RANK_OUTCOME not in runs.columns:
        return pd.DataFrame(), pd.DataFrame()
    pairs, regrets = [], []
    for point in sorted(runs.loc[runs["status"] == "ok", "point"].unique()):
        p, r = ranking(runs, RANK_OUTCOME, int(point))
        pairs.append(p.assign(point=int(point), outcome=RANK_OUTCOME))
        regrets.append(r.assign(point=int(point), outcome=RANK_OUTCOME, n=p["n"].max() if len(p) else 0))
    return pd.concat(pairs, ignore_index=True), pd.concat(regrets, ignore_index=True)


def compare_files(folder: Path, baseline: str, default: str | None) -> dict[str, Path]:
    """The files of a comparison against `baseline`: comparison.parquet / .csv and cost_effectiveness.parquet for
    the experiment's own baseline, comparison-vs-<baseline>.* for any other, so comparing against another baseline
    never rewrites the first comparison."""
    tag = "" if baseline == default else f"-vs-{baseline}"
    return {"comparison": folder / f"comparison{tag}.parquet", "csv": folder / f"comparison{tag}.csv",
            "costs": folder / f"cost_effectiveness{tag}.parquet"}


def compare(folder: str | Path, baseline: str | None = None,
            outcomes: list[str] | None = None) -> tuple[pd.DataFrame, dict[str, Path]]:
    """Write the comparison against `baseline` (default: the experiment's), its cost table when some variant
    spends more public money, and the ranking; return the comparison and the files written."""
    res, folder = load(folder), Path(folder)
    default = res.manifest.get("baseline") or res.runs["variant"].iloc[0]
    baseline = baseline or default
    if outcomes:
        unknown = [o for o in outcomes if o not in res.runs.columns]
        if unknown:
            raise UserInputError(f"unknown outcome {unknown[0]!r}; in this folder: "
                                 f"{', '.join(outcome_columns(res.runs))}", field="--outcome")
    table, files = compare_runs(res.runs, baseline), compare_files(folder, baseline, default)
    atomic_write_parquet(files["comparison"], table)
    atomic_write_text(files["csv"], table.to_csv(index=False))
    costs = cost_effectiveness(res.runs, baseline)
    if len(costs):  # only when some variant spends more public money than the baseline
        atomic_write_parquet(files["costs"], costs)
    else:
        files["costs"].unlink(missing_ok=True)  # never a stale table from an earlier comparison
        del files["costs"]
    pairs, regrets = rank_variants(res.runs)
    for name, frame in (("pairwise", pairs), ("regret", regrets)):
        if len(frame):
            atomic_write_parquet(folder / f"{name}.parquet", frame)
            files[name] = folder / f"{name}.parquet"
        else:
            (folder / f"{name}.parquet").unlink(missing_ok=True)
    return table, files


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
