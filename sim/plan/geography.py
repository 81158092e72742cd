"""Where the money goes (issue 20, Build 4): a county budget shared across its villages or townships by their
budget-outcome curves, as Optima does across regions. Each village runs alone (sim/county.py's
`county_village_config`: the same households and random streams as inside the county) at several multiples of its
share of the budget pro rata to households, every level on the same seeds; the allocation that maximises the summed
objective within the county budget is solved (sim/plan/allocate.py); then the chosen allocation, the current one
(every village its share pro rata to households) and no programme money are re-run on fresh seeds and compared,
paired by seed. A township's villages move together (each at the same multiple of its share), so a township's
curve is the sum of its villages'. Within a place the budget is split across lines as the current scenario is."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sim.config import Config, validate
from sim.county import county_village_config, village_params
from sim.errors import UserInputError
from sim.experiment import RunSpec
from sim.plan.allocate import allocate, grouped
from sim.plan.evaluate import run_specs
from sim.plan.objective import MEASURES, score
from sim.plan.optimise import Log, Settings
from sim.plan.problem import BASELINE, Problem, funded
from sim.plan.summary import summarise

UNITS = ("village", "township")
LEVELS = (0.0, 0.5, 1.0, 2.0, 4.0)  # multiples of a place's share of the budget pro rata to households
RUNS_PER_TASK = 6  # a village runs in under a second: several per task spare the workers' start-up
CHOSEN, CURRENT = "optimal", "current"


@dataclass
class County:
    """The county's villages as one-village configs, with their households, townships and pro-rata shares."""

    templates: list[dict]
    households: np.ndarray
    township: np.ndarray
    share_yuan: np.ndarray  # each village's share of the budget pro rata to households
    line_shares: dict[str, float]  # the current scenario's split across lines, as shares of its total


def county_of(problem: Problem) -> County:
    """The villages of the problem's county (an error naming --by when the config has no county)."""
    check_county(problem)
    cfg = validate(Config, problem.template, problem.source)
    people = village_params(cfg)
    hh = np.array([p.households for p in people], float)
    per = cfg.county.villages_per_township
    templates = [county_village_config(cfg, v).model_dump(mode="json") for v in range(len(people))]
    current = problem.scenarios[problem.current]
    total = sum(current.values())
    return County(templates, hh, np.arange(len(people)) // per, problem.budget_yuan * hh / hh.sum(),
                  {k: v / total for k, v in current.items() if v > 0})


def check_county(problem: Problem) -> None:
    if not problem.template.get("county"):
        raise UserInputError("a geographic split needs a county (a `county:` section with its villages); allowed: a "
                             "county config or an experiment on one, e.g. configs/county.yaml", file=problem.source,
                             field="--by")


def parse_levels(by: str, text: str | None) -> list[float]:
    """The budget levels each place is simulated at (multiples of its pro-rata share; 0 and 1 always among them:
    no money and the current allocation)."""
    if by not in UNITS:
        raise UserInputError(f"unknown unit {by!r}; allowed: {', '.join(UNITS)}", field="--by")
    try:
        levels = [float(x) for x in (text or "").split(",") if x.strip()] or list(LEVELS)
    except ValueError:
        levels = [-1.0]
    if min(levels) < 0 or not all(np.isfinite(levels)):
        raise UserInputError(f"{text!r}: give multiples of each place's share >= 0 separated by commas, e.g. "
                             "0,0.5,1,2,4", field="--levels")
    return sorted({0.0, 1.0, *levels})


def _name(v: int, level: float) -> str:
    return f"v{v}@{level:g}"


def specs(problem: Problem, county: County, cells: list[tuple[int, float]], seeds: list[int]) -> list[RunSpec]:
    """One run per (village, level) cell and seed: the village alone with `level` times its share, split across
    lines as the current scenario is."""
    out: list[RunSpec] = []
    for v, level in cells:
        split = {k: s * level * county.share_yuan[v] for k, s in county.line_shares.items()}
        cfg = funded(county.templates[v], _name(v, level), split, problem.years)
        text = json.dumps(cfg, sort_keys=True)
        out += [RunSpec(len(out) + r, _name(v, level), 0, r, s, (), text, problem.years) for r, s in enumerate(seeds)]
    return out


def progress(log: Log):
    """Report every tenth of the runs done."""
    def on_run(done: int, total: int) -> None:
        if done == total or done // max(total // 10, 1) > (done - RUNS_PER_TASK) // max(total // 10, 1):
            log(f"  {done} of {total} village runs")
    return on_run


def run_cells(problem: Problem, county: County, cells, seeds, settings: Settings, log: Log) -> pd.DataFrame:
    """The runs of the cells, with `village`, `level` and `score` columns."""
    runs, _ = run_specs(specs(problem, county, list(cells), seeds), settings.workers, progress(log),
                        per_task=RUNS_PER_TASK)
    parts = runs["variant"].str.extract(r"v(\d+)@(.+)")
    extra = pd.DataFrame({"village": parts[0].astype(int), "level": parts[1].astype(float),
                          "score": score(runs, settings.measure_weights())})
    return pd.concat([runs, extra], axis=1)


def curves(problem: Problem, county: County, levels: list[float], settings: Settings, log: Log) -> pd.DataFrame:
    """Per village and level: yuan and the mean score and measures over the search seeds (shared by all)."""
    seeds, _ = settings.seed_sets()
    cells = [(v, m) for v in range(len(county.templates)) for m in levels]
    log(f"budget-outcome curves: {len(county.templates)} villages x {len(levels)} budget levels x {len(seeds)} seeds")
    runs = run_cells(problem, county, cells, seeds, settings, log)
    cols = ["score", *(MEASURES[m][0] for m in MEASURES)]
    table = runs.groupby(["village", "level"])[cols].mean().reset_index()
    table["township"] = county.township[table["village"]]
    table["yuan"] = table["level"] * county.share_yuan[table["village"]]
    return table


def unit_of(county: County, by: str) -> list[str]:
    """Each village's place in the allocation: itself, or its township."""
    return [f"village {v}" if by == "village" else f"township {t}" for v, t in enumerate(county.township)]


def choose(table: pd.DataFrame, county: County, by: str, budget_yuan: float) -> dict[int, float]:
    """The level each village gets: the best allocation of the budget across villages or townships."""
    levels = sorted(table["level"].unique())
    points = {f"v{v}": [(float(r["yuan"]), float(r["score"])) for _, r in g.sort_values("level").iterrows()]
              for v, g in table.groupby("village")}
    units = unit_of(county, by)
    groups: dict[str, list[str]] = {}
    for v, u in enumerate(units):
        groups.setdefault(u, []).append(f"v{v}")
    pick = allocate(grouped(points, groups), budget_yuan)
    return {v: float(levels[pick[u]]) for v, u in enumerate(units)}


def county_runs(runs: pd.DataFrame, plans: dict[str, dict[int, float]], settings: Settings) -> pd.DataFrame:
    """One row per plan and seed: the measures summed over the villages at their plan's levels, and the score."""
    keyed = runs.set_index(["village", "level", "seed"])
    cols = [c for c, _ in MEASURES.values()]
    rows = []
    for name, plan in plans.items():
        for seed in sorted(runs["seed"].unique()):
            picked = keyed.loc[[(v, lv, seed) for v, lv in plan.items()], cols]
            rows.append({"variant": name, "seed": int(seed), "point": 0, "status": "ok", **picked.sum().to_dict()})
    out = pd.DataFrame(rows)
    return out.assign(score=score(out, settings.measure_weights()))


def reevaluate(problem: Problem, county: County, chosen: dict[int, float], settings: Settings,
               log: Log) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, dict[int, float]]]:
    """(village runs, county rows per plan and seed, the plans) on the fresh seeds: the chosen allocation, the
    current one and no programme money; a village at the same level in two plans runs once."""
    n = len(county.templates)
    plans = {CHOSEN: chosen, CURRENT: dict.fromkeys(range(n), 1.0), BASELINE: dict.fromkeys(range(n), 0.0)}
    cells = sorted({(v, lv) for plan in plans.values() for v, lv in plan.items()})
    _, fresh = settings.seed_sets()
    log(f"re-running the chosen, current and no-money allocations on {len(fresh)} fresh seeds ({len(cells)} cells)")
    runs = run_cells(problem, county, cells, fresh, settings, log)
    return runs, county_runs(runs, plans, settings), plans


def summary_of(problem: Problem, county: County, rows: pd.DataFrame, plans) -> pd.DataFrame:
    """The re-run's summary (sim/plan/summary.py): each plan's outcome, its gain over the current allocation and
    the chance the chosen one is better, paired by seed."""
    labels = {CHOSEN: ("Optimal allocation", "最优地区分配"), CURRENT: ("Pro rata to households", "按户数分配"),
              BASELINE: ("No programme money", "无项目资金")}
    budgets = {k: {str(v): lv * county.share_yuan[v] for v, lv in p.items()} for k, p in plans.items()}
    return summarise(rows, replace(problem, current=CURRENT, labels=labels), CHOSEN, budgets)


def allocation_table(county: County, chosen: dict[int, float], by: str) -> pd.DataFrame:
    """Per village: its place in the allocation, households, current and chosen yuan, the chosen level."""
    units = unit_of(county, by)
    return pd.DataFrame([{"unit": units[v], "village": v, "township": int(county.township[v]),
                          "households": int(county.households[v]), "current_yuan": county.share_yuan[v],
                          "yuan": chosen[v] * county.share_yuan[v], "level": chosen[v]} for v in chosen])


def splits_of(allocation: pd.DataFrame) -> pd.DataFrame:
    """The allocation as `splits` rows (one per plan and place, `line` naming the place), as the charts read."""
    per = allocation.groupby("unit", sort=False)[["current_yuan", "yuan"]].sum()
    rows = [{"variant": v, "line": u, "yuan": float(per.loc[u, c]), "spent_yuan": np.nan, "binds": ""}
            for v, c in ((CURRENT, "current_yuan"), (CHOSEN, "yuan")) for u in per.index]
    return pd.DataFrame(rows)


def compute(problem: Problem, settings: Settings, by: str, levels: list[float], manifest: dict,
            log: Log) -> dict[str, pd.DataFrame]:
    """The curves, the allocation, the re-run on fresh seeds; the tables of the results folder."""
    county = county_of(problem)
    table = curves(problem, county, levels, settings, log)
    chosen = choose(table, county, by, problem.budget_yuan)
    runs, rows, plans = reevaluate(problem, county, chosen, settings, log)
    allocation = allocation_table(county, chosen, by)
    table = table.merge(allocation[["village", "unit"]], on="village")
    table["chosen"] = [chosen[v] == lv for v, lv in zip(table["village"], table["level"], strict=True)]
    manifest |= {"mode": "geographic", "by": by, "levels": levels, "current": CURRENT, "optimal": CHOSEN,
                 "allocated_yuan": float(allocation["yuan"].sum()), "line_shares": county.line_shares}
    return {"summary": summary_of(problem, county, rows, plans), "allocation": allocation, "curves": table,
            "splits": splits_of(allocation), "evaluation": rows, "village_runs": _slim(runs)}


def _slim(runs: pd.DataFrame) -> pd.DataFrame:
    keep = ["village", "level", "seed", "score", *(c for c, _ in MEASURES.values()), "public_spending"]
    return runs[[c for c in keep if c in runs.columns]]
