"""The pinned regression baseline: fixed-seed yearly outcomes of a few runs, stored in tests/baseline.json.

Regenerate on purpose (a change meant to move results), in its own commit saying why:

    .venv/bin/python -m tests.regen_baseline
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from sim.policies import registry
from sim.run import simulate

BASELINE_FILE = Path(__file__).with_name("baseline.json")
REGEN_COMMAND = "python -m tests.regen_baseline"

# name -> (config file, seed, years, overrides); small, fixed, and together touching every mechanism
RUNS: dict[str, tuple[str, int, int | None, dict]] = {
    "village": ("configs/village.yaml", 1, None, {}),  # the default village, its default ten years
    "village_every_policy": ("configs/village.yaml", 2, 5, {"policies": [
        "dibao", "tekun", "poverty_campaign", "cooperative", "land_shares", "wage_contracting", "assistance_fund",
        "distribution", "reserve", "mutual_aid_credit",
        "subsidised_loans", "party_organisation", "paired_assistance", "governance", "line_switch", "pilot_first",
        "project_agency", "training", "awards", "service_teams", "instructor_posts",
        "public_welfare_jobs", "talent_return", "industrial_subsidy", "crop_insurance",
        "joint_cooperative", "lease_back", "processing_workshop"], "lease_back.leased_back_share": 0.5}),
    # six villages of the county with their share (6/578 ~ 1%) of the balanced budget, four years
    "county_small": ("configs/county.yaml", 3, 4, {"county.villages": 6, "funding.scale": 0.01}),
}
ROOT = Path(__file__).resolve().parent.parent


def kind(name: str) -> str:
    """How an outcome is compared: "fen" (money, exact to the fen), "ratio" (relative 1e-9) or "count"
    (exact). Money is a yuan amount (unit "yuan" or "yuan/year"); per-person or per-household yuan are ratios."""
    declared = registry.outcomes()
    unit = declared[name].unit if name in declared else ""
    if unit in ("yuan", "yuan/year"):
        return "fen"
    return "ratio"


def encode(name: str, value: float) -> float | int | None:
    """The stored form of one value: integer fen for money, integers for whole counts, else the float."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind(name) == "fen":
        return int(round(value * 100))
    if float(value).is_integer():
        return int(value)
    return float(value)


def table(frame, keys: tuple[str, ...]) -> list[dict]:
    return [{k: (int(row[k]) if k in keys else encode(k, row[k])) for k in frame.columns}
            for row in frame.to_dict("records")]


def run_all() -> dict:
    """The baseline as a JSON-able mapping: per run, its settings, yearly rows (and rows per village)."""
    out = {}
    for name, (config, seed, years, overrides) in RUNS.items():
        run = simulate(ROOT / config, seed=seed, years=years, overrides=overrides)
        entry = {"config": config, "seed": seed, "years": years, "overrides": overrides,
                 "yearly": table(run.yearly, ("year",))}
        if run.yearly_by_village is not None:
            entry["yearly_by_village"] = table(run.yearly_by_village, ("year", "village"))
        entry["final"] = {k: encode(k.removesuffix("_total"), v) for k, v in sorted(run.final.items())}
        out[name] = entry
    return out


def dumps(data: dict) -> str:
    """JSON with one table row per line (small, and a moved number shows as a one-line diff)."""
    runs = []
    for name, entry in data.items():
        parts = []
        for key, value in entry.items():
            if isinstance(value, list):
                rows = ",\n    ".join(json.dumps(r, sort_keys=True) for r in value)
                parts.append(f'  {json.dumps(key)}: [\n    {rows}\n  ]')
            else:
                parts.append(f"  {json.dumps(key)}: {json.dumps(value, sort_keys=True)}")
        runs.append(f"{json.dumps(name)}: {{\n" + ",\n".join(parts) + "\n}")
    return "{\n" + ",\n".join(runs) + "\n}\n"


def main() -> None:
    data = run_all()
    BASELINE_FILE.write_text(dumps(data), encoding="utf-8")
    print(f"wrote {BASELINE_FILE.relative_to(ROOT)} ({BASELINE_FILE.stat().st_size / 1024:.0f} KiB): "
          + ", ".join(f"{k} ({len(v['yearly'])} years)" for k, v in data.items()))


if __name__ == "__main__":
    main()
