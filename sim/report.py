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

import pandas as pd

from sim import charts
from sim.briefing import best_and_runner_up, headline, opposite_moves, public_money, setup_facts
from sim.briefing_text import gross_cost_text, headline_text, key_sentence, opposite_text, public_money_text
from sim.charts import Skipped, theme
from sim.errors import UserInputError
from sim.i18n import (
    LANGS,
    check_lang,
    fmt_amount,
    fmt_int,
    t,
    variant_labels,
)
from sim.io import atomic_write_text
from sim.plan.report import is_optimisation, write_optimisation_report
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
                                                              b.poverty_line_by_year, b.band, single_villages(res)),
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


def check_glyphs(b: Briefing) -> None:
    """Refuse, naming them, characters of the experiment's words that no bundled font can draw (they would print as
    boxes): the bundled Chinese font covers GB 2312's 6,763 hanzi, not rarer place-name characters."""
    missing = charts.missing_glyphs([title(b), description(b), *b.labels.values()])
    if missing:
        chars = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing)
        raise UserInputError(f"the briefing's fonts cannot draw {chars} in the experiment's title, description or "
                             f"variant labels ({b.lang}); write those words with other characters (e.g. pinyin) or "
                             "remake the bundled font with them (scripts/subset_font.py)",
                             file=str(b.res.manifest.get("file") or b.res.folder))


def single_villages(res: Results) -> pd.DataFrame | None:
    """One row per village, run and year with its variant: the runs' villages, or the runs themselves when each
    is one village."""
    villages = res.series_by_village
    if villages is None or not len(villages):
        return res.series
    return villages.merge(res.runs[["run_id", "variant"]], on="run_id") if "variant" not in villages else villages


def save_figure(fig, path: Path | io.BytesIO, fmt: str, lang: str) -> None:
    with theme(lang):
        fig.savefig(path, format=fmt, dpi=DPI, bbox_inches="tight", pad_inches=0.15,
                    metadata={"Date": None} if fmt in ("svg", "pdf") else None)


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
    """What was run: villages, households, years, variants, replicates, runs, seeds and the baseline."""
    f = setup_facts(b.res.runs, b.res.manifest)
    villages = int(round(f["villages"]))
    households = fmt_amount(f["households"], b.lang)
    text = t("brief.setup", b.lang, villages=t("brief.villages", b.lang, n=fmt_int(villages),
                                                s="s" if villages != 1 else ""),
             households=t("brief.about", b.lang, n=households) if f["varies"] else households,
             years=b.last_year - b.first_year + 1, start=b.first_year, end=b.last_year, variants=len(b.order),
             vs="s" if len(b.order) != 1 else "", replicates=f["replicates"], rs="s" if f["replicates"] != 1 else "",
             runs=fmt_int(f["runs"]), seed=f["seed"], baseline=b.labels.get(b.baseline, b.baseline))
    return text + (t("brief.points", b.lang, points=fmt_int(f["points"])) if f["points"] > 1 else "")


def table_note(b: Briefing) -> str:
    return t("brief.table_note" if b.band == "ci" else "brief.table_note_sweep", b.lang)


def footer(b: Briefing) -> str:
    m = b.res.manifest
    return t("brief.generated", b.lang, version=m.get("version", "?"), commit=(m.get("git_commit") or "?")[:10])


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
    if is_optimisation(Path(folder)):  # `coopsim optimise`'s folder: the planner's charts (sim/plan/report.py)
        return write_optimisation_report(folder, out, langs, formats, log)
    res = read(folder)
    out = Path(out) if out is not None else Path(folder) / "report"
    import matplotlib.pyplot as plt


    written = {}
    for lang in langs:
        b = prepare(res, lang)
        check_glyphs(b)
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
        words = first_page(b, table)
        files.append(write_pdf(where / "briefing.pdf", b, words, figures))
        files.append(write_html(where / "briefing.html", b, words, pngs))
        for fig in figures.values():
            plt.close(fig)
        written[lang] = {"files": files, "skipped": list(b.skipped), "headline": table}
    return written


@dataclass
class Pages:
    """The briefing's words and tables of one language: the first page and the appendix."""

    key: str  # the key sentence
    table: pd.DataFrame  # the headline table, cells "value\ninterval"
    notes: list[str]  # the table's note, then why lifted and headcount move apart (when they do)
    gross: pd.DataFrame  # appendix: gross cost per household lifted
    money: pd.DataFrame  # appendix: public money by source, one column per variant


def first_page(b: Briefing, table: pd.DataFrame) -> Pages:
    runs = b.res.runs
    moves = opposite_moves(b.res.series, table) if b.res.series is not None else []
    jumps = {y: b.poverty_line_by_year[y] for y in charts.line_jumps(b.poverty_line_by_year,
                                                                     list(range(b.first_year, b.last_year + 1)))}
    notes = [table_note(b), opposite_text(moves, b.labels, b.lang, b.first_year, b.last_year, jumps)]
    return Pages(key_sentence(table, best_and_runner_up(runs, b.order), b.labels, b.baseline, b.lang),
                 headline_text(table, b.labels, b.baseline, b.lang, b.first_year), [n for n in notes if n],
                 gross_cost_text(table, b.labels, b.lang), public_money_text(public_money(runs, b.order), b.labels,
                                                                             b.lang))


def _notes(b: Briefing) -> list[str]:
    failed = int((b.res.runs["status"] != "ok").sum())
    return ([t("brief.failed", b.lang, n=fmt_int(failed))] if failed else []) + b.skipped


class _Writer:
    """Text and tables placed down an A4 landscape page, top to bottom."""

    def __init__(self, page, lang: str):
        self.page, self.lang, self.y = page, lang, 0.94
        self.width = 132 if lang == "en" else 124

    def text(self, text: str, size: float = 10, colour: str = "#222222", width: int | None = None,
             indent: float = 0.05, gap: float = 0.025) -> None:
        for line in wrap(text, int((width or self.width) * 10 / size)):
            self.page.text(indent, self.y, line, fontsize=size, va="top", color=colour)
            self.y -= gap * size / 10

    def table(self, table: pd.DataFrame, widths: list[float], row_height: float = 0.072, size: float = 9) -> None:
        from matplotlib.transforms import Bbox

        height = min(row_height * (len(table) + 1), self.y - 0.12)
        ax = self.page.add_axes((0.05, self.y - height, 0.9, height))
        ax.axis("off")
        joiner = "" if self.lang == "zh" else " "  # Chinese runs on without spaces
        heads = ["\n".join(wrap(c.replace("\n", joiner), int(w * 0.85 * 842 / (size * 0.72)))) for c, w in
                 zip(table.columns, widths, strict=True)]
        tab = ax.table(cellText=table.to_numpy().tolist(), colLabels=heads, loc="upper left",
                       cellLoc="left", colLoc="left", colWidths=widths, bbox=Bbox.from_bounds(0, 0, 1, 1))
        tab.auto_set_font_size(False)
        tab.set_fontsize(size)
        header_lines = max(h.count("\n") + 1 for h in heads)
        body_lines = max((str(v).count("\n") + 1 for v in table.to_numpy().ravel()), default=1)
        for (r, _c), cell in tab.get_celld().items():
            if r == 0:  # a header of more lines than a row gets their height (the bbox keeps the proportions)
                cell.set_height(cell.get_height() * max(1.0, header_lines / body_lines))
            cell.set_edgecolor("#cccccc")
            cell.set_linewidth(0.5)
            if r == 0:
                cell.set_facecolor("#eeeeee")
        self.y -= height + 0.025


def write_pdf(path: Path, b: Briefing, words: Pages, figures: dict) -> Path:
    """A4 landscape first page (title, set-up, key sentence, headline table, notes), one page per chart, then the
    appendix (gross cost with its definition, public money by source)."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    tmp = path.with_name(path.name + ".tmp")
    with theme(b.lang), PdfPages(tmp, metadata={"Title": title(b), "Creator": "coopsim", "CreationDate": None}) as pdf:
        page = title_page(b, words)
        pdf.savefig(page)
        plt.close(page)
        for fig in figures.values():
            pdf.savefig(fig, bbox_inches="tight", pad_inches=0.4)
        pdf.savefig(appendix_page(b, words))
        plt.close("all")
    tmp.replace(path)
    return path


def title_page(b: Briefing, words: Pages):
    """The first page: title, set-up, description, key sentence, headline table, notes, what is not shown."""
    import matplotlib.pyplot as plt

    page = plt.figure(figsize=A4_LANDSCAPE)
    w = _Writer(page, b.lang)
    w.text(title(b), size=20, gap=0.03)
    w.text(t("brief.subtitle", b.lang) + " · " + setup_line(b), colour="#444444")
    w.text(description(b), size=9, colour="#444444", width=w.width)
    w.y -= 0.01
    w.text(words.key, size=12, gap=0.026)
    w.y -= 0.01
    w.text(t("brief.headline", b.lang, year=b.last_year), size=12)
    first = 0.19
    w.table(words.table, [first] + [(1 - first) / (len(words.table.columns) - 1)] * (len(words.table.columns) - 1))
    for note in words.notes:
        w.text(note, size=8, colour="#444444", width=w.width)
        w.y -= 0.008
    notes = _notes(b)
    if notes:
        w.text(t("brief.skipped", b.lang) + ":", size=9)
        for note in notes:
            w.text("• " + note, size=8, colour="#444444", width=w.width, indent=0.06)
    page.text(0.05, 0.03, footer(b), fontsize=7, color="#777777")
    return page


def appendix_page(b: Briefing, words: Pages):
    import matplotlib.pyplot as plt

    page = plt.figure(figsize=A4_LANDSCAPE)
    w = _Writer(page, b.lang)
    w.text(t("appx.title", b.lang), size=16, gap=0.028)
    w.text(t("appx.gross_title", b.lang), size=12)
    w.table(words.gross, [0.31, 0.23, 0.23, 0.23], row_height=0.05, size=8)
    w.text(t("appx.gross_note", b.lang), size=8, colour="#444444", width=w.width)
    w.y -= 0.015
    w.text(t("money.title", b.lang) + f" ({t('money.unit', b.lang)})", size=12)
    cols = len(words.money.columns)
    w.table(words.money, [0.34] + [0.66 / (cols - 1)] * (cols - 1), row_height=0.032, size=7.5)
    w.text(t("money.note", b.lang), size=8, colour="#444444", width=w.width)
    return page


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
td.num { text-align: right; }
.key { font-size: 17px; background: #f4f7fb; border-left: 4px solid #2b6cb0; padding: 8px 12px; }
h3 { font-size: 16px; margin-top: 20px; font-weight: 600; }
.note { color: #555; font-size: 13px; }
figure { margin: 24px 0; }
figure img { max-width: 100%%; height: auto; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
@media print { body { background: white; } main { padding: 0; } figure { break-inside: avoid; } }
"""
FONTS = {"en": '"DejaVu Sans", "Helvetica Neue", Arial, sans-serif',
         "zh": '"Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Coopsim Sans SC", sans-serif'}


def html_table(table: pd.DataFrame, numeric_from: int = 1) -> str:
    """A table as HTML: a cell "value\ninterval" shows its interval small below; columns from `numeric_from` on
    are right-aligned."""
    e = html.escape
    head = "".join(f"<th>{e(c.replace(chr(10), ' '))}</th>" for c in table.columns)
    rows = []
    for row in table.to_numpy().tolist():
        cells = []
        for i, cell in enumerate(row):
            value, _, interval = str(cell).partition("\n")
            align = ' class="num"' if i >= numeric_from else ""
            cells.append(f"<td{align}>{e(value)}" + (f'<span class="ci">{e(interval)}</span>' if interval else "")
                         + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def write_html(path: Path, b: Briefing, words: Pages, pngs: dict[str, bytes]) -> Path:
    """One self-contained page: title, set-up, key sentence, headline table, notes, the charts as embedded PNG,
    the appendix."""
    e = html.escape
    figures = []
    for name, png in pngs.items():
        alt = t(CHART_TITLES[name], b.lang, year=b.last_year, baseline=b.labels.get(b.baseline, b.baseline))
        figures.append(f'<figure><img alt="{e(alt)}" src="data:image/png;base64,'
                       f'{base64.b64encode(png).decode("ascii")}"></figure>')
    notes = _notes(b)
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
<p class="key">{e(words.key)}</p>
<h2>{e(t('brief.headline', b.lang, year=b.last_year))}</h2>
{html_table(words.table)}
{"".join(f'<p class="note">{e(n)}</p>' for n in words.notes)}
<p>{e(description(b))}</p>
<h2>{e(t('brief.charts', b.lang))}</h2>
{chr(10).join(figures)}
{skipped}
<h2>{e(t('appx.title', b.lang))}</h2>
<h3>{e(t('appx.gross_title', b.lang))}</h3>
{html_table(words.gross)}
<p class="note">{e(t('appx.gross_note', b.lang))}</p>
<h3>{e(t('money.title', b.lang))} ({e(t('money.unit', b.lang))})</h3>
{html_table(words.money)}
<p class="note">{e(t('money.note', b.lang))}</p>
<footer>{e(footer(b))}</footer>
</main></body>
</html>
"""
    atomic_write_text(path, page)
    path.chmod(0o644)  # a page to share (the atomic writer's temporary file is private)
    return path
