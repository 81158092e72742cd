"""What `coopsim optimise` prints: the optimal split beside the current one with the lines that bind, each split's
outcome on the fresh seeds with its interval, its gain over the current split and the chance the optimal split
beats it; the frontier and the least budget for a target when they were asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer

from sim.plan.objective import LABELS


def _m(yuan: float) -> str:
    return f"{yuan / 1e6:,.2f}M"


def _ci(row, key: str, digits: int = 0) -> str:
    return f"{row[key]:,.{digits}f} [{row[key + '_low']:,.{digits}f}, {row[key + '_high']:,.{digits}f}]"


def show(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    summary, splits = pd.read_parquet(out / "summary.parquet"), pd.read_parquet(out / "splits.parquet")
    optimal, current = manifest["optimal"], manifest["current"]
    objective = manifest["settings"]["objective"]
    typer.echo(f"objective: {LABELS[objective][0]}; {summary['n'].iloc[0]} fresh seeds; 95% intervals")
    if manifest.get("mode") == "geographic":
        _places(splits, manifest)
    else:
        _lines(splits, optimal, current)
    _summary(summary)
    if (out / "frontier.parquet").exists():
        _frontier(out, manifest)
    if "target" in manifest:
        _target(manifest["target"])


def _places(splits: pd.DataFrame, manifest: dict) -> None:
    wide = splits.pivot_table(index="line", columns="variant", values="yuan", sort=False)
    typer.echo(f"{manifest['by']:<22}{'pro rata':>12}{'optimal':>12}")
    for unit in wide.index:
        typer.echo(f"{unit:<22}{_m(wide.loc[unit, manifest['current']]):>12}{_m(wide.loc[unit, 'optimal']):>12}")
    typer.echo(f"allocated {_m(manifest['allocated_yuan'])} of {_m(manifest['budget_yuan'])}; levels tried "
               f"(multiples of each place's pro-rata share): {', '.join(f'{x:g}' for x in manifest['levels'])}\n")


def _lines(splits: pd.DataFrame, optimal: str, current: str) -> None:
    wide = splits.pivot_table(index="line", columns="variant", values="yuan", sort=False)
    opt = splits[splits["variant"] == optimal].set_index("line")
    typer.echo(f"{'line':<22}{'current':>12}{'optimal':>12}{'of it spent':>13}  binds")
    for line in wide.index:
        typer.echo(f"{line:<22}{_m(wide.loc[line, current]):>12}{_m(wide.loc[line, optimal]):>12}"
                   f"{_m(opt.loc[line, 'spent_yuan']):>13}  {opt.loc[line, 'binds']}")
    typer.echo("")


def _summary(summary: pd.DataFrame) -> None:
    for _, r in summary.iterrows():
        p = "" if pd.isna(r["p_optimal_better"]) else (f"; optimal better on {r['p_optimal_better']:.0%} of seeds "
                                                       f"[{r['p_low']:.0%}, {r['p_high']:.0%}]")
        typer.echo(f"{r['label_en']} ({r['role']}): score {_ci(r, 'score')}; gain over current "
                   f"{_ci(r, 'gain_vs_current')}{p}")


def _target(t: dict) -> None:
    typer.echo(f"target {t['measure']} +{t['target']:g} on {t['probability']:.0%} of seeds: " +
               (f"least budget {_m(t['budget_yuan'])} (reached on {t['share_reached']:.0%} "
                f"[{t['share_low']:.0%}, {t['share_high']:.0%}]; not at {_m(t['below_yuan'])})"
                if t["reached"] else "not reached at any budget level tried"))


def _frontier(out: Path, manifest: dict) -> None:
    levels = pd.read_parquet(out / "frontier.parquet").drop_duplicates("level")
    typer.echo("\nfrontier (score of the optimal split at each budget; marginal gain of the next 10M yuan):")
    for _, r in levels.iterrows():
        marginal = "" if pd.isna(r.get("marginal_per_10m")) else f"; next 10M: {_ci(r, 'marginal_per_10m', 1)}"
        typer.echo(f"  {r['level']:g}x  {_m(r['budget_yuan']):>10}  score {_ci(r, 'score')}{marginal}")
    typer.echo(f"  {manifest['frontier_check']}")
