"""The results folder of an experiment — the contract between running and reporting.

    manifest.json               the resolved experiment, code and package versions, seeds, counts, times
    runs.parquet                one row per run: run_id, variant, point, replicate, seed, swept values,
                                status ("ok"/"failed"), failure ("", "run": the model raised, "worker":
                                the worker died, run again by --resume), error, end-of-run outcomes
    series.parquet              one row per run and year: run_id, variant, point, replicate, seed, year, outcomes
    series_by_village.parquet   the same per village (runs with several villages only)
    distribution.parquet        one row per run and percentile 1..99: end-of-run household income per person
                                (persons-weighted; run_id, percentile, income_yuan)
    tasks/                      per-task pieces, each written atomically as its task finishes
    comparison.parquet/.csv     written by `coopsim compare`
    sensitivity.parquet         written by `coopsim sensitivity`

Query it with pandas (`sim.results.load(folder)`) or DuckDB straight from the files:
`duckdb.sql("select variant, avg(poverty_headcount_ratio) from 'results/x/runs.parquet' group by 1").df()`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.errors import UserInputError
from sim.io import atomic_write_json, atomic_write_parquet

TASKS = "tasks"
PIECES = ("runs", "series", "villages", "distribution")
TABLES = {"runs": "runs.parquet", "series": "series.parquet", "villages": "series_by_village.parquet",
          "distribution": "distribution.parquet"}
KEYS = {"runs": ["run_id"], "series": ["run_id", "year"], "villages": ["run_id", "village", "year"],
        "distribution": ["run_id", "percentile"]}


def task_file(folder: Path, piece: str, task: int) -> Path:
    return Path(folder) / TASKS / f"{piece}-{task:06d}.parquet"


# runs' `failure` column: "" (ok); "run": the model raised (the same seed fails again, so --resume keeps
# it); "worker": the worker died or the task was lost (--resume runs the task again)
RUN_FAILURE, WORKER_FAILURE = "run", "worker"


def task_done(folder: Path, task: int) -> bool:
    """A task is done when its runs piece exists (it is written last, atomically) and every one of its runs
    finished ok. `--resume` runs a task again when a run was lost with its worker (failure "worker": a dead
    worker process, Dask's KilledWorker) or raised (failure "run": after the cause is fixed)."""
    path = task_file(folder, "runs", task)
    if not path.exists():
        return False
    try:
        pq.read_schema(path)
    except (OSError, ValueError):
        return False  # a damaged piece: its task is run again and the piece rewritten
    return all(s == "ok" for s in read_piece(path, columns=["status"])["status"].tolist())


def write_task(folder: Path, task: int, runs: pd.DataFrame, series: pd.DataFrame, villages: pd.DataFrame | None,
               distribution: pd.DataFrame | None = None):
    if villages is not None and len(villages):
        atomic_write_parquet(task_file(folder, "villages", task), villages)
    if distribution is not None and len(distribution):
        atomic_write_parquet(task_file(folder, "distribution", task), distribution)
    atomic_write_parquet(task_file(folder, "series", task), series)
    atomic_write_parquet(task_file(folder, "runs", task), runs)


def consolidate(folder: Path, n_tasks: int) -> dict[str, int]:
    """Join the task pieces into the final tables; every run appears exactly once."""
    folder = Path(folder)
    counts = {}
    for piece, table in TABLES.items():
        frames = [read_piece(task_file(folder, piece, t)) for t in range(n_tasks)
                  if task_file(folder, piece, t).exists()]
        frames = [f for f in frames if len(f)]
        if not frames:
            continue
        df = pd.concat(frames, ignore_index=True)
        keys = KEYS[piece]
        df = df.drop_duplicates(subset=keys, keep="last").sort_values(keys).reset_index(drop=True)
        if piece == "runs" and "failure" in df and df["failure"].isna().any():  # pieces from before the column
            df["failure"] = df["failure"].fillna(df["status"].map(lambda s: "" if s == "ok" else RUN_FAILURE))
        atomic_write_parquet(folder / table, df)
        counts[piece] = len(df)
    return counts


class TablesDisagreeError(UserInputError):
    """The consolidated tables do not match the manifest (a crash while they were written)."""


def verify_tables(folder: Path, manifest: dict, counts: dict[str, int] | None = None) -> None:
    """The tables agree with the manifest: every run exactly once in runs.parquet, and the yearly series
    (and percentiles) of exactly the runs that finished ok. Raises TablesDisagreeError naming the first mismatch."""
    folder = Path(folder)
    runs = read_piece(folder / TABLES["runs"], columns=["run_id", "status"])
    expected = manifest.get("run_count")
    if expected is not None and (len(runs) != expected or set(runs.run_id) != set(range(expected))):
        raise TablesDisagreeError(f"runs.parquet holds {runs.run_id.nunique()} of the manifest's {expected} runs")
    ok = set(runs.run_id[runs.status == "ok"])
    for piece in ("series", "distribution"):
        path = folder / TABLES[piece]
        if path.exists() or piece == "series":
            got = set(read_piece(path, columns=["run_id"]).run_id) if path.exists() else set()
            if got != ok and (piece == "series" or got):
                raise TablesDisagreeError(f"{TABLES[piece]} holds {len(got)} runs, runs.parquet {len(ok)} that "
                                     f"finished ok")
    for piece, n in (counts or manifest.get("rows") or {}).items():
        if piece in TABLES and (folder / TABLES[piece]).exists():
            rows = pq.ParquetFile(folder / TABLES[piece]).metadata.num_rows
            if rows != n:
                raise TablesDisagreeError(f"{TABLES[piece]} has {rows} rows, the manifest {n}")


def write_manifest(folder: Path, manifest: dict) -> None:
    atomic_write_json(Path(folder) / "manifest.json", manifest)


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / "manifest.json"
    if not Path(folder).is_dir():
        raise UserInputError("results folder not found", file=str(folder))
    if not path.exists():
        raise UserInputError("not a results folder: manifest.json is missing", file=str(folder))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise UserInputError(f"damaged: not valid JSON{where}; move the folder aside and run the job again "
                             f"(its finished tasks/ pieces can be copied into the new folder first)",
                             file=str(path)) from None


def read_piece(path: Path, **kwargs) -> pd.DataFrame:
    """Read a Parquet table of a results folder; a damaged file is one UserInputError naming it."""
    try:
        return pd.read_parquet(path, **kwargs)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        if Path(path).parent.name == TASKS:
            hint = "delete it and run `coopsim experiment FILE --out FOLDER --resume` to redo its task"
        else:
            hint = "delete it and run `coopsim experiment FILE --out FOLDER --resume` to rebuild it from tasks/"
        raise UserInputError(f"not a readable Parquet file ({type(exc).__name__}); {hint}", file=str(path)) from None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class Results:
    folder: Path
    manifest: dict
    runs: pd.DataFrame
    series: pd.DataFrame | None
    series_by_village: pd.DataFrame | None
    comparison: pd.DataFrame | None
    sensitivity: pd.DataFrame | None
    distribution: pd.DataFrame | None = None

    @property
    def variants(self) -> list[dict]:
        return self.manifest.get("variants", [])

    @property
    def ok_runs(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] == "ok"]


def load(folder: str | Path, require: tuple[str, ...] = ("runs",)) -> Results:
    """Load a results folder into pandas. `require` names tables that must be there
    (runs, series, comparison, sensitivity, distribution); a missing one is a UserInputError naming it."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    files = {"runs": "runs.parquet", "series": "series.parquet", "series_by_village": "series_by_village.parquet",
             "comparison": "comparison.parquet", "sensitivity": "sensitivity.parquet",
             "distribution": "distribution.parquet"}
    tables = {}
    for key, name in files.items():
        path = folder / name
        if path.exists():
            tables[key] = read_piece(path)
        elif key in require:
            raise UserInputError(f"table {name} is missing (has the experiment finished? "
                                 f"`coopsim experiment FILE --resume` completes it)", file=str(folder))
        else:
            tables[key] = None
    check_complete(folder, manifest)
    return Results(folder=folder, manifest=manifest, **tables)


def check_complete(folder: Path, manifest: dict) -> None:
    """Results are read only when the experiment finished and its tables agree with its manifest."""
    resume = f"`coopsim experiment {manifest.get('file') or 'FILE'} --out {folder} --resume` completes it"
    status = manifest.get("status", "complete")
    if status != "complete":
        raise UserInputError(f"the experiment is not complete (status: {status}); {resume}", file=str(folder))
    try:
        verify_tables(folder, manifest)
    except TablesDisagreeError as err:
        raise UserInputError(f"the tables do not agree with manifest.json: {err.message}; {resume}",
                             file=str(folder)) from None
