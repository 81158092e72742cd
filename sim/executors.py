"""Running an experiment: its folder claimed, its tasks run serially, on local processes (sim/pool.py) or
on Dask (sim/dask_run.py). Each finished task is written at once, so an interrupt, a crash or a dead worker
loses at most the tasks in flight, `--resume` runs only what is missing, and the manifest's status says
where the experiment stands: `running`, `interrupted` (with why) or `complete` (tables checked)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim import __version__, interrupt
from sim import run as sim_run  # simulate looked up at call time: tests substitute it
from sim.dask_run import DASK_WAIT_SECONDS, run_dask
from sim.errors import UserInputError
from sim.experiment import Plan, RunSpec, refuse_edited
from sim.folder import claim
from sim.interrupt import Interrupted, signals_interrupt
from sim.pool import run_processes
from sim.results import (
    RUN_FAILURE,
    TABLES,
    WORKER_FAILURE,
    consolidate,
    now,
    read_manifest,
    task_done,
    task_file,
    verify_tables,
    write_manifest,
    write_task,
)
from sim.run import git_commit, package_versions

EXECUTORS = ("serial", "process", "dask")
EXTRA_PACKAGES = ("SALib", "dask", "distributed", "duckdb", "tqdm", "rich")


def run_task(specs: list[RunSpec], outcomes: list[str] | None = None):
    """Run a batch of runs; a run that raises is recorded as failed and the rest go on.
    Returns (runs, series, villages, distribution) DataFrames. Top-level so that it pickles to any worker."""
    runs, series, villages, distribution = [], [], [], []
    for spec in specs:
        ident = {"run_id": spec.run_id, "variant": spec.variant, "point": spec.point,
                 "replicate": spec.replicate, "seed": spec.seed}
        swept = {f"param:{k}": v for k, v in spec.params}
        t0 = time.perf_counter()
        try:
            out = sim_run.simulate(json.loads(spec.config), seed=spec.seed, years=spec.years)
        except Exception as exc:  # noqa: BLE001 - a failed run is data, not a crash
            if (stop := interrupt.stop_in(exc)) is not None:  # a signal C code wrapped: the job stops
                raise stop from None
            runs.append({**ident, **swept, "status": "failed", "failure": RUN_FAILURE,
                         "error": "".join(traceback.format_exception_only(type(exc), exc)).strip(),
                         "seconds": time.perf_counter() - t0})
            continue
        interrupt.raise_held()
        final = out.final if outcomes is None else {k: v for k, v in out.final.items() if k in outcomes
                                                    or k in sim_run.FACTS or k.startswith(sim_run.PUBLIC_PREFIX)}
        runs.append({**ident, **swept, "status": "ok", "failure": "", "error": "",
                     "seconds": time.perf_counter() - t0, **final})
        keep = [c for c in out.yearly.columns if c == "year" or outcomes is None or c in outcomes]
        yearly = out.yearly[keep].assign(**ident)
        series.append(yearly)
        if out.yearly_by_village is not None:
            keepv = [c for c in out.yearly_by_village.columns
                     if c in ("village", "year") or outcomes is None or c in outcomes]
            villages.append(out.yearly_by_village[keepv].assign(**ident))
        if out.distribution is not None:
            distribution.append(out.distribution.assign(run_id=spec.run_id))
    cols = ["run_id", "variant", "point", "replicate", "seed"]
    series_df = pd.concat(series, ignore_index=True) if series else pd.DataFrame(columns=cols + ["year"])
    series_df = series_df[cols + [c for c in series_df.columns if c not in cols]]
    villages_df = pd.concat(villages, ignore_index=True) if villages else None
    distribution_df = pd.concat(distribution, ignore_index=True) if distribution else None
    return pd.DataFrame(runs), series_df, villages_df, distribution_df


def _failed_task(specs: list[RunSpec], error: str):
    rows = [{"run_id": s.run_id, "variant": s.variant, "point": s.point, "replicate": s.replicate, "seed": s.seed,
             **{f"param:{k}": v for k, v in s.params}, "status": "failed", "failure": WORKER_FAILURE,
             "error": error, "seconds": 0.0}
            for s in specs]
    return pd.DataFrame(rows), pd.DataFrame(columns=["run_id", "variant", "point", "replicate", "seed", "year"]), None


class Progress:
    """Progress on stderr: a bar with runs done, failed and the time left on a terminal; off a terminal (a log, a
    batch job) one line at the first finished task and then at most every `every_seconds`, so a long job is never
    silent; nothing when `enabled` is False."""

    def __init__(self, total: int, done: int, enabled: bool | None = None, every_seconds: float = 30.0):
        tty = sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true")
        self.lines = enabled is None and not tty
        self.total, self.done, self.started_with, self.failed = total, done, done, 0
        self.every, self.start, self.last = every_seconds, time.monotonic(), float("-inf")
        self.bar = None
        if tty if enabled is None else enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="run", desc="runs", file=sys.stderr, smoothing=0.1)

    def update(self, runs: int, failed: int) -> None:
        self.failed += failed
        self.done += runs
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, refresh=False)
            self.bar.update(runs)
        elif self.lines and (time.monotonic() - self.last >= self.every or self.done >= self.total):
            self.line()

    def line(self) -> None:
        self.last = now = time.monotonic()
        elapsed = now - self.start
        left = elapsed / max(self.done - self.started_with, 1) * (self.total - self.done)
        print(f"progress: {self.done:,} of {self.total:,} runs ({self.done / max(self.total, 1):.0%}), "
              f"{self.failed:,} failed, {elapsed:,.0f} s so far, about {left:,.0f} s left", file=sys.stderr,
              flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_experiment(plan: Plan, out: Path, workers: int = 0, executor: str = "process",
                   scheduler: str | None = None, resume: bool = False, progress: bool | None = None,
                   task_fn: Callable = run_task, force: bool = False,
                   dask_wait: float = DASK_WAIT_SECONDS) -> dict:
    """Run every task of `plan` not yet written in `out`, then consolidate the tables. Returns the manifest.
    `out` belongs to this experiment (sim/folder.py): another job's folder is refused, or with `force`
    moved aside. SIGINT and SIGTERM stop it within seconds: finished tasks are kept, workers end, the
    manifest says `interrupted` and `Interrupted` is raised (`.kept`: runs kept). `task_fn` runs one task
    (a module-level function, so that it pickles; tests substitute one)."""
    if executor not in EXECUTORS:
        raise UserInputError(f"unknown executor {executor!r}; allowed: {', '.join(EXECUTORS)}", field="--executor")
    if scheduler and executor != "dask":
        raise UserInputError("--scheduler needs --executor dask", field="--scheduler")
    out = Path(out)
    if not force:
        refuse_edited(plan, out)
    log = lambda m: print(m, file=sys.stderr)  # noqa: E731
    with claim(out, "experiment", plan.fingerprint, plan.experiment.name, force=force, log=log), signals_interrupt():
        return _run(plan, out, workers or os.cpu_count() or 1, executor, scheduler, resume, progress, task_fn,
                    dask_wait)


def _run(plan: Plan, out: Path, workers: int, executor: str, scheduler: str | None, resume: bool,
         progress: bool | None, task_fn: Callable, dask_wait: float) -> dict:
    manifest = _start(plan, out, resume)  # status `running` before anything else is touched
    tasks = plan.tasks()
    todo = [t for t in range(len(tasks)) if not task_done(out, t)]
    bar = Progress(len(plan.runs), len(plan.runs) - sum(len(tasks[t]) for t in todo), progress)
    t0 = time.perf_counter()

    def finished(t: int, result) -> None:
        runs, series, villages, *rest = result  # task functions may return no distribution piece
        write_task(out, t, runs, series, villages, rest[0] if rest else None)
        bar.update(len(runs), int((runs["status"] != "ok").sum()))
        interrupt.raise_held()  # a stop held while numba loaded or compiled outside a kernel call

    try:
        _execute(executor, task_fn, tasks, todo, plan.experiment.outcomes, workers, scheduler, finished, dask_wait)
        counts = consolidate(out, len(tasks))
        verify_tables(out, manifest, counts)
        _complete(out, manifest, counts, time.perf_counter() - t0, executor, workers)
    except BaseException as exc:
        _stopped(out, manifest, exc, tasks)
        raise
    finally:
        bar.close()
    return manifest


def _complete(out: Path, manifest: dict, counts: dict, seconds: float, executor: str, workers: int) -> None:
    runs = pd.read_parquet(out / "runs.parquet", columns=["status"])
    manifest.update({"status": "complete", "finished": now(), "wall_seconds_last_session": seconds,
                     "runs_ok": int((runs.status == "ok").sum()), "runs_failed": int((runs.status != "ok").sum()),
                     "tables": sorted(p.name for p in out.glob("*.parquet") if p.name in TABLES.values()),
                     "rows": counts, "executor": executor, "workers": workers})
    manifest.pop("stopped", None)
    write_manifest(out, manifest)


def _execute(executor, task_fn, tasks, todo, outcomes, workers, scheduler, finished, dask_wait) -> None:
    if not todo:
        return  # nothing missing: no pool or cluster to start
    if executor == "serial" or (executor == "process" and workers == 1):
        for t in todo:
            finished(t, task_fn(tasks[t], outcomes))
    elif executor == "process":
        run_processes(task_fn, tasks, todo, outcomes, workers, finished, _failed_task)
    else:
        run_dask(task_fn, tasks, todo, outcomes, workers, scheduler, finished, _failed_task, dask_wait)


def _stopped(out: Path, manifest: dict, exc: BaseException, tasks) -> None:
    """The experiment stopped before the end: the manifest says so (never `running` or `complete`), with
    why; the exception carries how many runs are kept (`kept`, `total`)."""
    kept = sum(len(tasks[t]) for t in range(len(tasks)) if task_file(out, "runs", t).exists())
    why = f"{exc.signal_name}" if isinstance(exc, Interrupted) else f"{type(exc).__name__}: {exc}"
    manifest.update({"status": "interrupted", "stopped": {"at": now(), "reason": why[:500], "runs_kept": kept}})
    with contextlib.suppress(OSError):  # the original error says more
        write_manifest(out, manifest)
    exc.__dict__.update(kept=kept, total=manifest.get("run_count"))  # for the one-line message


def _start(plan: Plan, out: Path, resume: bool) -> dict:

    if (out / "manifest.json").exists():
        old = read_manifest(out)
        if old.get("fingerprint") != plan.fingerprint:
            raise UserInputError("holds results of a different experiment (or an edited one); "
                                 "choose another --out, or --force to move it aside", file=str(out))
        started = any((out / "tasks").glob("runs-*.parquet"))
        if not resume and old.get("status") == "complete":
            raise UserInputError("holds this experiment's finished results; use --resume to complete or "
                                 "re-check it, another --out, or --force to move them aside", file=str(out))
        if not resume and started:
            raise UserInputError(f"holds a partial run of this experiment ({old.get('status')}); add --resume to "
                                 "finish it", file=str(out))
        if started or resume:
            if old.get("git_commit") != git_commit() or old.get("version") != __version__:
                print(f"warning: {out} was started by another code version ({old.get('version')}, "
                      f"{old.get('git_commit')}); runs already written are kept", file=sys.stderr)
            old.update({"status": "running", "resumed": now()})
            write_manifest(out, old)
            return old
        # started before but no task written (a failed start): begin afresh
    exp = plan.experiment
    manifest = {
        "kind": "experiment",
        "name": exp.name,
        "description": exp.description,
        "file": plan.file,
        "fingerprint": plan.fingerprint,
        "experiment": exp.model_dump(mode="json"),
        "base_config": plan.base_config,
        "baseline": exp.baseline_variant,
        "variants": [{"name": v.name, "label_en": v.label_en or v.name, "label_zh": v.label_zh or v.label_en
                      or v.name, "description": v.description, "overrides": v.overrides} for v in exp.variants],
        "points": plan.points,
        "replicate_seeds": plan.seeds,
        "inputs": plan.inputs,
        "experiment_seed": exp.seed,
        "run_count": len(plan.runs),
        "task_count": len(plan.tasks()),
        "years": plan.runs[0].years,
        "start_year": plan.base_config["start_year"],
        "version": __version__,
        "git_commit": git_commit(),
        "packages": {**package_versions(), **_versions(EXTRA_PACKAGES)},
        "started": now(),
        "status": "running",
    }
    write_manifest(out, manifest)
    return manifest


def _versions(names) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in names:
        with contextlib.suppress(PackageNotFoundError):  # not installed: left out
            out[name] = version(name)
    return out
