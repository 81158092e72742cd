"""`coopsim report`: every chart in every requested format and language, a briefing PDF and HTML page whose
headline numbers equal those computed straight from the Parquet tables with DuckDB, and clear messages for
folders missing a table."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.charts import Skipped  # noqa: F401 - imported so a broken charts module fails here too
from sim.compare import paired_differences
from sim.errors import UserInputError
from sim.report import CHARTS, headline, headline_text, read, write_report

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_IN_SMALL = {"sensitivity"}  # the small experiment has no sensitivity.parquet


def coopsim(*args):
    # a missing glyph in a chart would be an error, not a warning
    return subprocess.run([sys.executable, "-W", "error:Glyph:UserWarning", "-m", "sim", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def report_cli(small_results, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "brief"
    res = coopsim("report", str(small_results), "--formats", "png,svg,pdf", "--out", str(out))
    return res, out


def test_every_chart_file_in_every_format_and_language(report_cli):
    res, out = report_cli
    assert res.returncode == 0, res.stderr
    assert "findfont" not in res.stderr and "Glyph" not in res.stderr
    for lang in ("en", "zh"):
        for name in set(CHARTS) - SKIPPED_IN_SMALL:
            for fmt in ("png", "svg", "pdf"):
                path = out / lang / "charts" / f"{name}.{fmt}"
                assert path.exists() and path.stat().st_size > 1000, path
        assert not (out / lang / "charts" / "sensitivity.png").exists()
        assert (out / lang / "briefing.pdf").exists() and (out / lang / "briefing.html").exists()
    assert "skipped sensitivity: this experiment has no sensitivity analysis" in res.stderr
    assert not list(out.rglob("*.tmp"))


def test_briefing_pdf_has_an_a4_title_page_and_a_page_per_chart(report_cli):
    _, out = report_cli
    pdf = (out / "zh" / "briefing.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages == 1 + len(set(CHARTS) - SKIPPED_IN_SMALL) + 1  # first page, charts, appendix
    assert re.search(rb"/MediaBox \[ 0 0 841\.68 595\.44 \]", pdf)  # A4 landscape
    assert b"CoopsimSansSC" in pdf  # the bundled Chinese font is embedded


def test_briefing_html_has_the_table_charts_and_chinese_words(report_cli, small_results):
    _, out = report_cli
    page = (out / "zh" / "briefing.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<h1>小型实验</h1>" in page and "一个小型测试实验。" in page
    assert page.count('<img alt="') == len(set(CHARTS) - SKIPPED_IN_SMALL)
    assert "无合作社" in page and "+返聘务工" in page and "基准" in page and "敏感性分析" in page  # skip note
    english = (out / "en" / "briefing.html").read_text(encoding="utf-8")
    assert "<h1>Small</h1>" in english and "A small test experiment." in english and "No cooperative" in english


def t_interval(values):
    v = np.asarray(values, float)
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))
    return v.mean(), v.mean() - half, v.mean() + half


def test_headline_numbers_equal_duckdb_on_the_parquet(small_results):
    runs_file = str(small_results / "runs.parquet")
    table = headline(read(small_results).runs, "none").set_index("variant")
    per_variant = duckdb.sql(f"""
        select variant, count(*) n, avg(poverty_headcount_ratio) pov, stddev_samp(poverty_headcount_ratio) pov_sd,
               avg(households_lifted_since_start) lifted, avg(public_spending_total) spending,
               avg(public_cost_per_household_lifted) cost, stddev_samp(public_cost_per_household_lifted) cost_sd
        from '{runs_file}' where status = 'ok' group by variant""").df().set_index("variant")
    paired = duckdb.sql(f"""
        select v.variant, v.poverty_headcount_ratio - b.poverty_headcount_ratio d
        from '{runs_file}' v join '{runs_file}' b on v.seed = b.seed and v.point = b.point
        where b.variant = 'none' and v.variant <> 'none' and v.status = 'ok' and b.status = 'ok'""").df()
    tq = stats.t.ppf(0.975, 2)
    for v, row in per_variant.iterrows():
        got = table.loc[v]
        assert got["poverty_headcount_ratio"] == pytest.approx(row["pov"])
        half = tq * row["pov_sd"] / np.sqrt(row["n"])
        assert got["poverty_low"] == pytest.approx(row["pov"] - half)
        assert got["poverty_high"] == pytest.approx(row["pov"] + half)
        assert got["households_lifted"] == pytest.approx(row["lifted"])
        if row["spending"] > 0 and v != "none":  # per EXTRA household lifted: ratio of mean paired differences
            extra = duckdb.sql(f"""
                select avg(v.public_spending_total - b.public_spending_total) ds,
                       avg(v.households_lifted_since_start - b.households_lifted_since_start) dl
                from '{runs_file}' v join '{runs_file}' b on v.seed = b.seed and v.point = b.point
                where b.variant = 'none' and v.variant = '{v}' and v.status = 'ok' and b.status = 'ok'""").df()
            want = extra["ds"][0] / extra["dl"][0] if extra["dl"][0] > 0 else np.nan
            assert got["cost_per_extra_household"] == pytest.approx(want, nan_ok=True)
            assert got["gross_cost_per_household_lifted"] == pytest.approx(row["spending"] / row["lifted"])
        else:
            assert np.isnan(got["cost_per_extra_household"])
    for v, d in paired.groupby("variant")["d"]:
        mean, lo, hi = t_interval(d)
        assert (table.loc[v, "effect"], table.loc[v, "effect_low"], table.loc[v, "effect_high"]) == \
            pytest.approx((mean, lo, hi))
    assert table.loc["none", "effect"] == 0


def test_headline_text_is_formatted_for_people(small_results):
    res = read(small_results)
    table = headline(res.runs, "none")
    labels = {"none": "No cooperative", "coop": "coop", "coop_wages": "+ wage contracting"}
    en = headline_text(table, labels, "none", "en", 2015).set_index("Variant")
    row = table.set_index("variant").loc["coop"]
    assert en.loc["coop", "Poverty headcount"].startswith(f"{row.poverty_headcount_ratio * 100:.1f}%\n[")
    change = "Change in the\nheadcount"
    assert en.loc["No cooperative", change] == "baseline"
    cost = "Public yuan per extra\nhousehold lifted"
    assert en.loc["No cooperative", cost] == "baseline"
    assert en.loc["coop", cost] in ("no extra gain", "no public spending") or " yuan\n[" in en.loc["coop", cost]
    assert " pp\n[" in en.loc["coop", change]
    beats = en.loc["coop", "Beats baseline\n(share of seeds)"]
    assert beats == f"{row.p_beats:.0%}\n[{row.p_low:.0%} to {row.p_high:.0%}]"
    zh = headline_text(table, labels, "none", "zh", 2015)
    assert list(zh.columns)[:3] == ["方案", "贫困发生率", "贫困发生率变化"]
    assert zh.iloc[0, 2] == "基准" and "个百分点" in zh.iloc[1, 2] and "至" in zh.iloc[1, 1]


def test_sensitivity_folder_gets_its_chart(sensitivity_results, tmp_path):
    written = write_report(sensitivity_results, tmp_path / "r", langs=("zh",), formats=("svg",))
    names = {p.stem for p in written["zh"]["files"] if p.parent.name == "charts"}
    assert "sensitivity" in names and "poverty_headcount" in names
    assert any("一个方案" in s for s in written["zh"]["skipped"])  # effects need two variants


def test_a_folder_missing_a_table_is_named(small_results, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(small_results, broken)
    (broken / "series.parquet").unlink()
    res = coopsim("report", str(broken))
    assert res.returncode == 2 and "series.parquet is missing" in res.stderr and "Traceback" not in res.stderr
    with pytest.raises(UserInputError, match="series.parquet"):
        read(broken)


def test_a_folder_without_the_distribution_skips_that_chart_with_a_note(small_results, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(small_results, old)
    (old / "distribution.parquet").unlink()
    written = write_report(old, tmp_path / "r", langs=("en",), formats=("png",))
    assert any("predate the income distribution" in s for s in written["en"]["skipped"])
    assert not (tmp_path / "r" / "en" / "charts" / "income_distribution.png").exists()
    page = (tmp_path / "r" / "en" / "briefing.html").read_text()
    assert "predate the income distribution" in page
    assert not re.search(r"\.parquet|coopsim (sensitivity|experiment|report)|`", page)  # no file or command names


@pytest.mark.parametrize("kwargs, message", [
    ({"langs": ("fr",)}, "unknown language 'fr'"),
    ({"formats": ("png", "gif")}, "unknown chart format 'gif'"),
])
def test_bad_options_are_named(small_results, tmp_path, kwargs, message):
    with pytest.raises(UserInputError, match=message):
        write_report(small_results, tmp_path / "x", **kwargs)


def test_not_an_experiment_results_folder(tmp_path):
    with pytest.raises(UserInputError, match="results folder not found"):
        read(tmp_path / "nowhere")
    run = tmp_path / "run"
    run.mkdir()
    (run / "manifest.json").write_text('{"kind": "run"}')
    with pytest.raises(UserInputError, match="single run"):
        read(run)


def test_differences_are_paired_by_sweep_point_and_seed():
    runs = pd.DataFrame({"variant": ["b", "b", "v", "v"], "point": [0, 1, 1, 0], "seed": [7, 7, 7, 7],
                         "x": [1.0, 10.0, 12.0, 4.0], "status": "ok"})
    assert sorted(paired_differences(runs, "v", "b", "x")) == [2.0, 3.0]
    assert paired_differences(runs, "v", "b", "not_kept").size == 0
    table = headline(runs.assign(poverty_headcount_ratio=runs["x"]), "b", sweep=True).set_index("variant")
    assert table.loc["v", "effect"] == 2.5 and table.loc["v", "effect_low"] == pytest.approx(2.025)
