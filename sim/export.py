"""`coopsim export RESULTS [--xlsx]`: every table of an experiment's results folder for a spreadsheet — one CSV per
table, and with --xlsx one Excel workbook with a sheet per table (openpyxl) — with labelled columns and units
("Poverty headcount ratio (share of persons)"), variant labels beside their names, numbers to 6 significant digits.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UserInputError
from sim.i18n import public_source_label, variant_labels
from sim.io import atomic_write_text
from sim.policies import registry
from sim.results import load
from sim.run import PUBLIC_PREFIX

TABLES = ("runs", "series", "series_by_village", "comparison", "cost_effectiveness", "pairwise", "regret",
          "sensitivity")
ID_LABELS = {"run_id": "run", "variant": "variant", "point": "sweep point", "replicate": "replicate",
             "seed": "seed", "status": "status", "failure": "failure", "error": "error",
             "seconds": "run time (seconds)", "year": "year", "village": "village", "households": "households",
             "villages": "villages", "funding_budget_yuan": "funding scenario budget (yuan)"}
DIGITS = 6  # significant digits: exact enough for any figure the model reports, short enough to read


def column_label(name: str) -> str:
    """A column's name for people, with its unit: declared outcomes by their label, public money by source."""
    declared = registry.outcomes()
    if name in ID_LABELS:
        return ID_LABELS[name]
    if name.startswith(PUBLIC_PREFIX):
        return f"public money: {public_source_label(name[len(PUBLIC_PREFIX):], 'en')} (yuan)"
    if name.startswith("param:"):
        return f"parameter {name[6:]}"
    base = name[:-len("_total")] if name.endswith("_total") and name[:-len("_total")] in declared else name
    if base in declared:
        o = declared[base]
        if base != name:  # a run total: the sum of a yearly flow
            return f"{o.label_en}, sum over the run ({o.unit.replace('/year', '')})"
        return f"{o.label_en} ({o.unit})"
    return name.replace("_", " ")


def readable(table: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Variant (and outcome) labels beside their names, labelled columns, floats to DIGITS significant digits."""
    floats = list(table.select_dtypes("float").columns)
    rounded = table[floats].map(lambda x: float(f"{x:.{DIGITS}g}") if np.isfinite(x) else x)
    parts = []
    for col in table.columns:
        parts.append(rounded[col] if col in floats else table[col])
        if col == "variant":
            parts.append(table[col].map(labels).fillna(table[col]).rename("variant label"))
        if col == "outcome":
            parts.append(table[col].map(lambda o: column_label(o)).rename("outcome label"))
    out = pd.concat(parts, axis=1)
    return out.rename(columns={c: column_label(c) for c in out.columns if not c.endswith(" label")})


def export(folder: str | Path, xlsx: bool = False) -> list[Path]:
    """Write RESULTS/export/<table>.csv for every table in the folder, and results.xlsx with --xlsx."""
    res, folder = load(folder), Path(folder)
    labels = variant_labels(res.manifest, "en")
    found = {name: _read(folder, res, name) for name in TABLES}
    tables = {k: readable(v, labels) for k, v in found.items() if v is not None and len(v)}
    out = folder / "export"
    out.mkdir(exist_ok=True)
    written = []
    for name, table in tables.items():
        atomic_write_text(out / f"{name}.csv", table.to_csv(index=False))
        written.append(out / f"{name}.csv")
    if xlsx:
        written.append(_workbook(out / "results.xlsx", tables))
    return written


def _read(folder: Path, res, name: str) -> pd.DataFrame | None:
    if hasattr(res, name) and getattr(res, name) is not None:
        return getattr(res, name)
    path = folder / f"{name}.parquet"
    return pd.read_parquet(path) if path.exists() else None


def _exact_in_excel(col: pd.Series) -> pd.Series:
    """Integers beyond 2**53 (replicate seeds) as text: Excel keeps numbers as doubles and would round them."""
    if pd.api.types.is_integer_dtype(col) and len(col) and int(col.abs().max()) > 2**53:
        return col.astype(str)
    return col


def _workbook(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    if importlib.util.find_spec("openpyxl") is None:  # pandas writes the workbook with it
        raise UserInputError("--xlsx needs openpyxl (pip install openpyxl; it is in coopsim's dependencies)",
                             field="--xlsx")
    tmp = path.with_name(path.name + ".tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as book:
        for name, table in tables.items():
            table = table.apply(_exact_in_excel)
            table.to_excel(book, sheet_name=name[:31], index=False, freeze_panes=(1, 0))
            sheet = book.sheets[name[:31]]
            for i, col in enumerate(table.columns, start=1):
                sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(max(len(str(col)), 10) + 2, 48)
    tmp.replace(path)
    return path
