"""The planner's commands on `coopsim`'s command line: `optimise` (split, frontier, least budget for a target)
and `dashboard` (the local web page). Registered on sim/cli.py's app; heavy imports inside the commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from sim.errors import UserInputError

PairsOpt = Annotated[list[str] | None, typer.Option(help="LINE=AMOUNT, yuan or a share of the budget such as 25% "
                                                         "(repeatable).")]


def _levels(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        levels = sorted({float(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise UserInputError(f"{text!r}: give multiples of the budget separated by commas, e.g. 0.25,0.5,1,1.5,2",
                             field="--frontier") from None
    if not levels or levels[0] <= 0 or 1.0 not in levels:
        raise UserInputError(f"{text!r}: multiples must be above 0 and include 1 (the budget itself)",
                             field="--frontier")
    return levels


ForceOpt = Annotated[bool, typer.Option(help="If --out holds another job's results, move that folder aside "
                                                "(renamed, never deleted) and start afresh.")]


def _geographic(problem, by: str, levels: str | None, frontier: str | None, target: str | None) -> list[float]:
    """The checked levels of a geographic split (--by), which runs without a frontier or a target."""
    from sim.plan import geography

    levels_ = geography.parse_levels(by, levels)
    if frontier or target:
        raise UserInputError("a geographic split runs alone: leave out --frontier and --target", field="--by")
    geography.check_county(problem)
    return levels_


def register(app: typer.Typer) -> None:
    """Add the planner's commands to `coopsim`."""
    app.command()(optimise)
    app.command()(dashboard)


def optimise(
    file: Annotated[Path, typer.Argument(help="An experiment (its variants' funding scenarios are the splits to "
                                              "beat), a config with `funding:`, or a funding scenario file.")],
    objective: Annotated[str, typer.Option(help="lifted (households lifted), person_years (poverty person-years "
                                                "avoided), income (income gained by the registered poor) or "
                                                "weighted; all over the whole run.")] = "person_years",
    weight: Annotated[list[str] | None, typer.Option(help="MEASURE=NUMBER for --objective weighted.")] = None,
    min_: Annotated[list[str] | None, typer.Option("--min", help="A line's least: LINE=AMOUNT (yuan or 25%).")] = None,
    max_: Annotated[list[str] | None, typer.Option("--max", help="A line's most: LINE=AMOUNT (yuan or 25%).")] = None,
    fix: Annotated[list[str] | None, typer.Option(help="A line held at LINE=AMOUNT (yuan or 25%).")] = None,
    budget: Annotated[float | None, typer.Option(help="The budget to split, yuan (default: the current split's).",
                                                  min=0)] = None,
    scale: Annotated[float, typer.Option(help="Multiply the budget and every shipped split (a sample of the "
                                              "county gets its share).", min=0.0001)] = 1.0,
    current: Annotated[str | None, typer.Option(help="The experiment's variant that is the current split.")] = None,
    trials: Annotated[int, typer.Option(help="Splits the search tries at each budget.", min=1)] = 40,
    search_seeds: Annotated[int, typer.Option(help="Shared seeds every tried split runs on.", min=1)] = 4,
    fresh_seeds: Annotated[int, typer.Option(help="Fresh seeds the finalists and references are re-run on.",
                                             min=2)] = 20,
    finalists: Annotated[int, typer.Option(help="Best tried splits re-run on the fresh seeds.", min=1)] = 3,
    seed: Annotated[int, typer.Option(help="Seed of the shock paths and of the search.", min=0)] = 2015,
    workers: Annotated[int, typer.Option(help="Parallel workers (0: one per core).", min=0)] = 0,
    frontier: Annotated[str | None, typer.Option(help="Budget multiples for the frontier, e.g. "
                                                      "0.25,0.5,1,1.5,2.")] = None,
    target: Annotated[str | None, typer.Option(help="Least budget reaching MEASURE=N more than no programme "
                                                    "money, e.g. lifted=20.")] = None,
    probability: Annotated[float, typer.Option(help="Share of shock paths on which the target must be reached.",
                                               min=0.01, max=1.0)] = 0.8,
    cap_at_use: Annotated[bool, typer.Option("--cap-at-use", help="Give no line more than it can use (measured "
                                                                  "with open envelopes on the search seeds).")] = False,
    target_steps: Annotated[int, typer.Option(help="Halvings of the frontier's bracket around the least budget.",
                                              min=0, max=10)] = 2,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a setting: dotted.key=value.")] = None,
    out: Annotated[Path | None, typer.Option(help="Results folder (default: optimisation/<file>-<objective>-"
                                                  "<hash>).")] = None,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write one Excel workbook.")] = False,
    force: ForceOpt = False,
    by: Annotated[str | None, typer.Option(help="Share the county budget across places by their budget-outcome "
                                                "curves instead of across lines: village or township.")] = None,
    levels: Annotated[str | None, typer.Option(help="With --by: multiples of each place's share pro rata to "
                                                    "households it is simulated at (default 0,0.5,1,2,4).")] = None,
) -> None:
    """Find the split of the budget across funding lines that does most for the chosen objective."""
    from sim.plan.job import default_out, fingerprint, run_job
    from sim.plan.objective import parse_weights
    from sim.plan.optimise import Settings
    from sim.plan.problem import load_problem, rescale
    from sim.plan.show import show
    from sim.plan.split import make_bounds, parse_pairs
    from sim.plan.target import parse_target

    settings = Settings(objective, parse_weights(weight), parse_pairs(min_, "--min"), parse_pairs(max_, "--max"),
                        parse_pairs(fix, "--fix"), trials, search_seeds, fresh_seeds, finalists, seed,
                        workers or os.cpu_count() or 1, cap_at_use)
    settings.measure_weights()
    problem = rescale(load_problem(file, set_, current, budget), scale)
    make_bounds(problem.lines, problem.budget_yuan, settings.mins, settings.maxs, settings.fixed)  # checked first
    levels_, goal = _levels(frontier), parse_target(target)
    if by is not None:
        levels_ = _geographic(problem, by, levels, frontier, target)
    fp = fingerprint(problem, settings, levels_, goal, probability, target_steps, by)
    out = out or default_out(str(file), settings, fp, by)
    tables = run_job(problem, settings, out, levels_, goal, probability, force, xlsx, target_steps,
                     log=lambda m: typer.echo(m, err=True), by=by)
    if tables is None:
        typer.echo(f"{out} already holds this optimisation, finished (--force to run it again)")
    show(out)
    typer.echo(f"results: {out}")


def dashboard(
    port: Annotated[int, typer.Option(help="Port of the local web page.", min=1, max=65535)] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    years: Annotated[int, typer.Option(help="Years each run simulates.", min=1, max=30)] = 10,
    replicates: Annotated[int, typer.Option(help="Shock paths a run starts with (the page has a slider).",
                                            min=2, max=30)] = 4,
) -> None:
    """A local web page to try splits of the budget, compare them and download a briefing (Ctrl-C stops it)."""
    import subprocess
    import sys

    import sim.plan.dashboard_text as words

    page = Path(words.__file__).with_name("dashboard.py")
    env = {**os.environ, "COOPSIM_DASHBOARD_YEARS": str(years), "COOPSIM_DASHBOARD_REPLICATES": str(replicates),
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}  # nothing leaves the machine
    typer.echo(f"dashboard: http://{host}:{port}/  (Ctrl-C stops it)", err=True)
    cmd = [sys.executable, "-m", "solara", "run", str(page), "--port", str(port), "--host", host, "--production",
           "--no-open", "--no-check-version", "--log-level", "warning"]
    try:
        raise SystemExit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:
        raise SystemExit(130) from None
