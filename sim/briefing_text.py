"""The briefing's numbers as people read them, in English and Chinese: the headline table, the key sentence, the
set-up line, the note when households lifted and the headcount move apart, and the appendix tables (gross cost,
public money by source). The numbers come from sim/briefing.py."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.briefing import line_of_source
from sim.i18n import (
    fmt_int,
    fmt_interval,
    fmt_pct,
    fmt_pp,
    fmt_pp_bare,
    fmt_yuan,
    fmt_yuan_bare,
    public_source_label,
    t,
)


def _cell(value: str, interval: str) -> str:
    return f"{value}\n{interval}" if interval else value


def headline_text(table: pd.DataFrame, labels: dict[str, str], baseline: str, lang: str,
                  start: int | str = "") -> pd.DataFrame:
    """The headline table for people: headcount, its change, extra households lifted, public yuan per extra
    household lifted and per extra yuan gained by the poor, and how often the variant beats the baseline."""
    rows = []
    for _, r in table.iterrows():
        base = r["variant"] == baseline
        rows.append({
            t("brief.col.variant", lang): labels.get(r["variant"], r["variant"]),
            t("brief.col.poverty", lang): _cell(fmt_pct(r["poverty_headcount_ratio"]), fmt_interval(
                r["poverty_low"], r["poverty_high"], fmt_pct, lang)),
            t("brief.col.effect", lang): t("brief.baseline", lang) if base else _cell(fmt_pp(r["effect"], lang),
                fmt_interval(r["effect_low"], r["effect_high"], lambda x: fmt_pp_bare(x, lang), lang)),
            t("brief.col.extra", lang, start=start): "–" if base else _cell(_signed_int(r["extra_lifted"]),
                fmt_interval(r["extra_lifted_low"], r["extra_lifted_high"], _signed_int, lang)),
            t("brief.col.cost", lang): _cost(r, "cost_per_extra_household", "cost_low", "cost_high", lang, base),
            t("brief.col.cost_yuan", lang): _cost(r, "cost_per_yuan_gained", "yuan_cost_low", "yuan_cost_high",
                                                  lang, base, digits=2),
            t("brief.col.beats", lang): "–" if base or not np.isfinite(r["p_beats"]) else _cell(
                fmt_pct(r["p_beats"], digits=0), fmt_interval(r["p_low"], r["p_high"],
                                                             lambda x: fmt_pct(x, digits=0), lang)),
        })
    return pd.DataFrame(rows)


def _signed_int(x: float) -> str:
    return fmt_int(x) if not np.isfinite(x) or x <= 0 else "+" + fmt_int(x)


def _cost(r: pd.Series, mean: str, low: str, high: str, lang: str, base: bool, digits: int = 3) -> str:
    if base:
        return t("brief.baseline", lang)
    if not r["public_spending_total"] > 0:
        return t("brief.none", lang)
    if not np.isfinite(r[mean]):
        return t("brief.no_gain", lang)
    bare = (lambda x: f"{x:,.{digits}f}") if digits == 2 else (lambda x: fmt_yuan_bare(x, lang))
    value = f"{r[mean]:,.2f}" if digits == 2 else fmt_yuan(r[mean], lang)
    return _cell(value, fmt_interval(r[low], r[high], bare, lang))


def key_sentence(table: pd.DataFrame, best: dict | None, labels: dict[str, str], baseline: str, lang: str) -> str:
    """What is best, by how much, how sure: in one sentence (two when there are too few seeds to rank)."""
    if best is None:
        return ""
    name = labels.get(best["best"], best["best"])
    if best["best"] == baseline:
        return t("key.baseline_best", lang, best=name)
    r = table.set_index("variant").loc[best["best"]]
    years = fmt_interval(-r["person_years_high"], -r["person_years_low"], fmt_int, lang)
    cost = r["cost_per_extra_household"]
    text = t("key.best", lang, best=name, years=fmt_int(-r["person_years"]), years_interval=years,
             baseline=labels.get(baseline, baseline), extra=fmt_int(r["extra_lifted"]),
             interval=fmt_interval(r["extra_lifted_low"], r["extra_lifted_high"], _signed_int, lang),
             cost=fmt_yuan(cost, lang) if np.isfinite(cost) else t("brief.no_gain", lang),
             p_base=fmt_pct(r["p_beats"], digits=0), second=labels.get(best["second"], best["second"]),
             p=fmt_pct(best["p_beats"], digits=0),
             p_interval=fmt_interval(best["p_low"], best["p_high"], lambda x: fmt_pct(x, digits=0), lang),
             seeds=fmt_int(best["seeds"]))
    return text if best["enough"] else text + t("key.too_few", lang, seeds=fmt_int(best["seeds"]))


def opposite_text(moves: list[dict], labels: dict[str, str], lang: str, first: int, last: int,
                  line_jumps: dict[int, float]) -> str:
    """Why households lifted and the headcount can move in opposite directions, with the run's numbers."""
    if not moves:
        return ""
    m = moves[0]
    names = "、".join if lang == "zh" else ", ".join
    text = t("opposite", lang, names=names([labels.get(x["variant"], x["variant"]) for x in moves]),
             lifted=fmt_int(m["lifted"]), first=first, last=last, start=fmt_pct(m["start"]), end=fmt_pct(m["end"]),
             name=labels.get(m["variant"], m["variant"]))
    for year, line in line_jumps.items():
        text += t("opposite.line", lang, year=year, yuan=fmt_yuan(line, lang))
    return text


def gross_cost_text(table: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Appendix: public programme spending, households lifted since the start and the gross cost per household."""
    rows = []
    for _, r in table.iterrows():
        rows.append({t("brief.col.variant", lang): labels.get(r["variant"], r["variant"]),
                     t("appx.spending", lang): fmt_yuan(r["public_spending_total"], lang),
                     t("appx.lifted", lang): fmt_int(r["households_lifted"]),
                     t("appx.gross", lang): fmt_yuan(r["gross_cost_per_household_lifted"], lang)
                     if r["public_spending_total"] > 0 else t("brief.none", lang)})
    return pd.DataFrame(rows)


ROW_KEYS = {"budget": "money.budget", "programme_total": "money.programme_total", "unexplained": "money.unexplained",
            "unspent": "money.unspent", "all": "money.all"}


def public_money_text(money: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """Appendix: the reconciliation table with labelled rows (sources by name, with their funding line) and one
    column per variant, in yuan."""
    lines = line_of_source()
    rows = []
    for (group, key), values in money.iterrows():
        if group in ROW_KEYS:
            label = t(ROW_KEYS[group], lang)
        elif group == "programme":
            line = t("money.line", lang, line=public_source_label(lines[key], lang)) if key in lines \
                else t("money.no_line", lang)
            label = "  " + public_source_label(key, lang) + line
        else:
            label = "  " + public_source_label(key, lang) + t("money.other", lang)
        rows.append({t("money.row", lang): label, **{labels.get(v, v): fmt_yuan_bare(x, lang)
                                                     for v, x in values.items()}})
    return pd.DataFrame(rows)
