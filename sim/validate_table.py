"""The validation table's text: per-target rows, the verdicts and the summary line that counts them honestly.

Counting (issue 16 item 4): calibration targets within their 90% interval; held-out targets within it *and*
informative (90% interval narrower than the reported value); uninformative targets apart; `input` figures (used
to set a default) and `identity` figures (an accounting restatement of inputs) listed, never counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROLE_LABEL = {"calibration": "calibration", "held_out": "held out", "input": "input", "identity": "identity",
              "diagnostic": "diagnostic"}


def summary(table: pd.DataFrame) -> dict[str, int | list[str]]:
    """The counts of the summary line (and the names of the inputs and identities)."""
    v, role = table["verdict"], table["role"]
    cal, held = role == "calibration", role == "held_out"
    names = table["place"] + "/" + table["target"]
    return {"calibration_within": int((cal & (v == "within")).sum()), "calibration": int(cal.sum()),
            "held_out_within_informative": int((held & (v == "within")).sum()), "held_out": int(held.sum()),
            "uninformative": int((v == "uninformative").sum()),
            "uninformative_held_out": int((held & (v == "uninformative")).sum()),
            "outside": int((v == "outside").sum()),
            "inputs": list(names[role == "input"]), "identities": list(names[role == "identity"]),
            "diagnostics": list(names[role == "diagnostic"])}


def summary_line(table: pd.DataFrame) -> str:
    s = summary(table)
    listed = lambda xs: ", ".join(xs) or "none"  # noqa: E731
    return (f"calibration within the 90% interval: {s['calibration_within']} of {s['calibration']}; "
            f"held out within and informative: {s['held_out_within_informative']} of {s['held_out']}; "
            f"uninformative (90% interval wider than the reported value): {s['uninformative']} "
            f"({s['uninformative_held_out']} held out); outside: {s['outside']}; "
            f"not counted: inputs {listed(s['inputs'])}; identities {listed(s['identities'])}"
            + (f"; diagnostics {listed(s['diagnostics'])}" if s["diagnostics"] else ""))


COLS = [("figure", "<"), ("year", "<"), ("reported", ">"), ("median", ">"), ("50% interval", ">"),
        ("90% interval", ">"), ("width", ">"), ("WIS", ">"), ("role", "<"), ("verdict", "<")]


def _row(r) -> list[str]:
    width = f"{r.width_relative:.2g}x" if np.isfinite(r.width_relative) else "–"
    wis = f"{r.wis_relative:.2g}" if np.isfinite(r.wis_relative) else "–"
    return [r.figure, r.year, f"{num(r.reported)} {r.unit}", num(r.simulated_median),
            f"[{num(r.low_50)}, {num(r.high_50)}]", f"[{num(r.low_90)}, {num(r.high_90)}]", width, wis,
            ROLE_LABEL[r.role], r.verdict]


def format_table(head: str, table: pd.DataFrame, fitted: str = "") -> str:
    """A plain-text, aligned table of one place; width = 90% interval width / reported; WIS / reported."""
    lines = [head, "=" * len(head)] + ([fitted] if fitted else [])
    body = [_row(r) for r in table.itertuples(index=False)]
    widths = [max(len(c[0]), *(len(b[i]) for b in body)) for i, c in enumerate(COLS)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(f"{x:{a}{w}}" for x, (_, a), w in zip(cells, COLS, widths, strict=True))

    lines += [fmt([c[0] for c in COLS]), fmt(["-" * w for w in widths]), *(fmt(b) for b in body)]
    lines.append("width: the 90% interval's width over the reported value; WIS: weighted interval score over it")
    lines.append(summary_line(table))
    return "\n".join(lines)


def num(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.1f}"
    return f"{x:.3g}"
