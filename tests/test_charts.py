"""Briefing charts: each draws from a small results folder in English and Chinese without a missing glyph,
bands and markers are there, legends stay off the data, and absent data skips a chart with a note."""

import io
import logging
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from fontTools.ttLib import TTFont
from matplotlib.collections import PolyCollection

from sim import charts
from sim.i18n import (
    INCOME_CATEGORY_LABELS,
    PARAMETERS,
    TEXT,
    fmt_interval,
    fmt_pct,
    fmt_pp,
    fmt_yuan,
    fmt_yuan_bare,
    variant_labels,
)
from sim.policies.registry import outcomes
from sim.report import CHARTS, Briefing, chart, prepare, read

ROOT = Path(__file__).resolve().parents[1]


def render_all_formats(fig) -> None:
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt, bbox_inches="tight")


@contextmanager
def no_glyph_trouble(caplog):
    """Fails on a missing-glyph warning or a font-lookup complaint from matplotlib inside the block."""
    caplog.set_level(logging.INFO, logger="matplotlib.font_manager")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    problems = [str(w.message) for w in caught if "glyph" in str(w.message).lower() or "font" in str(w.message).lower()]
    problems += [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()]
    assert not problems, problems


def every_chart(folders, lang: str):
    """(name, figure) for every chart the folders can draw, in the language's theme; each closed afterwards."""
    for folder in folders:
        b = prepare(read(folder), lang)
        for name in CHARTS:
            try:
                fig = chart(name, b)
            except charts.Skipped:
                continue
            with charts.theme(lang):
                yield name, fig
            plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_draws_without_missing_glyphs(small_results, sensitivity_results, lang, caplog):
    drawn = set()
    with no_glyph_trouble(caplog):
        for name, fig in every_chart((small_results, sensitivity_results), lang):
            render_all_formats(fig)
            drawn.add(name)
    assert drawn == set(CHARTS)


def test_the_missing_glyph_check_would_catch_boxes(caplog):
    """Control: Chinese in a font without it is caught, so the check above can fail."""
    fig, ax = plt.subplots()
    ax.set_title("贫困发生率", family="DejaVu Sans")
    with pytest.raises(AssertionError, match="missing from font"), no_glyph_trouble(caplog):
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_chinese_chart_shows_chinese_words(small_results):
    b = prepare(read(small_results), "zh")
    fig = chart("poverty_headcount", b)
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "各年贫困发生率" and ax.get_xlabel() == "年份"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["无合作社", "合作社", "+返聘务工"]
    plt.close(fig)


def test_poverty_chart_has_a_visible_band_per_variant_and_legend_off_the_data(small_results):
    b = prepare(read(small_results), "en")
    fig = chart("poverty_headcount", b)
    ax = fig.axes[0]
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 3 + 1  # one per variant, and the baseline's single villages
    for band in bands:  # replicates differ, so each band has height
        ys = band.get_paths()[0].vertices[:, 1]
        assert ys.max() - ys.min() > 0
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # beside the plot, not over it
    plt.close(fig)


def test_a_poverty_line_jump_is_marked():
    assert charts.line_jumps({2019: 3218.0, 2020: 4000.0, 2021: 4080.0}, [2019, 2020, 2021]) == [2020]
    assert charts.line_jumps({2016: 2952.0, 2017: 2952.0}, [2017]) == []


def test_marked_line_year_appears_in_the_chart(small_results):
    res = read(small_results)
    b = prepare(res, "en")
    b.poverty_line_by_year = {2015: 3000.0, 2016: 4000.0}
    fig = chart("poverty_headcount", b)
    marked = [line.get_xdata()[0] for line in fig.axes[0].lines if line.get_linestyle() == ":"]
    assert marked == [2016]
    assert any("4,000 yuan" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)


def test_absent_data_skips_a_chart_with_a_note(small_results):
    res = read(small_results)
    b = prepare(res, "en")
    labels = b.labels
    with pytest.raises(charts.Skipped, match="predate the income distribution"):
        charts.income_distribution(None, res.runs, labels, "en")
    with pytest.raises(charts.Skipped, match="no sensitivity analysis"):
        charts.sensitivity(None, "en")
    one = res.runs[res.runs.variant == "none"]
    with pytest.raises(charts.Skipped, match="one variant"):
        charts.effects(one, labels, "en", "none")
    with pytest.raises(charts.Skipped, match="fewer than two variants"):
        charts.funding(res.runs[res.runs.variant != "coop_wages"], labels, "en", "none")
    with pytest.raises(charts.Skipped, match="did not keep Income per capita: farm"):
        charts.income_by_source(res.series.drop(columns=["income_per_capita_farm"]), labels, "en")
    with pytest.raises(charts.Skipped, match="早于收入分布"):
        charts.income_distribution(None, res.runs, labels, "zh")


def test_numbers_for_people():
    assert fmt_yuan(8031.4) == "8,031 yuan" and fmt_yuan(8031.4, "zh") == "8,031元"
    assert fmt_yuan(1_007_380, "zh") == "101万元" and fmt_yuan_bare(1_007_380, "zh") == "101万"
    assert fmt_pct(0.0963) == "9.6%" and fmt_pp(-0.1012) == "\u221210.1 pp" and fmt_pp(0.02, "zh") == "+2.0 个百分点"
    assert fmt_interval(0.09, 0.102, fmt_pct) == "[9.0% to 10.2%]"
    assert fmt_interval(0.09, 0.102, fmt_pct, "zh") == "[9.0%至10.2%]"
    assert fmt_yuan(float("nan")) == "–" and fmt_interval(float("nan"), 1.0, fmt_pct) == ""


def test_variant_labels_fall_back_to_english_then_the_name():
    manifest = {"variants": [{"name": "a", "label_en": "A", "label_zh": "甲"}, {"name": "b", "label_en": "B"},
                             {"name": "c"}]}
    assert variant_labels(manifest, "zh") == {"a": "甲", "b": "B", "c": "c"}
    assert variant_labels(manifest, "en") == {"a": "A", "b": "B", "c": "c"}


def chinese_strings() -> set[str]:
    found = {zh for _en, zh in TEXT.values()} | {zh for _en, zh in INCOME_CATEGORY_LABELS.values()}
    found |= {zh for _en, zh in PARAMETERS.values()} | {o.label_zh for o in outcomes().values()}
    for path in (ROOT / "experiments").glob("*.yaml"):
        exp = yaml.safe_load(path.read_text(encoding="utf-8"))
        found |= {str(exp.get(k)) for k in ("title_zh", "description_zh") if exp.get(k)}
        found |= {v["label_zh"] for v in exp.get("variants", []) if v.get("label_zh")}
    return found


def test_the_bundled_font_covers_every_chinese_string():
    cmap = set(TTFont(charts.FONT_FILE).getBestCmap())
    chars = {c for s in chinese_strings() for c in re.sub(r"\{[^}]*\}", "", s)}  # placeholders are not shown
    missing = {c for c in chars if ord(c) > 0x7F and ord(c) not in cmap}
    assert not missing, "".join(sorted(missing))


def test_the_bundled_font_is_small_and_licensed():
    assert charts.FONT_FILE.stat().st_size < 5_000_000
    assert "SIL Open Font License" in (charts.FONT_FILE.parent / "OFL.txt").read_text()
    assert TTFont(charts.FONT_FILE)["name"].getDebugName(1) == charts.CJK_FAMILY


def test_briefing_context_reads_the_line_from_the_runs(small_results):
    b: Briefing = prepare(read(small_results), "en")
    recorded = read(small_results).series.query("year == 2016").poverty_line.mean()
    assert b.poverty_line_by_year[2016] == pytest.approx(recorded)
    assert b.order == ["none", "coop", "coop_wages"] and b.baseline == "none" and b.band == "ci"


def test_bar_errors_are_never_negative():
    """A cost of 20.6M with a bootstrap interval [0.28M, 14.4M] (the ratio of means outside its percentile
    interval, extra households lifted near zero): the bar's upper error is 0, the lower 20.32M."""
    t = pd.DataFrame({"mean": [20.6e6, 5.0], "low": [0.28e6, 4.0], "high": [14.4e6, 7.0]})
    low, high = charts._bar_errors(t)
    assert low.tolist() == pytest.approx([20.32e6, 1.0]) and high.tolist() == [0.0, 2.0]


def _overlapping(boxes_a, boxes_b=None) -> list[tuple[str, str]]:
    """Pairs of (text, box) whose boxes overlap: within one list, or between two."""
    if boxes_b is None:
        return [(a, b) for i, (a, box_a) in enumerate(boxes_a) for b, box_b in boxes_a[i + 1:] if box_a.overlaps(box_b)]
    return [(a, b) for a, box_a in boxes_a for b, box_b in boxes_b if box_a.overlaps(box_b)]


def _tick_boxes(ticks, labels, lim, renderer) -> list:
    return [(lab.get_text(), lab.get_window_extent(renderer)) for loc, lab in zip(ticks, labels, strict=False)
            if min(lim) <= loc <= max(lim) and lab.get_visible() and lab.get_text()]


def colliding_labels(fig) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap once drawn: tick labels (in view) of one axis with each other, and any
    tick label, axis label or title of one panel with those of another panel."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found, panels = [], []
    for ax in (a for a in fig.axes if a.get_visible() and a.axison):
        x = _tick_boxes(ax.get_xticks(), ax.get_xticklabels(), ax.get_xlim(), renderer)
        y = _tick_boxes(ax.get_yticks(), ax.get_yticklabels(), ax.get_ylim(), renderer)
        found += _overlapping(x) + _overlapping(y)
        words = [(w.get_text(), w.get_window_extent(renderer)) for w in
                 (ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title) if w.get_visible() and w.get_text()]
        panels.append(x + y + words)
    return found + [pair for i, a in enumerate(panels) for b in panels[i + 1:] for pair in _overlapping(a, b)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_chart_has_colliding_labels(small_results, sensitivity_results, lang):
    for name, fig in every_chart((small_results, sensitivity_results), lang):
        fig.set_dpi(150)
        assert colliding_labels(fig) == [], (name, lang)


def test_the_collision_check_catches_colliding_ticks():
    """Control: long tick labels crowded on a narrow axis (the old funding chart's 8,00010,00012,000)."""
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xticks([8000, 10000, 12000], ["8,000 yuan", "10,000 yuan", "12,000 yuan"])
    assert colliding_labels(fig)
    plt.close(fig)


def test_equal_budget_variants_get_their_own_rows(small_results):
    """Variants spending the same never share a point: each has a row of its own in the households-lifted panel."""
    res = read(small_results)
    b = prepare(res, "en")
    fig = chart("funding", b)
    dots = fig.axes[1]
    rows = [lab.get_text().split("\n")[0] for lab in dots.get_yticklabels()]
    assert rows == ["No cooperative", "coop", "+ wage contracting"]
    assert all("yuan" in lab.get_text() for lab in dots.get_yticklabels())
    plt.close(fig)


def test_a_panel_zero_in_every_run_is_dropped_and_named(small_results):
    res = read(small_results)
    series = res.series.assign(leakage=0.0)
    fig = charts.cooperative_health(series, prepare(res, "en").labels, "en", "none")
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert not any("diverted" in x for x in titles)
    assert any("Not drawn, zero in every run:" in t.get_text() and "Money diverted" in t.get_text() for t in fig.texts)
    assert any(x.startswith("Runs with an active cooperative (share)") for x in titles)  # one cooperative a run
    plt.close(fig)


def test_characters_no_bundled_font_has_fail_clearly(small_results, tmp_path):
    """鄠 and 堃 (rare place-name characters outside GB 2312) would print as boxes: exit 2 naming them."""
    import json
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "rare"
    shutil.copytree(small_results, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["variants"][1]["label_zh"] = "鄠邑区合作社"
    manifest["experiment"]["title_zh"] = "堃村"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    res = subprocess.run([sys.executable, "-m", "sim", "report", str(folder), "--lang", "zh", "--formats", "png"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "堃 (U+5803)" in res.stderr and "鄠 (U+9120)" in res.stderr
    assert charts.missing_glyphs(["贫困户 Income 8,031元 −4.3 个百分点"]) == []
