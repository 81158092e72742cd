"""Running an experiment's tasks: serially, on local processes, or on Dask (embedded LocalCluster or
an existing scheduler). Each finished task is written at once, so a crash or a dead worker loses at
most the tasks in flight, and `--resume` runs only what is missing."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Hashable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pandas as pd

from sim import __version__
from sim import run as sim_run  # simulate looked up at call time: tests substitute it
from sim.errors import UserInputError
from sim.experiment import Plan, RunSpec
from sim.results import (
    RUN_FAILURE,
    WORKER_FAILURE,
    consolidate,
    now,
    read_manifest,
    task_done,
    write_manifest,
    write_task,
)
from sim.run import git_commit, package_versions

EXECUTORS = ("serial", "process", "dask")
MAX_WORKER_DEATHS = 3  # a task that kills its worker this often is recorded as failed
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
            runs.append({**ident, **swept, "status": "failed", "failure": RUN_FAILURE,
                         "error": "".join(traceback.format_exception_only(type(exc), exc)).strip(),
                         "seconds": time.perf_counter() - t0})
            continue
        final = out.final if outcomes is None else {k: v for k, v in out.final.items() if k in outcomes}
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
    """A progress bar on stderr with runs done, failed and the time left (off when not a terminal)."""

    def __init__(self, total: int, done: int, enabled: bool | None = None):
        if enabled is None:
            enabled = sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true")
        self.failed = 0
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="run", desc="runs", file=sys.stderr, smoothing=0.1)

    def update(self, runs: int, failed: int) -> None:
        self.failed += failed
        if self.bar is not None:
            self.bar.set_postfix(failed=self.failed, refresh=False)
            self.bar.update(runs)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_experiment(plan: Plan, out: Path, workers: int = 0, executor: str = "process",
                   scheduler: str | None = None, resume: bool = False, progress: bool | None = None,
                   task_fn: Callable = run_task) -> dict:
    """Run every task of `plan` not yet written in `out`, then consolidate the tables. Returns the manifest.
    `task_fn` runs one task (a module-level function, so that it pickles; tests substitute one)."""
    if executor not in EXECUTORS:
        raise UserInputError(f"unknown executor {executor!r}; allowed: {', '.join(EXECUTORS)}", field="--executor")
    if scheduler and executor != "dask":
        raise UserInputError("--scheduler needs --executor dask", field="--scheduler")
    out = Path(out)
    manifest = _start(plan, out, resume)
    tasks = plan.tasks()
    todo = [t for t in range(len(tasks)) if not task_done(out, t)]
    missing = set(todo)
    done_runs = sum(len(tasks[t]) for t in range(len(tasks)) if t not in missing)
    workers = workers or os.cpu_count() or 1
    bar = Progress(len(plan.runs), done_runs, progress)
    outcomes = plan.experiment.outcomes
    t0 = time.perf_counter()

    def finished(t: int, result) -> None:
        runs, series, villages, *rest = result  # task functions may return no distribution piece
        write_task(out, t, runs, series, villages, rest[0] if rest else None)
        bar.update(len(runs), int((runs["status"] != "ok").sum()))

    try:
        if not todo:
            pass  # nothing missing: no pool or cluster to start
        elif executor == "serial" or (executor == "process" and workers == 1):
            for t in todo:
                finished(t, task_fn(tasks[t], outcomes))
        elif executor == "process":
            _run_processes(task_fn, tasks, todo, outcomes, workers, finished)
        else:
            _run_dask(task_fn, tasks, todo, outcomes, workers, scheduler, finished)
    finally:
        bar.close()
    counts = consolidate(out, len(tasks))
    runs = pd.read_parquet(out / "runs.parquet")
    manifest.update({"status": "complete", "finished": now(), "wall_seconds_last_session": time.perf_counter() - t0,
                     "runs_ok": int((runs.status == "ok").sum()), "runs_failed": int((runs.status != "ok").sum()),
                     "tables": sorted(p.name for p in out.glob("*.parquet")), "rows": counts,
                     "executor": executor, "workers": workers})
    write_manifest(out, manifest)
    return manifest


def _start(plan: Plan, out: Path, resume: bool) -> dict:

    if out.exists() and not out.is_dir():
        raise UserInputError("exists and is not a folder", file=str(out), field="--out")
    existing = (out / "manifest.json").exists()
    if existing:
        old = read_manifest(out)
        if old.get("fingerprint") != plan.fingerprint:
            raise UserInputError("holds results of a different experiment (or an edited one); "
                                 "choose another --out or remove the folder", file=str(out))
        if not resume and old.get("status") == "complete":
            raise UserInputError("holds this experiment's finished results; use --resume to complete or "
                                 "re-check it, or another --out", file=str(out))
        if not resume:
            raise UserInputError("holds a partial run of this experiment; add --resume to finish it",
                                 file=str(out))
        if old.get("git_commit") != git_commit() or old.get("version") != __version__:
            print(f"warning: {out} was started by another code version ({old.get('version')}, "
                  f"{old.get('git_commit')}); runs already written are kept", file=sys.stderr)
        return old
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


def _run_processes(task_fn, tasks, todo, outcomes, workers, finished: Callable) -> None:
    """Local processes. If a worker dies the shared pool breaks: finished tasks are already written, and
    the rest run each in its own one-worker pool, so a death is pinned on its task; a task that kills its
    worker MAX_WORKER_DEATHS times is recorded as failed and the others complete."""
    import multiprocessing
    ctx = multiprocessing.get_context("forkserver")  # no fork of a threaded parent
    pending = list(todo)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(task_fn, tasks[t], outcomes): t for t in pending}
        for fut in as_completed(futures):
            t = futures[fut]
            try:
                result = fut.result()
            except BrokenProcessPool:
                continue
            except Exception as exc:  # noqa: BLE001 - the task failed outside its runs (e.g. pickling)
                result = _failed_task(tasks[t], f"{type(exc).__name__}: {exc}")
            finished(t, result)
            pending.remove(t)
    deaths: dict[int, int] = {}
    while pending:
        batch = pending[:workers]
        pools = {t: ProcessPoolExecutor(max_workers=1, mp_context=ctx) for t in batch}
        futures = {pools[t].submit(task_fn, tasks[t], outcomes): t for t in batch}
        for fut in as_completed(futures):
            t = futures[fut]
            try:
                finished(t, fut.result())
                pending.remove(t)
            except BrokenProcessPool:
                deaths[t] = deaths.get(t, 0) + 1
                if deaths[t] >= MAX_WORKER_DEATHS:
                    finished(t, _failed_task(tasks[t], "worker process died"))
                    pending.remove(t)
            except Exception as exc:  # noqa: BLE001
                finished(t, _failed_task(tasks[t], f"{type(exc).__name__}: {exc}"))
                pending.remove(t)
        for p in pools.values():
            p.shutdown(wait=True)


def _run_dask(task_fn, tasks, todo, outcomes, workers, scheduler, finished: Callable) -> None:
    """Dask distributed: an embedded LocalCluster, or an existing cluster at `scheduler`. Dask recomputes a
    killed worker's tasks; one that kills workers repeatedly raises KilledWorker and is recorded as failed."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise UserInputError(f"cannot reach the Dask scheduler: {exc}", field="--scheduler") from None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures: dict[Hashable, tuple[int, Any]] = {}  # Dask key -> (task, future)
        for t in todo:
            fut = client.submit(task_fn, tasks[t], outcomes, pure=False, key=f"coopsim-task-{t}-{id(futures)}")
            futures[fut.key] = (t, fut)
        for fut in as_completed([f for _, f in futures.values()]):
            t = futures[fut.key][0]
            try:
                result = fut.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker and friends
                result = _failed_task(tasks[t], f"{type(exc).__name__}: {exc}")
            finished(t, result)
            del futures[fut.key]
            fut.release()  # written: let the cluster forget it (no recomputation if its worker dies later)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
