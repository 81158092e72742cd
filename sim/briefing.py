"""The briefing's numbers, computed from an experiment's runs: the headline table (each variant against the baseline,
paired by seed), the key sentence, the set-up facts, the note when households lifted and the headcount move apart,
and the appendix (the gross cost and the reconciliation of the budget with every yuan of public money by source)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.compare import INCOME_GAIN, incremental_cost, mean_ci, paired_differences, spread
from sim.policies import registry
from sim.ranking import MIN_REPLICATES_TO_RANK, RANK_OUTCOME, wilson
from sim.run import PUBLIC_PREFIX

NAN3 = (np.nan, np.nan, np.nan)


def headline(runs: pd.DataFrame, baseline: str, order: list[str] | None = None, sweep: bool = False) -> pd.DataFrame:
    """Per variant, at the end of the runs: the poverty headcount ratio (mean and 95% interval over runs); against
    the baseline, paired by sweep point and seed: its change (95% interval), the extra households lifted since the
    start, the public cost per EXTRA household lifted and per extra yuan of income gained by the registered poor
    (ratios of mean paired differences, 95% bootstrap intervals), and the share of seeds on which the variant has
    fewer poverty person-years than the baseline (Wilson interval); and the gross cost per household lifted (for
    the appendix). For a `sweep` the brackets of the first two are the middle 95% of runs."""
    stat = spread if sweep else mean_ci
    ok = runs[runs["status"] == "ok"]
    order = order or list(dict.fromkeys(ok["variant"]))
    rows = []
    for v in order:
        g = ok[ok["variant"] == v]
        _, pov, pov_lo, pov_hi = stat(_col(g, "poverty_headcount_ratio"))
        _, lifted, lifted_lo, lifted_hi = stat(_col(g, "households_lifted_since_start"))
        spending = float(np.mean(_col(g, "public_spending_total"))) if "public_spending_total" in g else np.nan
        base = v == baseline
        n_pairs, eff, eff_lo, eff_hi = (len(g), 0.0, np.nan, np.nan) if base else \
            stat(paired_differences(ok, v, baseline, "poverty_headcount_ratio"))
        extra = NAN3 if base else mean_ci(paired_differences(ok, v, baseline, "households_lifted_since_start"))[1:]
        rows.append({"variant": v, "runs": len(g), "poverty_headcount_ratio": pov, "poverty_low": pov_lo,
                     "poverty_high": pov_hi, "households_lifted": lifted, "lifted_low": lifted_lo,
                     "lifted_high": lifted_hi, "effect": eff, "effect_low": eff_lo, "effect_high": eff_hi,
                     "pairs": n_pairs, "extra_lifted": extra[0], "extra_lifted_low": extra[1],
                     "extra_lifted_high": extra[2], "public_spending_total": spending,
                     "gross_cost_per_household_lifted": spending / lifted if lifted > 0 else np.nan,
                     **_costs(ok, v, baseline, spending), **_beats(ok, v, baseline)})
    return pd.DataFrame(rows)


def _col(df: pd.DataFrame, name: str) -> np.ndarray:
    """An outcome the experiment did not keep is an empty column (shown as "–")."""
    return df[name].to_numpy(float) if name in df.columns else np.array([])


def _costs(ok: pd.DataFrame, variant: str, baseline: str, spending: float) -> dict:
    """Public yuan per extra household lifted and per extra yuan gained by the poor, against the baseline."""
    have = {"public_spending_total", "households_lifted_since_start"} <= set(ok.columns)
    per_house = incremental_cost(ok, variant, baseline) if have and variant != baseline and spending > 0 else {}
    per_yuan = incremental_cost(ok, variant, baseline, gain=INCOME_GAIN) \
        if per_house and INCOME_GAIN in ok.columns else {}
    return {"cost_per_extra_household": per_house.get("mean", np.nan), "cost_low": per_house.get("low", np.nan),
            "cost_high": per_house.get("high", np.nan), "cost_per_yuan_gained": per_yuan.get("mean", np.nan),
            "yuan_cost_low": per_yuan.get("low", np.nan), "yuan_cost_high": per_yuan.get("high", np.nan)}


def _beats(ok: pd.DataFrame, variant: str, other: str) -> dict:
    """The share of seeds (and sweep points) on which `variant` has fewer poverty person-years than `other`, ties
    half (sim/ranking.py's definition), with its Wilson interval; and the mean paired difference in person-years
    with its 95% interval."""
    d = paired_differences(ok, variant, other, RANK_OUTCOME) if variant != other else np.array([])
    if not d.size:
        return {"p_beats": np.nan, "p_low": np.nan, "p_high": np.nan, "person_years": np.nan,
                "person_years_low": np.nan, "person_years_high": np.nan}
    wins = float((d < 0).sum() + 0.5 * (d == 0).sum())
    lo, hi = wilson(wins, d.size)
    _, py, py_lo, py_hi = mean_ci(d)
    return {"p_beats": wins / d.size, "p_low": lo, "p_high": hi, "person_years": py, "person_years_low": py_lo,
            "person_years_high": py_hi}


def best_and_runner_up(runs: pd.DataFrame, order: list[str]) -> dict | None:
    """The variant with the fewest poverty person-years on average (the ranking outcome of sim/ranking.py), the
    runner-up, how often the best beats it on the same seed (Wilson interval), and whether there are enough seeds
    to rank. None when the runs do not carry the outcome or there is one variant."""
    ok = runs[runs["status"] == "ok"]
    if RANK_OUTCOME not in ok.columns or len(order) < 2:
        return None
    means = ok.groupby("variant")[RANK_OUTCOME].mean().reindex(order).dropna().sort_values(kind="stable")
    best, second = means.index[0], means.index[1]
    seeds = int(ok.groupby("variant")["seed"].nunique().min())
    return {"best": best, "second": second, **_beats(ok, best, second), "seeds": seeds,
            "enough": seeds >= MIN_REPLICATES_TO_RANK}


def setup_facts(runs: pd.DataFrame, manifest: dict) -> dict:
    """What was run: villages and households per run (from the runs; else the base config), years, variants,
    replicates, runs and the experiment's seed."""
    ok = runs[runs["status"] == "ok"]
    base = manifest.get("base_config", {})
    villages = float(ok["villages"].mean()) if "villages" in ok else float(base.get("county", {}).get("villages", 1))
    households = float(ok["households"].mean()) if "households" in ok else \
        base.get("village", {}).get("households", np.nan)
    return {"villages": villages, "households": households, "varies": "households" in ok
            and ok["households"].nunique() > 1, "replicates": manifest.get("experiment", {}).get("replicates", 0),
            "seed": manifest.get("experiment_seed", manifest.get("experiment", {}).get("seed")),
            "runs": len(runs), "points": len(manifest.get("points", [])) or int(runs["point"].nunique())}


def opposite_moves(series: pd.DataFrame, table: pd.DataFrame) -> list[dict]:
    """Variants whose households lifted since the start are positive while the poverty headcount ratio rose from the
    first year to the last (means over runs): both are true, and the briefing says why."""
    first, last = int(series["year"].min()), int(series["year"].max())
    ends = series[series["year"].isin((first, last))].groupby(["variant", "year"])["poverty_headcount_ratio"].mean()
    out = []
    for _, r in table.iterrows():
        start, end = ends.get((r["variant"], first), np.nan), ends.get((r["variant"], last), np.nan)
        if r["households_lifted"] > 0 and end > start:
            out.append({"variant": r["variant"], "lifted": r["households_lifted"], "start": start, "end": end})
    return out


def public_money(runs: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The reconciliation: per variant (columns; means over runs, yuan), the budget, every public-programme source
    (with its funding line), the programme total as the runs report it and what of it no source explains, the
    budget left unspent, every other public source (national programmes, transfers) and all public money.
    Index: (group, key) with group budget / programme / programme_total / unexplained / unspent / other / all."""
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby("variant").mean(numeric_only=True).reindex(order)
    public = [c for c in means.columns if c.startswith(PUBLIC_PREFIX)]
    means[public] = means[public].fillna(0.0)  # a source a variant never paid under
    programme = {s.name for s in registry.sources() if s.public_programme}
    cols = [c for c in means.columns if c.startswith(PUBLIC_PREFIX) and (means[c].abs() > 0.5).any()]
    prog = [c for c in cols if c[len(PUBLIC_PREFIX):] in programme]
    other = [c for c in cols if c not in prog]
    total = means.get("public_spending_total", pd.Series(np.nan, index=order))
    rows: dict[tuple[str, str], pd.Series] = {}
    budget = means.get("funding_budget_yuan")
    if budget is not None and budget.notna().any():
        rows[("budget", "")] = budget
    rows.update({("programme", c[len(PUBLIC_PREFIX):]): means[c] for c in prog})
    rows[("programme_total", "")] = total
    unexplained = total - means[prog].sum(axis=1) if prog else total
    if (unexplained.abs() > 1).any():
        rows[("unexplained", "")] = unexplained
    if ("budget", "") in rows:
        rows[("unspent", "")] = budget - total
    rows.update({("other", c[len(PUBLIC_PREFIX):]): means[c] for c in other})
    rows[("all", "")] = total + (means[other].sum(axis=1) if other else 0.0)
    return pd.DataFrame(rows).T.rename_axis(["group", "key"])


def line_of_source() -> dict[str, str]:
    """The funding line each public-programme source belongs to."""
    return {s: line.name for line in registry.funding_lines().values() for s in line.sources}
