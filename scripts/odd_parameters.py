"""Regenerate the parameter appendix of docs/ODD.md from the config defaults and the source comments
in configs/village.yaml (run after adding or changing a parameter; a test checks it is current).

    python scripts/odd_parameters.py            # rewrite docs/ODD.md
    python scripts/odd_parameters.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
BEGIN, END = "<!-- parameters:begin -->", "<!-- parameters:end -->"
SECTIONS = ("village", "economy", "health", "registration", "risk", "household_budget", "demography",
            "household_business", "cooperative", "coop_life")


def yaml_comments(text: str) -> dict[tuple[str, str], str]:
    """(section, key) -> the comment on that key's line in configs/village.yaml."""
    out, section = {}, None
    for line in text.splitlines():
        top = re.match(r"^([a-z_]+):", line)
        if top:
            section = top.group(1)
            continue
        m = re.match(r"^  ([a-z_0-9]+):.*?#\s*(.+)$", line)
        if m and section:
            out[(section, m.group(1))] = m.group(2).strip()
    return out


def table() -> str:
    sys.path.insert(0, str(ROOT))
    from sim.config import Config
    from sim.policies.registry import policy_names

    cfg = Config().model_dump(mode="json")
    comments = yaml_comments((ROOT / "configs" / "village.yaml").read_text(encoding="utf-8"))
    rows = ["| setting | default | source or reasoning (configs/village.yaml) |", "|---|---|---|"]
    for section in (*SECTIONS, *policy_names()):
        for key, value in cfg[section].items():
            shown = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
            if len(shown) > 60:
                shown = shown[:57] + "..."
            note = comments.get((section, key), "")
            rows.append(f"| `{section}.{key}` | `{shown}` | {note.replace('|', '/')} |")
    return "\n".join(rows)


def render(doc: str) -> str:
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main() -> int:
    doc = ODD.read_text(encoding="utf-8")
    new = render(doc)
    if "--check" in sys.argv:
        return 0 if new == doc else 1
    ODD.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
