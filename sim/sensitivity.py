"""Global sensitivity analysis with SALib: Sobol first and total order indices (with confidence
intervals) or Morris elementary effects, for the experiment's swept parameters and outcomes."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserInputError
from sim.experiment import Plan, Sweep, salib_problem, sweep_points
from sim.io import atomic_write_parquet
from sim.results import load

DEFAULT_OUTCOMES = ("poverty_headcount_ratio", "mean_income_per_capita", "households_lifted_since_start")


def check_plan(plan: Plan) -> Sweep:
    """The plan's sweep, when it is one sensitivity analysis can use."""
    sweep = plan.experiment.sweep
    if sweep is None or sweep.method not in ("sobol", "morris"):
        raise UserInputError("sensitivity needs a sweep with method sobol or morris", file=plan.file,
                             field="sweep.method")
    if len(plan.experiment.variants) != 1:
        raise UserInputError("sensitivity analyses one variant; list exactly one", file=plan.file, field="variants")
    return sweep


def analyse(folder: str | Path, plan: Plan, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Indices per outcome and parameter, from the runs of a finished sensitivity experiment.
    Each sample point's outcome is its mean over replicates."""
    sweep = check_plan(plan)
    res = load(folder)
    runs = res.runs
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        raise UserInputError(f"{len(failed)} runs failed (first: {failed['error'].iloc[0]}); sensitivity needs "
                             "every sample point", file=str(folder))
    outcomes = list(outcomes or plan.experiment.outcomes or [o for o in DEFAULT_OUTCOMES if o in runs.columns])
    problem = salib_problem(sweep)
    _, matrix = sweep_points(sweep, plan.experiment.seed)
    by_point = runs.groupby("point")[outcomes].mean().sort_index()
    rows = []
    for o in outcomes:
        y = by_point[o].to_numpy(float)
        missing = int((~np.isfinite(y)).sum())
        if missing == len(y):
            raise UserInputError(f"outcome {o!r} is undefined (NaN) at every sample point", file=str(folder),
                                 field="outcomes")
        if missing:  # e.g. a cost per household lifted where none was lifted
            warnings.warn(f"sensitivity: {o} is undefined at {missing} of {len(y)} sample points; "
                          "they are set to the mean of the others", stacklevel=2)
            y = np.where(np.isfinite(y), y, np.nanmean(y))
        if sweep.method == "sobol":
            from SALib.analyze import sobol

            si = sobol.analyze(problem, y, calc_second_order=False, seed=plan.experiment.seed)
            for i, name in enumerate(problem["names"]):
                rows.append({"outcome": o, "parameter": name, "method": "sobol", "samples": sweep.samples,
                             "S1": si["S1"][i], "S1_conf": si["S1_conf"][i],
                             "ST": si["ST"][i], "ST_conf": si["ST_conf"][i]})
        else:
            from SALib.analyze import morris

            si = morris.analyze(problem, matrix, y, num_levels=sweep.levels, seed=plan.experiment.seed)
            for i, name in enumerate(problem["names"]):
                rows.append({"outcome": o, "parameter": name, "method": "morris",
                             "mu_star": si["mu_star"][i], "mu_star_conf": si["mu_star_conf"][i],
                             "mu": si["mu"][i], "sigma": si["sigma"][i]})
    table = pd.DataFrame(rows)
    atomic_write_parquet(Path(folder) / "sensitivity.parquet", table)
    return table


def print_indices(table: pd.DataFrame, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or (Console() if Console().is_terminal else Console(width=160))
    sobol = table["method"].iloc[0] == "sobol"
    t = Table(title="Sobol indices (first order S1, total ST, ± 95% confidence)" if sobol
              else "Morris indices (mu*, ± 95% confidence; sigma)", title_justify="left")
    for head in ("outcome", "parameter", *(("S1", "ST") if sobol else ("mu*", "sigma"))):
        t.add_column(head, justify="left" if head in ("outcome", "parameter") else "right")
    for _, r in table.iterrows():
        if sobol:
            vals = (f"{r.S1:.3f} ± {r.S1_conf:.3f}", f"{r.ST:.3f} ± {r.ST_conf:.3f}")
        else:
            vals = (f"{r.mu_star:,.4g} ± {r.mu_star_conf:,.3g}", f"{r.sigma:,.4g}")
        t.add_row(r.outcome, r.parameter, *vals)
    console.print(t)
    caution = too_small(table)
    if caution:
        console.print(caution)


def too_small(table: pd.DataFrame) -> str:
    """A caution when Sobol indices show the sample is too small to be stable: a first-order index below zero or
    above its total-order index is impossible in theory and appears only from sampling error."""
    if table.empty or table["method"].iloc[0] != "sobol":
        return ""
    bad = table[(table["S1"] < 0) | (table["S1"] > table["ST"])]
    if bad.empty:
        return ""
    first = bad.iloc[0]
    samples = f" (samples: {int(table['samples'].iloc[0]):,})" if "samples" in table else ""
    return (f"caution: the sample is too small for stable indices{samples}: {len(bad)} of {len(table)} have S1 < 0 "
            f"or S1 > ST (e.g. {first.parameter} on {first.outcome}: S1 {first.S1:.3f}, ST {first.ST:.3f}), which "
            "only sampling error produces; raise sweep.samples until the indices stop moving")
