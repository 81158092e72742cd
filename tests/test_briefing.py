"""The briefing's first page and appendix (issue 19): the key sentence names the best variant with its margin and
how sure; the set-up line describes the actual run; public money reconciles by source with the runs' totals; the
text explains when households lifted and the headcount move apart; numbers keep their differences visible."""

import numpy as np
import pandas as pd
import pytest

from sim.briefing import best_and_runner_up, headline, opposite_moves, public_money, setup_facts
from sim.briefing_text import key_sentence, opposite_text, public_money_text
from sim.i18n import fmt_sig, fmt_yuan
from sim.report import first_page, prepare, read, setup_line
from sim.run import PUBLIC_PREFIX, simulate


def toy_runs() -> pd.DataFrame:
    """Two variants on four seeds: `a` has fewer person-years than `base` on seeds 1-3 and ties on seed 4."""
    rows = []
    for seed, (pb, pa) in enumerate([(10, 8), (12, 9), (11, 10), (9, 9)], start=1):
        rows.append({"variant": "base", "point": 0, "seed": seed, "status": "ok", "poverty_person_years_total": pb,
                     "households_lifted_since_start": 100, "public_spending_total": 0.0,
                     "poverty_headcount_ratio": 0.2, "income_gained_by_registered_poor_total": 1000.0})
        rows.append({"variant": "a", "point": 0, "seed": seed, "status": "ok", "poverty_person_years_total": pa,
                     "households_lifted_since_start": 100 + seed, "public_spending_total": 1000.0 * seed,
                     "poverty_headcount_ratio": 0.18, "income_gained_by_registered_poor_total": 1000.0 + 100 * seed})
    return pd.DataFrame(rows)


def test_headline_pairs_extra_households_and_costs_by_seed():
    """Extra lifted 1,2,3,4 (mean 2.5); extra spending 1,000..4,000 (mean 2,500): 1,000 yuan per extra household;
    extra income 100..400 (mean 250): 10 public yuan per extra yuan; `a` beats `base` on 3 seeds, ties 1: 3.5/4."""
    table = headline(toy_runs(), "base").set_index("variant")
    a = table.loc["a"]
    assert a["extra_lifted"] == pytest.approx(2.5)
    assert a["cost_per_extra_household"] == pytest.approx(1000.0)
    assert a["cost_per_yuan_gained"] == pytest.approx(10.0)
    assert a["p_beats"] == pytest.approx(0.875) and a["p_low"] < 0.875 < a["p_high"]
    assert a["gross_cost_per_household_lifted"] == pytest.approx(2500 / 102.5)
    assert np.isnan(table.loc["base", "p_beats"]) and np.isnan(table.loc["base", "cost_per_extra_household"])


def test_key_sentence_says_what_is_best_by_how_much_and_how_sure():
    runs = toy_runs()
    table = headline(runs, "base")
    best = best_and_runner_up(runs, ["base", "a"])
    assert best["best"] == "a" and best["second"] == "base" and not best["enough"]
    en = key_sentence(table, best, {"a": "Plan A", "base": "No plan"}, "base", "en")
    # person-years 8,9,10,9 against 10,12,11,9: 1.5 fewer on average (shown whole), 2.5 more households lifted
    assert en.startswith("Plan A leaves the fewest person-years in poverty: 2 fewer than No plan [")
    assert "it lifts 2 more households [" in en
    assert "1,000 yuan of public money per extra household" in en and "on 88% of 4 seeds" in en
    assert "Only 4 seeds" in en
    zh = key_sentence(table, best, {"a": "甲", "base": "无"}, "base", "zh")
    assert zh.startswith("“甲”的贫困人年数最少") and "1,000元" in zh and "仅有4个随机种子" in zh


def test_key_sentence_when_the_baseline_is_best():
    runs = toy_runs()
    runs.loc[runs["variant"] == "a", "poverty_person_years_total"] += 10
    best = best_and_runner_up(runs, ["base", "a"])
    assert best["best"] == "base"
    assert "No variant does better than the baseline" in key_sentence(headline(runs, "base"), best, {}, "base", "en")


def test_opposite_moves_are_found_and_explained():
    series = pd.DataFrame({"variant": ["v", "v", "w", "w"], "year": [2015, 2024, 2015, 2024],
                           "poverty_headcount_ratio": [0.142, 0.161, 0.2, 0.1]})
    table = pd.DataFrame({"variant": ["v", "w"], "households_lifted": [48215.0, 10.0]})
    moves = opposite_moves(series, table)
    assert [m["variant"] for m in moves] == ["v"]
    text = opposite_text(moves, {"v": "County"}, "en", 2015, 2024, {2020: 4000.0})
    assert "48,215 households poor at the start had left poverty by 2024" in text
    assert "rose from 14.2% (2015) to 16.1% (2024)" in text and "4,000 yuan in 2020" in text
    assert opposite_text([], {}, "en", 2015, 2024, {}) == ""


def test_run_facts_name_every_yuan_of_public_money():
    """Every public source's net payments add up to the programme spending plus the other public transfers."""
    run = simulate("configs/county.yaml", seed=1, overrides=["county.villages=2", "funding.scale=0.01"], years=2)
    f = run.final
    public = sum(v for k, v in f.items() if k.startswith(PUBLIC_PREFIX))
    assert public == pytest.approx(f["public_spending_total"] + f["public_transfers_total"], abs=0.01)
    assert f["villages"] == 2 and f["households"] > 100 and f["funding_budget_yuan"] == pytest.approx(12_000_000)


def test_public_money_reconciles_with_the_runs_totals(small_results):
    runs = read(small_results).runs
    money = public_money(runs, ["none", "coop", "coop_wages"])
    programme = money.xs("programme", level="group").sum()
    assert (programme - money.loc[("programme_total", "")]).abs().max() < 1  # no unexplained programme money
    assert ("unexplained", "") not in money.index
    ok = runs[runs["status"] == "ok"].groupby("variant")
    expected = ok["public_spending_total"].mean() + ok["public_transfers_total"].mean()
    assert money.loc[("all", "")].to_numpy() == pytest.approx(expected.reindex(money.columns).to_numpy())
    text = public_money_text(money, {"coop": "Co-op"}, "en")
    assert "Co-op" in text.columns and "Subsidy shares for the poor (line: Subsidy shares for the poor)" in \
        " ".join(text.iloc[:, 0])


def test_setup_line_describes_the_actual_run(small_results):
    res = read(small_results)
    facts = setup_facts(res.runs, res.manifest)
    assert facts["villages"] == 1 and facts["replicates"] == 3 and facts["runs"] == 9
    line = setup_line(prepare(res, "en"))
    assert line.startswith(f"1 village, {facts['households']:,.0f} households, 2 years") and "= 9 runs" in line
    assert "every variant on the same 3 seeds" in line
    assert setup_line(prepare(res, "zh")).startswith("1个村，")


def test_first_page_leads_with_the_cost_per_extra_household(small_results):
    res = read(small_results)
    b = prepare(res, "en")
    words = first_page(b, headline(res.runs, b.baseline, b.order))
    assert "Public yuan per extra\nhousehold lifted" in words.table.columns
    assert "Gross cost per\nhousehold lifted" in words.gross.columns  # the gross cost only in the appendix
    assert words.key and "fewest person-years in poverty" in words.key


def test_numbers_keep_their_differences_visible():
    assert fmt_yuan(20_312, "zh") == "2.03万元" and fmt_yuan(20_812, "zh") == "2.08万元"
    assert fmt_yuan(176_432) == "176,000 yuan" and fmt_yuan(68_218_220) == "68.2 million yuan"
    assert fmt_yuan(1_268_000_000, "zh") == "12.7亿元" and fmt_yuan(8031.4) == "8,031 yuan"
    assert fmt_sig(0.19793) == "0.198" and fmt_sig(1.1, sign=True) == "+1.10" and fmt_sig(1650.2) == "1,650"
