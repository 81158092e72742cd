"""The briefing: `coopsim report RESULTS` reads an experiment's results folder (it never re-runs the model) and
writes, per language, every chart in the requested formats and a briefing — one PDF and one HTML page — with the
title, the experiment's description, a headline table and the charts:

    <out>/<lang>/charts/<chart>.<png|svg|pdf>
    <out>/<lang>/briefing.pdf       A4 landscape title page with the headline table, then one page per chart
    <out>/<lang>/briefing.html      one self-contained page (charts embedded as PNG)

A chart whose data is not in the folder is skipped and named under "Not shown", with the reason.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim import charts
from sim.charts import Skipped, theme
from sim.compare import mean_ci, paired_differences, spread
from sim.errors import UserInputError
from sim.i18n import (
    LANGS,
    check_lang,
    fmt_int,
    fmt_interval,
    fmt_pct,
    fmt_pp,
    fmt_pp_bare,
    fmt_yuan,
    fmt_yuan_bare,
    t,
    variant_labels,
)
from sim.io import atomic_write_text
from sim.policies.economy import PovertyLine
from sim.results import Results, load, read_manifest

CHARTS = ("poverty_headcount", "income_by_source", "income_distribution", "effects", "funding", "sensitivity",
          "cooperative_health")
CHART_TITLES = {"poverty_headcount": "poverty.title", "income_by_source": "income.title",
                "income_distribution": "dist.title", "effects": "effects.title", "funding": "funding.title",
                "sensitivity": "sens.title.sobol", "cooperative_health": "coop.title"}
FORMATS = ("png", "svg", "pdf")
A4_LANDSCAPE = (11.69, 8.27)  # inches
DPI = 150


@dataclass
class Briefing:
    """What every chart and table of one language needs, read from the results folder."""

    res: Results
    lang: str
    labels: dict[str, str]  # variant -> display name
    order: list[str]  # variants in the experiment's order
    baseline: str
    band: str  # "ci" (replicates) or "spread" (sweeps)
    poverty_line_by_year: dict[int, float]
    first_year: int
    last_year: int
    skipped: list[str] = field(default_factory=list)

    @property
    def ok_runs(self) -> pd.DataFrame:
        return self.res.ok_runs

    @property
    def line(self) -> float | None:
        return self.poverty_line_by_year.get(self.last_year)


def read(folder: str | Path) -> Results:
    """The results folder, with the tables the briefing cannot do without (a clear error names a missing one)."""
    folder = Path(folder)

    if read_manifest(folder).get("kind") == "run":
        raise UserInputError("is the folder of a single run (`coopsim run`); the report reads an experiment's "
                             "results folder (`coopsim experiment FILE`)", file=str(folder))
    res = load(folder, require=("runs", "series"))
    if not len(res.ok_runs):
        raise UserInputError("no run finished without error (see runs.parquet: status, error)", file=str(folder))
    return res


def prepare(res: Results, lang: str) -> Briefing:
    m = res.manifest
    labels = variant_labels(m, lang)
    present = list(dict.fromkeys(res.ok_runs["variant"]))
    order = [v for v in labels if v in present] + [v for v in present if v not in labels]
    labels = {**{v: v for v in order}, **labels}
    baseline = m.get("baseline") or order[0]
    series = res.series
    assert series is not None  # `read` requires it
    first, last = int(series["year"].min()), int(series["year"].max())
    return Briefing(res, lang, labels, order, baseline, "ci" if res.runs["point"].nunique() == 1 else "spread",
                    poverty_lines(m, series, first, last), first, last)


def poverty_lines(manifest: dict, series: pd.DataFrame, first: int, last: int) -> dict[int, float]:
    """The poverty line by year: from the runs (outcome `poverty_line`) where recorded, else from the config."""
    by_year: dict[int, float] = {}
    cfg = manifest.get("base_config", {}).get("poverty_line")
    if cfg:
        line = PovertyLine.model_validate(cfg)
        by_year = {y: line.for_year(y) for y in range(first - 1, last + 1)}
    if "poverty_line" in series.columns:
        by_year.update({int(y): float(v) for y, v in series.groupby("year")["poverty_line"].mean().items()})
    return by_year


# -- charts -----------------------------------------------------------------------------------------

def chart(name: str, b: Briefing):
    """Draw one chart (a Figure); raises charts.Skipped when the folder lacks its data."""
    res, lang, labels = b.res, b.lang, b.labels
    draw: dict[str, Callable] = {
        "poverty_headcount": lambda: charts.poverty_headcount(res.series, labels, lang, b.baseline,
                                                              b.poverty_line_by_year, b.band),
        "income_by_source": lambda: charts.income_by_source(res.series, labels, lang, b.baseline, b.line,
                                                            b.last_year),
        "income_distribution": lambda: charts.income_distribution(res.distribution, res.ok_runs, labels, lang,
                                                                  b.baseline, b.line, b.last_year, b.band),
        "effects": lambda: charts.effects(res.ok_runs, labels, lang, b.baseline, b.last_year, b.band),
        "funding": lambda: charts.funding(res.ok_runs, labels, lang, b.baseline),
        "sensitivity": lambda: charts.sensitivity(res.sensitivity, lang),
        "cooperative_health": lambda: charts.cooperative_health(res.series, labels, lang, b.baseline, b.band),
    }
    return draw[name]()


def save_figure(fig, path: Path | io.BytesIO, fmt: str, lang: str) -> None:
    with theme(lang):
        fig.savefig(path, format=fmt, dpi=DPI, bbox_inches="tight", pad_inches=0.15,
                    metadata={"Date": None} if fmt in ("svg", "pdf") else None)


# -- the headline table -------------------------------------------------------------------------------

def headline(runs: pd.DataFrame, baseline: str, order: list[str] | None = None, sweep: bool = False) -> pd.DataFrame:
    """Per variant, at the end of the runs: the poverty headcount ratio and households lifted since the start
    (mean and 95% interval over replicates), the effect on the poverty headcount ratio against the baseline
    (difference paired by sweep point and seed, 95% interval), public spending since the start, and the public
    cost per household lifted (mean over runs with spending, 95% interval). For a `sweep` the brackets
    are the middle 95% of runs instead of the mean's interval."""
    stat = spread if sweep else mean_ci
    ok = runs[runs["status"] == "ok"]
    order = order or list(dict.fromkeys(ok["variant"]))

    def col(df, name):  # an outcome the experiment did not keep is an empty column (shown as "–")
        return df[name].to_numpy(float) if name in df.columns else np.array([])

    rows = []
    for v in order:
        g = ok[ok["variant"] == v]
        _, pov, pov_lo, pov_hi = stat(col(g, "poverty_headcount_ratio"))
        _, lifted, lifted_lo, lifted_hi = stat(col(g, "households_lifted_since_start"))
        diff = paired_differences(ok, v, baseline, "poverty_headcount_ratio")
        n_pairs, eff, eff_lo, eff_hi = stat(diff) if v != baseline else (len(g), 0.0, np.nan, np.nan)
        spending = float(np.mean(col(g, "public_spending_total"))) if "public_spending_total" in g else np.nan
        cost = col(g, "public_cost_per_household_lifted")
        _, cost_m, cost_lo, cost_hi = stat(cost) if spending > 0 else (0, np.nan, np.nan, np.nan)
        rows.append({"variant": v, "runs": len(g), "poverty_headcount_ratio": pov, "poverty_low": pov_lo,
                     "poverty_high": pov_hi, "households_lifted": lifted, "lifted_low": lifted_lo,
                     "lifted_high": lifted_hi, "effect": eff, "effect_low": eff_lo, "effect_high": eff_hi,
                     "pairs": n_pairs, "public_spending_total": spending, "cost_per_household_lifted": cost_m,
                     "cost_low": cost_lo, "cost_high": cost_hi})
    return pd.DataFrame(rows)


def headline_text(table: pd.DataFrame, labels: dict[str, str], baseline: str, lang: str,
                  start: int | str = "") -> pd.DataFrame:
    """The headline table as people read it: percentages, percentage points, households, yuan."""
    def pct(x):
        return fmt_pct(x, lang)

    def pp(x):
        return fmt_pp_bare(x, lang)

    def yuan(x):
        return fmt_yuan_bare(x, lang)

    rows = []
    for _, r in table.iterrows():
        base = r["variant"] == baseline
        rows.append({
            t("brief.col.variant", lang): labels.get(r["variant"], r["variant"]),
            t("brief.col.poverty", lang): _with_interval(pct(r["poverty_headcount_ratio"]),
                                                         fmt_interval(r["poverty_low"], r["poverty_high"], pct, lang)),
            t("brief.col.lifted", lang, start=start): _with_interval(fmt_int(r["households_lifted"]),
                                                        fmt_interval(r["lifted_low"], r["lifted_high"], fmt_int,
                                                                     lang)),
            t("brief.col.effect", lang): t("brief.baseline", lang) if base else _with_interval(
                fmt_pp(r["effect"], lang), fmt_interval(r["effect_low"], r["effect_high"], pp, lang)),
            t("brief.col.cost", lang): "–" if np.isnan(r["public_spending_total"]) else
            t("brief.none", lang) if not r["public_spending_total"] > 0 else
            _with_interval(fmt_yuan(r["cost_per_household_lifted"], lang),
                           fmt_interval(r["cost_low"], r["cost_high"], yuan, lang)),
        })
    return pd.DataFrame(rows)


def _with_interval(value: str, interval: str) -> str:
    return f"{value}\n{interval}" if interval else value


# -- words ------------------------------------------------------------------------------------------------

def title(b: Briefing) -> str:
    exp = b.res.manifest.get("experiment", {})
    name = b.res.manifest.get("name", b.res.folder.name)
    english = exp.get("title_en") or name.replace("_", " ").capitalize()
    return (exp.get("title_zh") or english) if b.lang == "zh" else english


def description(b: Briefing) -> str:
    exp = b.res.manifest.get("experiment", {})
    text = b.res.manifest.get("description", "")
    return (exp.get("description_zh") or text) if b.lang == "zh" else text


def setup_line(b: Briefing) -> str:
    m = b.res.manifest
    households = m.get("base_config", {}).get("village", {}).get("households")
    replicates = m.get("experiment", {}).get("replicates", "?")
    text = t("brief.setup", b.lang, variants=len(b.order), replicates=replicates, vs="s" if len(b.order) != 1 else "",
             rs="s" if replicates != 1 else "",
             runs=fmt_int(len(b.res.runs)), start=b.first_year, end=b.last_year,
             households=fmt_int(households) if households else "?", baseline=b.labels.get(b.baseline, b.baseline))
    points = len(m.get("points", [])) or int(b.res.runs["point"].nunique())
    if points > 1:
        text = text.replace("; ", t("brief.points", b.lang, points=fmt_int(points)) + "; ", 1) \
            if b.lang == "en" else text.replace("；", t("brief.points", b.lang, points=fmt_int(points)) + "；", 1)
    return text


def table_note(b: Briefing) -> str:
    return t("brief.table_note" if b.band == "ci" else "brief.table_note_sweep", b.lang)


def footer(b: Briefing) -> str:
    m = b.res.manifest
    return t("brief.generated", b.lang, version=m.get("version", "?"), folder=b.res.folder.name,
             commit=(m.get("git_commit") or "?")[:10])


def wrap(text: str, width: int) -> list[str]:
    """Wrap text to `width` columns; Chinese characters count two columns and may break anywhere."""
    if not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return textwrap.wrap(text, width, break_on_hyphens=False) or [""]
    lines, line, used = [], "", 0
    for c in text:
        w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + w > width and line and c not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0
        line += c
        used += w
    return lines + [line] if line else lines


NO_LINE_START = "，。；：、）》」』！？…,.;:)!?%"  # punctuation that may not begin a line (禁则)


# -- writing ------------------------------------------------------------------------------------------------

def write_report(folder: str | Path, out: str | Path | None = None, langs: tuple[str, ...] = LANGS,
                 formats: tuple[str, ...] = FORMATS, log: Callable[[str], None] = lambda _m: None) -> dict:
    """Write the charts and the briefing for each language; returns {lang: {"files": [...], "skipped": [...]}}."""
    for lang in langs:
        check_lang(lang)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UserInputError(f"unknown chart format {bad[0]!r}; allowed: {', '.join(FORMATS)}" if bad
                             else "give at least one chart format", field="--formats")
    res = read(folder)
    out = Path(out) if out is not None else Path(folder) / "report"
    import matplotlib.pyplot as plt


    written = {}
    for lang in langs:
        b = prepare(res, lang)
        where = out / lang
        (where / "charts").mkdir(parents=True, exist_ok=True)
        files, pngs, figures = [], {}, {}
        for name in CHARTS:
            try:
                fig = chart(name, b)
            except Skipped as why:
                b.skipped.append(str(why))
                log(f"{lang}: skipped {why}")
                continue
            for fmt in formats:
                path = where / "charts" / f"{name}.{fmt}"
                save_figure(fig, path, fmt, lang)
                files.append(path)
            if "png" in formats:
                pngs[name] = (where / "charts" / f"{name}.png").read_bytes()
            else:
                buf = io.BytesIO()
                save_figure(fig, buf, "png", lang)
                pngs[name] = buf.getvalue()
            figures[name] = fig
        table = headline(res.runs, b.baseline, b.order, sweep=b.band == "spread")
        text = headline_text(table, b.labels, b.baseline, lang, b.first_year)
        files.append(write_pdf(where / "briefing.pdf", b, text, figures))
        files.append(write_html(where / "briefing.html", b, text, pngs))
        for fig in figures.values():
            plt.close(fig)
        written[lang] = {"files": files, "skipped": list(b.skipped), "headline": table}
    return written


def write_pdf(path: Path, b: Briefing, table: pd.DataFrame, figures: dict) -> Path:
    """A4 landscape title page (title, description, headline table, notes), then one page per chart."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.transforms import Bbox


    tmp = path.with_name(path.name + ".tmp")
    with theme(b.lang), PdfPages(tmp, metadata={"Title": title(b), "Creator": "coopsim", "CreationDate": None}) as pdf:
        page = plt.figure(figsize=A4_LANDSCAPE)
        width = 132 if b.lang == "en" else 124
        y = 0.94
        page.text(0.05, y, title(b), fontsize=20, va="top")
        y -= 0.06
        page.text(0.05, y, t("brief.subtitle", b.lang) + " · " + setup_line(b), fontsize=10, va="top",
                  color="#444444")
        y -= 0.04
        for line in wrap(description(b), width)[:6]:
            page.text(0.05, y, line, fontsize=10, va="top")
            y -= 0.025
        y -= 0.02
        page.text(0.05, y, t("brief.headline", b.lang, year=b.last_year), fontsize=13, va="top")
        y -= 0.03
        rows = len(table)
        height = min(0.072 * (rows + 1), y - 0.2)
        ax = page.add_axes((0.05, y - height, 0.9, height))
        ax.axis("off")
        tab = ax.table(cellText=table.to_numpy().tolist(), colLabels=list(table.columns), loc="upper left",
                       cellLoc="left", colLoc="left", colWidths=[0.25, 0.16, 0.16, 0.21, 0.22],
                       bbox=Bbox.from_bounds(0, 0, 1, 1))
        tab.auto_set_font_size(False)
        tab.set_fontsize(9)
        for (r, _c), cell in tab.get_celld().items():
            cell.set_edgecolor("#cccccc")
            cell.set_linewidth(0.5)
            if r == 0:
                cell.set_facecolor("#eeeeee")
        y -= height + 0.03
        for line in wrap(table_note(b), width + 10):
            page.text(0.05, y, line, fontsize=8, va="top", color="#444444")
            y -= 0.02
        failed = int((b.res.runs["status"] != "ok").sum())
        notes = ([t("brief.failed", b.lang, n=fmt_int(failed))] if failed else []) + b.skipped
        if notes:
            y -= 0.01
            page.text(0.05, y, t("brief.skipped", b.lang) + ":" if b.skipped else "", fontsize=9, va="top")
            y -= 0.022
            for note in notes:
                for line in wrap("• " + note, width + 10):
                    page.text(0.06, y, line, fontsize=8, va="top", color="#444444")
                    y -= 0.02
        page.text(0.05, 0.03, footer(b), fontsize=7, color="#777777")
        pdf.savefig(page)
        plt.close(page)
        for fig in figures.values():
            pdf.savefig(fig, bbox_inches="tight", pad_inches=0.4)
    tmp.replace(path)
    return path


CSS = """
body { font-family: %s; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px; background: white; }
h1 { font-size: 26px; margin: 8px 0 4px; font-weight: 600; }
.setup { color: #555; margin: 0 0 16px; }
h2 { font-size: 19px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; font-weight: 600; }
table { border-collapse: collapse; width: 100%%; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td .ci { color: #666; font-size: 12px; display: block; }
.note { color: #555; font-size: 13px; }
figure { margin: 24px 0; }
figure img { max-width: 100%%; height: auto; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
@media print { body { background: white; } main { padding: 0; } figure { break-inside: avoid; } }
"""
FONTS = {"en": '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif',
         "zh": '"Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Coopsim Sans SC", sans-serif'}


def write_html(path: Path, b: Briefing, table: pd.DataFrame, pngs: dict[str, bytes]) -> Path:
    """One self-contained page: title, description, headline table, the charts as embedded PNG, notes."""
    e = html.escape
    head = "".join(f"<th>{e(c.replace(chr(10), ' '))}</th>" for c in table.columns)
    body_rows = []
    for row in table.to_numpy().tolist():
        cells = []
        for cell in row:
            value, _, interval = str(cell).partition("\n")
            cells.append(f"<td>{e(value)}" + (f'<span class="ci">{e(interval)}</span>' if interval else "") + "</td>")
        body_rows.append("<tr>" + "".join(cells) + "</tr>")
    figures = []
    for name, png in pngs.items():
        alt = t(CHART_TITLES[name], b.lang, year=b.last_year, baseline=b.labels.get(b.baseline, b.baseline))
        figures.append(f'<figure><img alt="{e(alt)}" src="data:image/png;base64,'
                       f'{base64.b64encode(png).decode("ascii")}"></figure>')
    failed = int((b.res.runs["status"] != "ok").sum())
    notes = ([t("brief.failed", b.lang, n=fmt_int(failed))] if failed else []) + b.skipped
    skipped = (f"<h2>{e(t('brief.skipped', b.lang))}</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in notes)
               + "</ul>") if notes else ""
    page = f"""<!doctype html>
<html lang="{'zh-CN' if b.lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title(b))}</title>
<style>{CSS % FONTS[b.lang]}</style>
</head>
<body><main>
<h1>{e(title(b))}</h1>
<p class="setup">{e(t('brief.subtitle', b.lang))} · {e(setup_line(b))}</p>
<p>{e(description(b))}</p>
<h2>{e(t('brief.headline', b.lang, year=b.last_year))}</h2>
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(body_rows)}
</tbody></table>
<p class="note">{e(table_note(b))}</p>
<h2>{e(t('brief.charts', b.lang))}</h2>
{chr(10).join(figures)}
{skipped}
<footer>{e(footer(b))}</footer>
</main></body>
</html>
"""
    atomic_write_text(path, page)
    path.chmod(0o644)  # a page to share (the atomic writer's temporary file is private)
    return path
