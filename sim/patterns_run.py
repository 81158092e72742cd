"""Running the patterns: replicates of a config with common random numbers (the experiments' replicate seeds),
each with the counterfactual runs the patterns need on the same seed, in local processes; the printed table and
patterns.csv."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config import resolve_config
from sim.experiment import replicate_seeds
from sim.io import atomic_write_text
from sim.ledger import CATEGORY_INDEX, FEN_PER_YUAN
from sim.model import VillageModel
from sim.patterns import PATTERNS, Pattern, Replicate, counterfactual, judged, needed_runs, table

DEFAULT_SEED = 20261129  # the patterns' SeedSequence seed (any fixed number: replicates are its children)


def run_once(config: Any, seed: int, overrides: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """One run: its yearly outcomes and, after each year, the households' income per person, the line, registration,
    whether they have labour, the start's assessment, chronic illness and medical spending per person (net of
    reimbursement; negative)."""
    model = VillageModel(config=config, rng=seed, overrides=overrides or None)
    snaps = {}
    for _ in range(model.years):
        for _ in range(12):
            model.step()
        hh = model.hh
        year = int(model.history[-1]["year"])
        snaps[year] = {"pc": hh.income_per_capita_last_year.copy(), "line": model.history[-1]["poverty_line"],
                       "registered": hh.registered_poor.copy(), "no_labour": hh.labour_units == 0,
                       "assessed": model.assessed_income_per_capita, "assessed_line": model.assessment_line,
                       "chronic": hh.chronically_ill,
                       "medical_pc": model.last_income_fen[CATEGORY_INDEX["medical"]] / FEN_PER_YUAN / hh.persons}
    return pd.DataFrame(model.history), snaps


def run_replicate(args: tuple) -> Replicate:
    config, seed, runs = args
    rep = Replicate()
    for name in runs:
        rep.yearly[name], rep.households[name] = run_once(config, seed, counterfactual(name, config))
    return rep


def run_patterns(config: Any, replicates: int = 30, seed: int = DEFAULT_SEED, workers: int = 0,
                 overrides: dict | None = None, patterns: tuple[Pattern, ...] = PATTERNS) -> pd.DataFrame:
    """The patterns table for a config (path, mapping or Config) over `replicates` seeds (only the counterfactual
    runs `patterns` need)."""
    cfg = resolve_config(config, overrides or None)
    jobs = [(cfg, s, needed_runs(patterns)) for s in replicate_seeds(seed, replicates)]
    workers = workers or min(len(jobs), _cores())
    if workers <= 1:
        reps = [run_replicate(j) for j in jobs]
    else:
        with ProcessPoolExecutor(workers) as pool:
            reps = list(pool.map(run_replicate, jobs, chunksize=max(1, len(jobs) // (4 * workers))))
    return table(reps, patterns)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write(t: pd.DataFrame, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "patterns.csv"
    atomic_write_text(path, t.to_csv(index=False))
    return path


def print_table(t: pd.DataFrame, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or (Console() if Console().is_terminal else Console(width=160))
    rt = Table(title="Patterns: simulated mean over replicates against each target's acceptance interval",
               title_justify="left")
    for head in ("pattern", "target", "simulated (95% CI of the mean)", "interval", "within"):
        rt.add_column(head, justify="left" if head == "pattern" else "right", no_wrap=True)
    for _, r in t.iterrows():
        verdict = "(diagnostic)" if r["role"] == "diagnostic" else "yes" if r["within"] else "NO"
        simulated = f"{_fmt(r['simulated_mean'])} [{_fmt(r['mean_ci_low'])}, {_fmt(r['mean_ci_high'])}]"
        rt.add_row(r["pattern"], _fmt(r["target"]), simulated, f"[{_fmt(r['low'])}, {_fmt(r['high'])}]", verdict)
    console.print(rt)
    j = judged(t)
    console.print(f"{int(j['within'].sum())} of {len(j)} patterns within their interval; {len(t) - len(j)} diagnostics "
                  "reported, not judged (why in patterns.csv's source column)")


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "–" if np.isnan(x) else "∞"
    return f"{x:,.3f}" if abs(x) < 10 else f"{x:,.0f}"
