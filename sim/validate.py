"""Validation of places (`coopsim validate [PLACE...]`): runs each place at its fitted parameters and compares
every declared target with the article's figure.

Uses `results/calibration/<place>/fit.json`, or calibrates first when there is none (said on stderr).
Runs `validation.replicates` replicates at the fitted values (seeds from the place's validation seed,
not the calibration's) and writes, per place and for all places together, a table (Parquet + CSV under
`results/validation/`): place, target, figure, reported value, simulated mean and 90% interval (5th-95th
percentile of the replicates), relative error of the mean, role (calibration or held out), and whether the
reported value lies within the interval. Held-out figures are reported as they come out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate import calibrate, read_fit, run_points
from sim.io import atomic_write_parquet, atomic_write_text
from sim.places import Place, relative_error

VALIDATION_DIR = Path("results") / "validation"
COLUMNS = ["place", "target", "figure", "unit", "year", "role", "reported", "simulated_mean", "simulated_low_5",
           "simulated_high_95", "relative_error", "within_interval", "source"]


def validate_place(place: Place, replicates: int | None = None, workers: int = 0, executor: str = "process",
                   calibration_root: Path | None = None, root: Path | None = None, progress: bool | None = None,
                   calibration: dict | None = None, log: Callable[[str], None] = lambda m: None) -> pd.DataFrame:
    """The validation table of one place (written to results/validation/<place>/)."""
    fit = read_fit(place, calibration_root)
    if fit is None:
        log(f"{place.key}: no calibration found ({(calibration_root or Path('results/calibration')) / place.key}"
            f"/fit.json); calibrating first")
        fit = calibrate(place, workers=workers, executor=executor, root=calibration_root, progress=progress,
                        log=log, **(calibration or {}))
    vs = place.info.validation
    overrides = {path: v["value"] for path, v in fit["fitted"].items()}
    folder = (root or VALIDATION_DIR) / place.key
    t0 = time.perf_counter()
    values = run_points(place, {"replicates": replicates or vs.replicates, "seed": vs.seed,
                                "variants": [{"name": "fitted", "overrides": overrides}]},
                        folder / "runs", workers, executor, progress)
    rows = []
    for t in place.info.targets:
        x = values[t.id].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        mean = float(x.mean()) if x.size else float("nan")
        lo, hi = (float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95))) if x.size else (np.nan, np.nan)
        year = (f"{t.year}-{t.sum_to}" if t.sum_to else str(t.year)) if t.year else "last"
        rows.append({"place": place.key, "target": t.id, "figure": t.figure, "unit": t.unit, "year": year,
                     "role": t.role, "reported": t.reported, "simulated_mean": mean, "simulated_low_5": lo,
                     "simulated_high_95": hi, "relative_error": float(relative_error(mean, t.reported)),
                     "within_interval": bool(lo <= t.reported <= hi), "source": t.source})
    table = pd.DataFrame(rows, columns=COLUMNS)
    atomic_write_parquet(folder / "validation.parquet", table)
    atomic_write_text(folder / "validation.csv", table.to_csv(index=False))
    log(f"{place.key}: {len(values)} runs at the fitted values in {time.perf_counter() - t0:.1f} s")
    return table


def summary(table: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """(within the 90% interval, total) for calibration and held-out targets."""
    out = {}
    for role in ("calibration", "held_out"):
        part = table[table["role"] == role]
        out[role] = (int(part["within_interval"].sum()), int(len(part)))
    return out


def summary_line(table: pd.DataFrame) -> str:
    s = summary(table)
    (ci, cn), (hi, hn) = s["calibration"], s["held_out"]
    return (f"within the 90% interval: calibration {ci} of {cn} targets, held out {hi} of {hn} targets "
            f"({ci + hi} of {cn + hn} in all)")


def format_table(place: Place, table: pd.DataFrame, fit: dict | None = None) -> str:
    """A plain-text, aligned table of one place."""
    head = f"{place.info.name} ({place.info.name_zh}; seed {place.info.seed})"
    lines = [head, "=" * len(head)]
    if fit:
        lines.append("fitted: " + "; ".join(f"{k} = {_num(v['value'])} [{_num(v['low_5'])}, {_num(v['high_95'])}]"
                                            for k, v in fit["fitted"].items()))
    cols = [("figure", "<"), ("year", "<"), ("unit", "<"), ("reported", ">"), ("simulated mean", ">"),
            ("90% interval", ">"), ("rel. error", ">"), ("role", "<"), ("within", "<")]
    body = []
    for r in table.itertuples(index=False):
        body.append([r.figure, r.year, r.unit, _num(r.reported), _num(r.simulated_mean),
                     f"[{_num(r.simulated_low_5)}, {_num(r.simulated_high_95)}]",
                     f"{r.relative_error:+.0%}" if np.isfinite(r.relative_error) else "–",
                     "calibration" if r.role == "calibration" else "held out", "yes" if r.within_interval else "no"])
    widths = [max(len(c[0]), *(len(b[i]) for b in body)) for i, c in enumerate(cols)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(f"{x:{a}{w}}" for x, (_, a), w in zip(cells, cols, widths, strict=True))

    lines.append(fmt([c[0] for c in cols]))
    lines.append(fmt(["-" * w for w in widths]))
    lines.extend(fmt(b) for b in body)
    lines.append(summary_line(table))
    return "\n".join(lines)


def _num(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.1f}"
    return f"{x:.3g}"
