"""An optimisation job and its results folder (`optimisation/<file>-<objective>-<hash>/`): manifest.json, and each
table as Parquet and CSV (with --xlsx one workbook): trials, evaluation (the fresh-seed runs), splits, summary, and
with a frontier or a target frontier, frontier_levels and target. A finished folder is never written over."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from sim import __version__
from sim.export import _workbook
from sim.folder import claim
from sim.io import atomic_write_json, atomic_write_parquet, atomic_write_text
from sim.plan import geography
from sim.plan.frontier import frontier_table, level_rows, levels_found, monotonicity
from sim.plan.optimise import Log, Settings, optimise_at, split_table
from sim.plan.problem import Problem
from sim.plan.target import least_budget
from sim.run import git_commit

KIND = "optimisation"


def fingerprint(problem: Problem, settings: Settings, levels, target, probability, steps: int = 2,
                by: str | None = None) -> str:
    data = [problem.template, problem.years, problem.budget_yuan, problem.lines, problem.scenarios, problem.current,
            asdict(settings) | {"workers": None}, list(levels or []), target, probability, steps]
    data += [by] if by else []  # a geographic split (--by); absent, older fingerprints stay as they were
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def default_out(source: str, settings: Settings, fp: str, by: str | None = None) -> Path:
    return Path("optimisation") / f"{Path(source).stem}-{settings.objective}{f'-by-{by}' if by else ''}-{fp[:8]}"


def finished(out: Path) -> bool:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("status") == "complete"
    except (OSError, ValueError):
        return False


def run_job(problem: Problem, settings: Settings, out: Path, levels=None, target=None, probability: float = 0.8,
            force: bool = False, xlsx: bool = False, steps: int = 2, log: Log = print,
            by: str | None = None) -> dict[str, pd.DataFrame] | None:
    """Run the optimisation (and frontier, target; or with `by` the geographic split at `levels`) into `out`; None
    when `out` already holds it, finished."""
    fp = fingerprint(problem, settings, levels, target, probability, steps, by)
    with claim(out, KIND, fp, f"optimise {problem.source}", force=force, log=log) as state:
        if state == "same" and finished(out):
            return None
        manifest = {"kind": KIND, "source": problem.source, "inputs": problem.inputs, "settings": asdict(settings),
                    "budget_yuan": problem.budget_yuan, "lines": problem.lines, "current": problem.current,
                    "scenarios": problem.scenarios, "labels": problem.labels, "years": problem.years,
                    "search_seeds": settings.seed_sets()[0], "fresh_seeds": settings.seed_sets()[1],
                    "version": __version__, "git_commit": git_commit(), "started": _now(), "status": "running"}
        atomic_write_json(out / "manifest.json", manifest)
        tables = (geography.compute(problem, settings, by, levels, manifest, log) if by else
                  compute(problem, settings, levels, target, probability, manifest, log, steps))
        write_tables(out, tables, xlsx)
        atomic_write_json(out / "manifest.json", manifest | {"status": "complete", "ended": _now()})
        return tables


def compute(problem, settings, levels, target, probability, manifest: dict, log: Log,
            steps: int = 2) -> dict[str, pd.DataFrame]:
    base = optimise_at(problem, settings, problem.budget_yuan, log)
    manifest["optimal"] = base.optimal
    tables = {"summary": base.summary, "splits": split_table(base, problem), "trials": base.trials,
              "evaluation": base.runs}
    if levels or target:
        found_at = levels_found(problem, settings, levels or (0.25, 0.5, 1.0, 1.5, 2.0), base, log)
        lv = level_rows(found_at, base, problem.budget_yuan)
        tables["frontier"] = frontier_table(found_at, lv, problem.lines)
        manifest["frontier_check"] = monotonicity(lv)
        if target:
            res = least_budget(problem, settings, found_at, base, target, probability, log, steps)
            split = res.pop("split", {})
            manifest["target"] = res
            tables["target"] = pd.DataFrame([{**res, "line": k, "yuan": v} for k, v in split.items()] or [res])
    return tables


def write_tables(out: Path, tables: dict[str, pd.DataFrame], xlsx: bool) -> None:
    for name, table in tables.items():
        atomic_write_parquet(out / f"{name}.parquet", table)
        atomic_write_text(out / f"{name}.csv", table.to_csv(index=False))
    if xlsx:
        _workbook(out / "optimisation.xlsx", tables)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
