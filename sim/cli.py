"""The `coopsim` command line. Heavy imports live inside the commands so `--help` is instant."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.errors import UserInputError
from sim.plan.commands import register

app = typer.Typer(
    name="coopsim",
    help="Simulate cooperative-driven poverty alleviation in rural China (Mesa agents, SimPy calendar).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from sim import __version__

        typer.echo(f"coopsim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Simulate cooperative-driven poverty alleviation in rural China (Mesa agents, SimPy calendar)."""


def _progress_enabled() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true")


ForceOpt = Annotated[bool, typer.Option(help="If --out holds another job's results (or files coopsim did not "
                                                "write), move that folder aside (renamed, never deleted) and start "
                                                "afresh.")]


@app.command()
def run(
    config: Annotated[Path | None, typer.Argument(help="Config YAML (default: the built-in typical village, "
                                                          "as in configs/village.yaml).")] = None,
    years: Annotated[int | None, typer.Option(help="Years to simulate (default: the config's `years`).",
                                                 min=1, max=100)] = None,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same results.", min=0)] = 1,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a setting: dotted.key=value "
                                                      "(repeatable), e.g. cooperative.wage_yuan_per_mu_year=300 "
                                                      "or 'policies=[cooperative,land_shares,distribution]'.")] = None,
    out: Annotated[Path | None, typer.Option(help="Results folder (default: results/<config>-seed<seed>-<hash "
                                                  "of the resolved config>).")] = None,
    force: ForceOpt = False,
    quiet: Annotated[bool, typer.Option(help="No table, no progress bar; only the results folder.")] = False,
    yes: YesOpt = False,
) -> None:
    """Run one village (or county) and write its results folder (manifest.json + Parquet tables)."""
    import datetime as dt

    from sim.folder import claim
    from sim.interrupt import Interrupted
    from sim.jobsize import JobSize, confirm, households_of
    from sim.run import write_run

    started = dt.datetime.now(dt.UTC)
    cfg, fingerprint, default = run_job(config, years, seed, set_)
    confirm(JobSize(1, households_of(cfg), cfg.years), yes)
    out = out or default
    name = f"{config or 'the built-in village'}, seed {seed}" + "".join(f", --set {s}" for s in set_ or [])
    try:
        with claim(out, "run", fingerprint, name, force=force, log=lambda m: typer.echo(m, err=True)):
            result = _simulate(cfg, seed, quiet)
            write_run(out, result, started=started)
    except Interrupted as exc:
        exc.message = f"interrupted ({exc.signal_name}): the run was not written to {out}"
        raise
    if not quiet:
        from sim.report_table import print_yearly_table

        print_yearly_table(result)
    typer.echo(f"results: {out}")


def run_job(config: Path | None, years: int | None, seed: int, set_: list[str] | None):
    """A run's resolved config, its fingerprint, and its default folder results/<stem>-seed<seed>-<hash>:
    one folder per configuration and overrides, so two different runs never share a folder."""
    from sim.config import load_config
    from sim.run import run_fingerprint

    cfg = load_config(config, set_ or None)
    if years is not None:
        cfg.years = years
    fingerprint = run_fingerprint(cfg, seed)
    return cfg, fingerprint, Path("results") / f"{config.stem if config else 'village'}-seed{seed}-{fingerprint[:8]}"


def _simulate(cfg, seed: int, quiet: bool):
    from sim.run import simulate

    if quiet:
        return simulate(cfg, seed=seed)
    if not _progress_enabled():  # a log or a batch job: a line every 30 s, so a long county run is never silent
        return simulate(cfg, seed=seed, on_month=_month_lines())
    from tqdm import tqdm

    with tqdm(total=cfg.years * 12, unit="month", desc="simulating", file=sys.stderr, leave=False) as bar:
        return simulate(cfg, seed=seed, on_month=lambda done, total: bar.update(done - bar.n))


def _month_lines(every_seconds: float = 30.0):
    """An on_month callback printing `progress: month M of N` to stderr at most every `every_seconds`."""
    import time

    last = [time.monotonic()]

    def line(done: int, total: int) -> None:
        if time.monotonic() - last[0] >= every_seconds and done < total:
            last[0] = time.monotonic()
            typer.echo(f"progress: month {done:,} of {total:,}", err=True)
    return line


@app.command()
def schedule(
    config: Annotated[Path | None, typer.Argument(help="Config YAML (default: the built-in village).")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a setting: dotted.key=value "
                                                      "(repeatable).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed.", min=0)] = 1,
) -> None:
    """Print the schedule: the year start, the dated events of the first year, the month's hooks and the year
    end, in the order they run, with who runs each (the model is built and its first year simulated)."""
    import pandas as pd

    from sim.model import VillageModel

    model = VillageModel(config=config, rng=seed, overrides=set_ or None, years=1).run()
    with pd.option_context("display.width", 200, "display.max_colwidth", 80, "display.max_rows", None):
        typer.echo(model.schedule().to_string(index=False))


register(app)  # the planner's commands: optimise, dashboard (sim/plan/commands.py)


def main() -> None:
    """Entry point: bad input is one message on stderr and exit code 2, never a traceback; SIGINT and SIGTERM
    stop a command cleanly with one line and exit code 130 / 143."""
    from sim.interrupt import Interrupted, signals_interrupt

    try:
        with signals_interrupt():
            app()
    except Interrupted as exc:
        typer.echo(exc.message or f"interrupted ({exc.signal_name})", err=True)
        raise SystemExit(exc.exit_code) from None
    except UserInputError as err:
        typer.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
    except OSError as err:  # a folder that cannot be written, a full disk: the file and what to do
        from sim.errors import describe_os_error

        message, code = describe_os_error(err)
        typer.echo(f"error: {message}", err=True)
        raise SystemExit(code) from None


# --- experiments -------------------------------------------------------------------------------

ExecutorOpt = Annotated[str, typer.Option(help="Where runs execute: serial, process (local processes) or dask.")]
WorkersOpt = Annotated[int, typer.Option(help="Parallel workers (0: one per core).", min=0)]
DaskWaitOpt = Annotated[float, typer.Option(help="Seconds to wait for the Dask scheduler and its first worker "
                                                 "(and for a lost scheduler to come back).", min=0.1)]
YesOpt = Annotated[bool, typer.Option("--yes", help="Run a large job (above an hour of one core or 6 GiB; "
                                                    "the estimate is printed otherwise).")]


def _size_check(yes: bool, workers: int):
    from sim.jobsize import confirm

    return lambda size: confirm(size, yes, workers or os.cpu_count() or 1)


def _default_out(file: Path) -> Path:
    return Path("results") / file.stem


@app.command()
def experiment(
    file: Annotated[Path, typer.Argument(help="Experiment YAML (see experiments/).")],
    out: Annotated[Path | None, typer.Option(help="Results folder (default: results/<experiment file name>).")] = None,
    workers: WorkersOpt = 0,
    executor: ExecutorOpt = "process",
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler, "
                                                          "e.g. tcp://10.0.0.5:8786 (with --executor dask).")] = None,
    resume: Annotated[bool, typer.Option(help="Finish an interrupted experiment: run only the missing tasks.")] = False,
    force: ForceOpt = False,
    dask_wait: DaskWaitOpt = 60.0,
    yes: YesOpt = False,
) -> None:
    """Run an experiment: variants x sweep points x replicates, written as Parquet tables. Exit codes: 0 done,
    2 bad input or a folder that is not this experiment's, 3 some runs failed, 1 the Dask scheduler was lost,
    130 / 143 stopped by SIGINT / SIGTERM (finished runs kept; the resume command is printed)."""
    from sim.experiment import load_experiment

    plan = load_experiment(file, _size_check(yes, workers))
    out = out or _default_out(file)
    typer.echo(f"{plan.experiment.name}: {len(plan.runs):,} runs ({len(plan.experiment.variants)} variants x "
               f"{len(plan.points)} points x {plan.experiment.replicates} replicates) in {len(plan.tasks())} tasks "
               f"-> {out}", err=True)
    again = resume_command("experiment", file, out, executor, workers, scheduler, dask_wait)
    manifest = _run_or_stop(again, plan, out, workers=workers, executor=executor, scheduler=scheduler,
                            resume=resume, force=force, dask_wait=dask_wait)
    typer.echo(f"done: {manifest['runs_ok']:,} runs ok, {manifest['runs_failed']:,} failed; results: {out}")
    _fail_on_failed_runs(manifest, out, again)


def resume_command(command: str, file: Path, out: Path, executor: str, workers: int, scheduler: str | None,
                   dask_wait: float | None = None) -> str:
    """The exact command that finishes (or retries) this experiment."""
    from shlex import quote

    from sim.dask_run import DASK_WAIT_SECONDS

    words = ["coopsim", command, quote(str(file)), "--out", quote(str(out)), "--resume"]
    words += ["--executor", executor] if executor != "process" else []
    words += ["--workers", str(workers)] if workers else []
    words += ["--scheduler", quote(scheduler)] if scheduler else []
    words += ["--dask-wait", f"{dask_wait:g}"] if dask_wait not in (None, DASK_WAIT_SECONDS) else []
    return " ".join(words)


def _run_or_stop(again: str, plan, out: Path, **kwargs) -> dict:
    """run_experiment; an interrupt or a lost cluster is one line naming what was kept and how to go on."""
    from sim.executors import run_experiment
    from sim.interrupt import ClusterLostError, Interrupted

    try:
        return run_experiment(plan, out, **kwargs)
    except Interrupted as exc:
        kept = f"{getattr(exc, 'kept', 0):,} of {len(plan.runs):,} runs kept in {out}"
        exc.message = f"interrupted ({exc.signal_name}): {kept}; resume with: {again}"
        raise
    except ClusterLostError as exc:
        typer.echo(f"error: {exc}; {getattr(exc, 'kept', 0):,} of {len(plan.runs):,} runs kept in {out}; "
                   f"resume with: {again}", err=True)
        raise typer.Exit(1) from None


def _fail_on_failed_runs(manifest: dict, out: Path, again: str) -> None:
    """Exit code 3 when runs failed, naming the first error and the command that runs them again."""
    if not manifest["runs_failed"]:
        return
    import pandas as pd

    runs = pd.read_parquet(out / "runs.parquet", columns=["run_id", "variant", "status", "error"])
    first = runs[runs.status != "ok"].iloc[0]
    error = str(first.error).strip().splitlines()[-1][:300] if str(first.error).strip() else "worker lost"
    typer.echo(f"error: {manifest['runs_failed']:,} of {manifest['run_count']:,} runs failed (all listed in "
               f"{out / 'runs.parquet'}); the first, run {first.run_id} ({first.variant}): {error}; after fixing "
               f"the cause, run them again with: {again}", err=True)
    raise typer.Exit(3)


@app.command()
def compare(
    results: Annotated[Path, typer.Argument(help="An experiment's results folder.")],
    baseline: Annotated[str | None, typer.Option(help="Variant to compare against (default: the "
                                                         "experiment's baseline, else its first variant).")] = None,
    outcome: Annotated[list[str] | None, typer.Option(help="Outcome to print (repeatable; all are written).")] = None,
) -> None:
    """Per variant: each outcome's mean and 95% interval, and the paired difference from the baseline. With
    --outcome only those outcomes are printed (every outcome is written); the cost table and the ranking are printed
    when no --outcome is given."""
    import pandas as pd

    from sim.compare import compare as run_compare
    from sim.compare_table import print_comparison, print_cost_effectiveness, print_ranking
    from sim.i18n import variant_labels
    from sim.results import read_manifest

    table, files = run_compare(results, baseline, outcome)
    labels = variant_labels(read_manifest(results), "en")
    print_comparison(table, outcome, labels=labels)
    if not outcome:
        if "costs" in files:
            print_cost_effectiveness(pd.read_parquet(files["costs"]), labels=labels)
        if "regret" in files:
            print_ranking(pd.read_parquet(files["pairwise"]), pd.read_parquet(files["regret"]), labels=labels)
    typer.echo("written: " + ", ".join(str(f) for f in files.values()))


@app.command()
def sensitivity(
    file: Annotated[Path, typer.Argument(help="Experiment YAML with a sobol or morris sweep.")],
    out: Annotated[Path | None, typer.Option(help="Results folder (default: results/<file name>).")] = None,
    workers: WorkersOpt = 0,
    executor: ExecutorOpt = "process",
    resume: Annotated[bool, typer.Option(help="Finish an interrupted run first.")] = False,
    force: ForceOpt = False,
    yes: YesOpt = False,
) -> None:
    """Sobol or Morris sensitivity indices (SALib) of the declared outcomes to the swept parameters."""
    from sim.experiment import load_experiment
    from sim.results import read_manifest
    from sim.sensitivity import analyse, check_plan, print_indices

    plan = load_experiment(file, _size_check(yes, workers))
    check_plan(plan)
    out = out or _default_out(file)
    finished = (not force and (out / "manifest.json").exists() and read_manifest(out).get("status") == "complete"
                and read_manifest(out).get("fingerprint") == plan.fingerprint)
    if not finished or resume:
        typer.echo(f"{plan.experiment.name}: {len(plan.runs):,} runs -> {out}", err=True)
        again = resume_command("sensitivity", file, out, executor, workers, None)
        _run_or_stop(again, plan, out, workers=workers, executor=executor, resume=resume or finished, force=force)
    table = analyse(out, plan)
    print_indices(table)
    typer.echo(f"written: {out / 'sensitivity.parquet'}")


@app.command()
def export(
    results: Annotated[Path, typer.Argument(help="An experiment's results folder.")],
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write one Excel workbook, a sheet per table.")] = False,
) -> None:
    """Every results table as CSV (and with --xlsx one Excel workbook) with labelled columns and units, in
    RESULTS/export/."""
    from sim.export import export as write_export

    for path in write_export(results, xlsx):
        typer.echo(f"written: {path}")


# --- schemas -----------------------------------------------------------------------------------


@app.command()
def schema(
    out: Annotated[Path, typer.Option(help="Folder for the schema files.")] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of configs, experiments, funding scenarios and place files (for an editor)."""
    from sim.json_schemas import write_schemas

    for path in write_schemas(out):
        typer.echo(f"written: {path}")


# --- briefing ----------------------------------------------------------------------------------


@app.command()
def report(
    results: Annotated[Path, typer.Argument(help="An experiment's results folder (the model is not re-run).")],
    lang: Annotated[str, typer.Option(help="Language(s): en, zh, or both as en,zh.")] = "en,zh",
    formats: Annotated[str, typer.Option(help="Chart file formats, comma-separated: png, svg, pdf.")] = "png,svg,pdf",
    out: Annotated[Path | None, typer.Option(help="Output folder (default: RESULTS/report); "
                                                     "one subfolder per language.")] = None,
) -> None:
    """Briefing charts and a briefing (PDF and HTML) in English and/or Chinese, from a results folder."""
    from sim.report import write_report

    langs = tuple(x.strip() for x in lang.split(",") if x.strip())
    fmts = tuple(x.strip().lower().lstrip(".") for x in formats.split(",") if x.strip())
    written = write_report(results, out, langs, fmts, log=lambda m: typer.echo(m, err=True))
    where = out or results / "report"
    for code, info in written.items():
        charts = sum(1 for f in info["files"] if f.parent.name == "charts")
        typer.echo(f"{code}: {charts} chart files, {where / code / 'briefing.pdf'}, {where / code / 'briefing.html'}")


@app.command()
def patterns(
    config: Annotated[Path | None, typer.Argument(help="Config YAML (default: configs/village.yaml's built-in "
                                                          "defaults).")] = None,
    replicates: Annotated[int, typer.Option(help="Seeds (common random numbers; counterfactuals on the same seeds).",
                                            min=1)] = 30,
    out: Annotated[Path | None, typer.Option(help="Folder for patterns.csv (default: results/patterns).")] = None,
    workers: WorkersOpt = 0,
    set_: Annotated[list[str] | None, typer.Option("--set", help="Override a setting: dotted.key=value "
                                                      "(repeatable).")] = None,
) -> None:
    """Measure the patterns of how poverty arose and ended (issue 14) against their targets; write patterns.csv."""
    from sim.config import load_config
    from sim.patterns_run import print_table, run_patterns, write

    cfg = load_config(config, set_ or None)
    out = out or Path("results") / "patterns"
    if out.exists() and not out.is_dir():
        raise UserInputError("exists and is not a folder", file=str(out), field="--out")
    t = run_patterns(cfg, replicates=replicates, workers=workers)
    print_table(t)
    typer.echo(f"written: {write(t, out)}")


# --- places: calibration and validation ---------------------------------------------------------


@app.command()
def calibrate(
    place: Annotated[str | None, typer.Argument(help="A place in configs/places (e.g. zhijin) or a place file "
                                                     "(none with --joint).")] = None,
    population: Annotated[int | None, typer.Option(help="ABC-SMC particles per generation (default: the "
                                                         "place's).", min=2)] = None,
    replicates: Annotated[int | None, typer.Option(help="Runs per parameter set (default: the place's).",
                                                   min=1)] = None,
    force: Annotated[bool, typer.Option("--force", help="Write a fit even if too small or degenerate, or "
                                                        "replacing a larger one (kept as fit.previous.json).")] = False,
    verify: Annotated[bool, typer.Option("--verify", help="Instead of fitting the article's figures, fit "
                                                          "synthetic truths drawn from the prior and report how "
                                                          "often the 50%/90% intervals cover them.")] = False,
    truths: Annotated[int, typer.Option(help="Synthetic truths for --verify.", min=1)] = 20,
    joint: Annotated[bool, typer.Option("--joint", help="Fit the economy's shared parameters to every place's "
                                                        "calibration targets and the fitted national patterns "
                                                        "(blocked ABC; sim/joint.py).")] = False,
    refit_places: Annotated[bool, typer.Option("--refit-places", help="With --joint: then fit each place's own "
                                                                      "parameters given the shared ones.")] = False,
    workers: WorkersOpt = 0,
    executor: ExecutorOpt = "process",
) -> None:
    """Fit a place's free parameters to its calibration targets: a posterior by ABC-SMC (pyabc)."""
    from sim.calibrate import calibrate as run_calibration
    from sim.calibrate import fit_path
    from sim.places import load_place

    if joint:
        _calibrate_joint(place, population, replicates, force, refit_places, workers, executor)
        return
    if place is None:
        raise UserInputError("name a place (e.g. zhijin), or --joint for all places together", field="PLACE")
    p = load_place(place)
    if verify:
        from sim.verify import coverage_line
        from sim.verify import verify as run_verify

        table = run_verify(p, truths, population, replicates, 1 if executor == "serial" else (workers or 2),
                           log=lambda m: typer.echo(m, err=True))
        typer.echo(coverage_line(table))
        return
    fit = run_calibration(p, population=population, replicates=replicates, workers=workers, executor=executor,
                          force=force, log=lambda m: typer.echo(m, err=True))
    _print_fitted(fit)
    typer.echo(f"{fit['simulations']} parameter sets x {fit['replicates']} replicates = {fit['runs']} runs in "
               f"{fit['generations']} generations, {fit['seconds']:.0f} s; effective sample size {fit['ess']:.0f}, "
               f"drift {fit['drift']:.3g}; written: {fit_path(p)}")


def _print_fitted(fit: dict) -> None:
    for path, v in fit["fitted"].items():
        typer.echo(f"{path} = {v['value']:.6g}  (90%: {v['low_5']:.6g} - {v['high_95']:.6g}; "
                   f"prior {v['prior_low']:g} - {v['prior_high']:g})"
                   + ("  near a prior bound: a sign of structural misfit" if v["near_bound"] else ""))


def _calibrate_joint(place: str | None, population: int | None, replicates: int | None, force: bool,
                     refit_places: bool, workers: int, executor: str) -> None:
    from sim.joint import JointSettings, calibrate_joint, joint_path
    from sim.places import load_place, place_names

    if place is not None:
        raise UserInputError("--joint fits all places together: name none", field="PLACE")
    s = JointSettings()
    s.population, s.replicates = population or s.population, replicates or s.replicates
    s.refit_population = population  # --population: the places' refits too
    fit = calibrate_joint([load_place(n) for n in place_names()], None, s,  # the default village's patterns
                          1 if executor == "serial" else (workers or 2), force=force, refit_places=refit_places,
                          log=lambda m: typer.echo(m, err=True))
    _print_fitted(fit)
    typer.echo(f"{fit['simulations']} parameter sets ({fit['runs']} runs) in {fit['generations']} generations, "
               f"{fit['seconds']:.0f} s; epsilons {', '.join(f'{e:.3g}' for e in fit['epsilons'])}; effective "
               f"sample size {fit['ess']:.0f}, drift {fit['drift']:.3g}; written: {joint_path()}")
    for key, r in fit.get("place_refits", {}).items():
        typer.echo(f"  {key}: " + (r["refused"] if "refused" in r else
                                   f"{r['simulations']} parameter sets, {r['runs']} runs, {r['seconds']:.0f} s"))


@app.command()
def validate(
    places: Annotated[list[str] | None, typer.Argument(help="Places (default: all in configs/places, and the "
                                                            "national patterns, named `national`).")] = None,
    replicates: Annotated[int | None, typer.Option(help="Runs per posterior draw (default: the place's "
                                                           "validation.replicates, 2 in the shipped places, at "
                                                           "each of its validation.draws, 20).", min=2)] = None,
    population: Annotated[int | None, typer.Option(help="ABC-SMC particles when a place must be calibrated "
                                                           "first (default: the place's).", min=2)] = None,
    workers: WorkersOpt = 0,
    executor: ExecutorOpt = "process",
) -> None:
    """Run places at draws from their posterior; print and write the table of reported vs simulated figures.
    With no places named (or `national` among them), also the national patterns on the default village."""
    import pandas as pd

    from sim.calibrate import read_fit
    from sim.joint import read_joint
    from sim.places import load_place, place_names
    from sim.validate import VALIDATION_DIR, place_text, validate_place
    from sim.validate_table import summary_line

    national = not places or "national" in places
    names = [n for n in (places or place_names()) if n != "national"]
    if not names and not national:
        raise UserInputError("no places found (configs/places/*.yaml)", field="PLACE")
    loaded = [load_place(n) for n in names]  # every name checked before anything runs
    joint = read_joint([load_place(n) for n in place_names()], None)
    log = lambda m: typer.echo(m, err=True)  # noqa: E731
    if joint is not None:
        typer.echo("shared parameters from the joint fit (results/calibration/joint/fit.json): " + "; ".join(
            f"{k} = {v['value']:.4g} [{v['low_5']:.4g}, {v['high_95']:.4g}]" for k, v in joint["fitted"].items()))
    tables = []
    for p in loaded:
        table = validate_place(p, replicates=replicates, workers=workers, executor=executor,
                               calibration={"population": population} if population else None, log=log, joint=joint)
        tables.append(table)
        typer.echo(place_text(p, table, read_fit(p)))
        typer.echo("")
    if national:
        tables.append(_validate_national(joint, replicates, workers, executor, log))
    if len(tables) > 1:
        from sim.io import atomic_write_parquet, atomic_write_text

        table = pd.concat(tables, ignore_index=True)
        atomic_write_parquet(VALIDATION_DIR / "validation.parquet", table)
        atomic_write_text(VALIDATION_DIR / "validation.csv", table.to_csv(index=False))
        places_only = table[table["place"] != "national"]
        if national and len(places_only):
            typer.echo(f"the places: {summary_line(places_only)}")
        typer.echo(f"all{' (places and national patterns)' if national else ' places'}: {summary_line(table)}")
        typer.echo(f"written: {VALIDATION_DIR / 'validation.parquet'} and validation.csv (and one per place)")
        from sim.validation_chart import write_figures

        typer.echo(f"figure: {write_figures(table, VALIDATION_DIR / 'charts')[0]} (en and zh, png and svg)")
    else:
        key = loaded[0].key if loaded else "national"
        typer.echo(f"written: {VALIDATION_DIR / key / 'validation.parquet'} and validation.csv")


def _validate_national(joint: dict | None, replicates: int | None, workers: int, executor: str, log):
    from sim.validate_patterns import validate_patterns
    from sim.validate_table import format_table

    table = validate_patterns(joint, replicates=replicates or 2, workers=1 if executor == "serial" else (workers or 2),
                              log=log)
    head = "National patterns (the default village, configs/village.yaml; sim/patterns.py)"
    typer.echo(format_table(head, table, "at the joint fit's shared posterior" if joint else
                            "at the defaults (no joint fit): stochastic uncertainty only"))
    typer.echo("")
    return table
