"""One simulation run as data: `simulate()` returns tables; `write_run()` writes a results folder."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim import __version__
from sim.config import Config, resolve_config
from sim.io import atomic_write_json, atomic_write_parquet
from sim.model import VillageModel
from sim.policies import registry

# whole-period outcomes (issue 15): what the poor lived through over the run, not only in its last year
# (person-years in poverty since the start and the income gained by the registered poor are yearly running
# totals, sim/poverty.py: their last year is the whole period)
PERIOD_OUTCOMES = ("poverty_gap_index_mean", "poverty_severity_index_mean")


def period_outcomes(yearly: pd.DataFrame) -> dict[str, float]:
    """The mean poverty gap (FGT1) and severity (FGT2) over the years of the run."""
    return {"poverty_gap_index_mean": float(yearly["poverty_gap_index"].mean()),
            "poverty_severity_index_mean": float(yearly["poverty_severity_index"].mean())}


PUBLIC_PREFIX = "public_yuan:"  # run totals of public money by ledger source (the briefing's reconciliation)
FACTS = ("households", "villages", "funding_budget_yuan")  # what the run was: the briefing's set-up line


def run_facts(model, flows: pd.DataFrame) -> dict[str, float]:
    """What a run was and where its public money went: households, villages, the funding scenario's budget (NaN
    without one: no cap) and, per ledger source, the public account's net payments since the start (yuan)."""
    scenario = model.config.funding
    facts = {"households": float(model.hh.n), "villages": float(model.vill.n),
             "funding_budget_yuan": float(scenario.budget_scaled_yuan) if scenario is not None else float("nan")}
    out = flows[flows["from"] == "public"].groupby("source")["amount_yuan"].sum()
    back = flows[flows["to"] == "public"].groupby("source")["amount_yuan"].sum()
    net = out.sub(back, fill_value=0.0)
    return {**facts, **{f"{PUBLIC_PREFIX}{src}": float(v) for src, v in net.items()}}


@dataclass
class RunOutput:
    config: Config
    seed: int
    yearly: pd.DataFrame  # one row per year: `year` then the outcomes
    yearly_by_village: pd.DataFrame | None  # `village`, `year`, outcomes (only with several villages)
    flows: pd.DataFrame  # year, source, from, to, amount_yuan: who paid whom, by source
    final: dict[str, float]  # end-of-run outcomes
    # end of run: persons-weighted percentiles 1..99 of household income per person (percentile, income_yuan)
    distribution: pd.DataFrame | None = None
    # with a funding scenario: per funding line, allocated / spent / unspent yuan (sim/funding.py)
    funding: pd.DataFrame | None = None


def simulate(config: Config | str | Path | None = None, seed: int = 0, years: int | None = None,
             overrides=None, on_month: Callable[[int, int], None] | None = None) -> RunOutput:
    """Build and run one model; `on_month(done, total)` is called after every month (progress bars)."""
    cfg = resolve_config(config, overrides)
    model = VillageModel(config=cfg, rng=seed, years=years)
    total = model.years * 12
    while model.running:
        model.step()
        if on_month is not None:
            on_month(model.month, total)
    return collect(model)


def collect(model) -> RunOutput:
    yearly = pd.DataFrame(model.history)
    yearly["year"] = yearly["year"].astype("int64")
    yearly = yearly[["year", *[c for c in yearly.columns if c != "year"]]]
    by_village = None
    if model.vill.n > 1:
        rows = [{"village": v, "year": int(model.config.start_year + y), **row}
                for y, villages in enumerate(model.village_history) for v, row in enumerate(villages)]
        by_village = pd.DataFrame(rows)
    flows = pd.DataFrame(
        [{"year": entry["year"], "source": src, "from": frm, "to": to, "amount_yuan": fen / 100}
         for entry in model.flows_history for (src, frm, to), fen in sorted(entry["flows"].items())],
        columns=["year", "source", "from", "to", "amount_yuan"],
    )
    final = {k: float(v) for k, v in yearly.iloc[-1].items() if k != "year"}
    for k in registry.run_totals():  # every declared flow
        final[f"{k}_total"] = float(yearly[k].sum())
    final.update(period_outcomes(yearly))
    final.update(run_facts(model, flows))
    distribution = income_percentiles(model.hh.income_per_capita_last_year, model.hh.persons)
    funding = pd.DataFrame(model.funder.report()) if model.funder.limited else None
    return RunOutput(model.config, model.seed, yearly, by_village, flows, final, distribution, funding)


PERCENTILES = tuple(range(1, 100))


def income_percentiles(income_per_capita, persons) -> pd.DataFrame:
    """Persons-weighted percentiles of household income per person: the income below which p% of persons
    live (the inverse of the ECDF whose value at the poverty line is the poverty headcount ratio)."""
    y = np.asarray(income_per_capita, dtype=float)
    w = np.asarray(persons, dtype=float)
    order = np.argsort(y, kind="stable")
    y, share = y[order], np.cumsum(w[order]) / w.sum()
    idx = np.searchsorted(share, np.array(PERCENTILES) / 100 - 1e-12, side="left")
    return pd.DataFrame({"percentile": np.array(PERCENTILES, dtype="int64"),
                         "income_yuan": y[np.minimum(idx, len(y) - 1)]})


def git_commit() -> str | None:
    """The code's git commit, when it runs from a checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True,
                             text=True, timeout=5)
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("coopsim", "mesa", "simpy", "numpy", "scipy", "pandas", "pyarrow", "pydantic"):
        with contextlib.suppress(PackageNotFoundError):  # not installed: left out
            out[name] = version(name)
    return out


def write_run(out_dir: Path, run: RunOutput, started: _dt.datetime | None = None) -> Path:
    """Write a results folder: manifest.json, yearly.parquet, flows.parquet (and yearly_by_village.parquet
    with several villages, funding.parquet with a funding scenario)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"yearly.parquet": run.yearly, "flows.parquet": run.flows,
              "yearly_by_village.parquet": run.yearly_by_village, "funding.parquet": run.funding}
    for name, table in tables.items():
        if table is not None:
            atomic_write_parquet(out / name, table)
        else:
            (out / name).unlink(missing_ok=True)  # never leave a table of an earlier run beside this one
    atomic_write_json(out / "manifest.json", {
        "kind": "run",
        "fingerprint": run_fingerprint(run.config, run.seed),
        "seed": run.seed,
        "years": int(len(run.yearly)),
        "config": run.config.model_dump(mode="json"),
        "version": __version__,
        "git_commit": git_commit(),
        "packages": package_versions(),
        "started": (started or _dt.datetime.now(_dt.UTC)).isoformat(),
        "finished": _dt.datetime.now(_dt.UTC).isoformat(),
        "final": run.final,
        "tables": sorted(name for name, table in tables.items() if table is not None),
    })
    return out


def run_fingerprint(config: Config, seed: int) -> str:
    """What makes a run: its resolved config (scenario contents included) and its seed."""
    data = json.dumps({"config": config.model_dump(mode="json"), "seed": seed}, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]
