"""The minimum living allowance (低保) and support for the destitute (特困), worked out by hand on the tiny
village: 4 households of 2 persons, 2 mu each, no work found, no shocks. Each earns 2 x 650 yuan from
its farm and 2 x 100 of land subsidy: 1,500 yuan, 750 per person."""

import numpy as np
import pytest
from conftest import tiny

from sim.config import load_config
from sim.model import VillageModel
from sim.policies.registry import policy_groups
from sim.run import simulate

DIBAO = {"policies": ["dibao"], "dibao.standard_yuan_per_person_year": {2015: 2000},
         "dibao.growth_per_year_after_table": 0.0, "dibao.exclusion_error_rate": 0.0,
         "dibao.inclusion_error_rate": 0.0, "dibao.coverage_share_of_persons": {2015: 1.0},  # no quota
         "dibao.standard_multiple": 1.0}


def test_dibao_tops_income_up_to_the_standard():
    """Standard 2,000: each household gets (2,000 - 750) x 2 persons = 2,500 yuan a year; transfers per
    person are 2,500 / 2 + 100 of land subsidy = 1,350; income per person reaches the standard exactly."""
    y = simulate(tiny(DIBAO), seed=3).yearly.iloc[0]
    assert y.income_per_capita_transfer == pytest.approx(1350)
    assert y.mean_income_per_capita == pytest.approx(2000)
    assert y.dibao_households == 4 and y.dibao_yuan == pytest.approx(4 * 2500)


def test_no_dibao_above_the_standard():
    """Standard 700 is below the 750 per person the households earn: nobody is eligible, nothing is paid."""
    y = simulate(tiny({**DIBAO, "dibao.standard_yuan_per_person_year": {2015: 700}}), seed=3).yearly.iloc[0]
    assert y.income_per_capita_transfer == pytest.approx(100)
    assert y.dibao_households == 0 and y.dibao_yuan == 0


def test_the_allowance_does_not_count_against_itself_next_year():
    """Year 2 is assessed on year 1's income without the allowance (750 per person): 2,500 again, not
    (2,000 - 2,000) x 2 = 0."""
    yearly = simulate(tiny({**DIBAO, "years": 2}), seed=3).yearly
    assert list(yearly.dibao_yuan) == pytest.approx([10000, 10000])


def test_exclusion_error_leaves_an_eligible_household_out():
    """With every household eligible and an exclusion error of 1, none is paid; the minimum benefit
    (0.2 x 2,000 x 2 = 800 a year) reaches an ineligible household covered by inclusion error."""
    out = simulate(tiny({**DIBAO, "dibao.exclusion_error_rate": 1.0}), seed=3).yearly.iloc[0]
    assert out.dibao_households == 0 and out.income_per_capita_transfer == pytest.approx(100)
    inc = simulate(tiny({**DIBAO, "dibao.standard_yuan_per_person_year": {2015: 700},
                         "dibao.inclusion_error_rate": 1.0}), seed=3).yearly.iloc[0]
    assert inc.dibao_households == 4 and inc.income_per_capita_transfer == pytest.approx(100 + 0.2 * 700)


def test_coverage_draws_are_the_village_s_own():
    """Half the eligible are left out; which ones does not change when another policy is switched on."""
    over = {**DIBAO, "village.households": 200, "dibao.exclusion_error_rate": 0.5}
    a = VillageModel(config=tiny(over), rng=4)
    b = VillageModel(config=tiny({**over, "policies": ["dibao", "training"]}), rng=4)
    a.run(), b.run()
    got = a.policy("dibao").recipient
    assert 0.3 < got.mean() < 0.7 and a.policy("dibao").eligible.all()
    assert np.array_equal(got, b.policy("dibao").recipient)


def test_tekun_supports_five_without_households_at_1_3_times_the_standard():
    """All households five-without (no labour: no farm income): 1.3 x 2,000 x 2 persons = 5,200 a year
    each from tekun, none from the dibao; transfers per person 2,600 + 100 of land subsidy."""
    y = simulate(tiny({**DIBAO, "policies": ["dibao", "tekun"], "village.five_without_share": 1.0}),
                 seed=3).yearly.iloc[0]
    assert y.income_per_capita_transfer == pytest.approx(2700)
    assert y.tekun_households == 4 and y.tekun_yuan == pytest.approx(4 * 5200)
    assert y.dibao_households == 0


def test_national_programmes_is_a_group():
    members = list(policy_groups()["national_programmes"])
    assert {"dibao", "tekun", "health_poverty_alleviation"} <= set(members)
    cfg = load_config(None, ["policies=[national_programmes, cooperative]"])
    assert cfg.policies == [*members, "cooperative"]
    assert load_config(None, ["policies=[dibao, national_programmes]"]).policies == members


def _poverty_by_labour(overrides: dict, seeds) -> tuple[float, float]:
    """Poor household-years / household-years, for households without labour and with labour."""
    counts = np.zeros((2, 2))
    for seed in seeds:
        m = VillageModel(config="configs/village.yaml", rng=seed, overrides={"village.households": 200,
                                                                             **overrides})
        none = m.hh.labour_units == 0
        seen = 0
        while m.running:
            m.step()
            if len(m.history) > seen:
                seen = len(m.history)
                counts += [[(m.hh.poor & none).sum(), none.sum()], [(m.hh.poor & ~none).sum(), (~none).sum()]]
    return counts[0, 0] / counts[0, 1], counts[1, 0] / counts[1, 1]


def test_households_without_labour_are_not_less_often_poor():
    """With a means-tested allowance that misses some of the eligible, households without labour are poor
    at least as often as households with labour (the old unconditional allowance made them less often poor)."""
    without, with_labour = _poverty_by_labour({}, range(1, 5))
    assert without > with_labour


def test_ledger_balances_with_national_programmes():
    m = VillageModel(config="configs/village.yaml", rng=2, overrides={"village.households": 150}, years=3).run()
    assert m.ledger.imbalance_fen() == 0 and m.history[-1]["dibao_yuan"] > 0


def test_the_quota_reaches_the_lowest_assessed_income_first():
    """Hand-worked: two villages' worth of households in one; quota 0.5 of 8 persons = 4 persons: of the eligible
    (assessed below 2,000), the two poorest 2-person households are covered, the third is not."""
    from sim.policies.dibao import within_quota

    assessed = np.array([1500.0, 500.0, 2500.0, 900.0])
    got = within_quota(assessed, assessed < 2000, np.full(4, 2), np.zeros(4, np.int64), 1, 0.5)
    assert got.tolist() == [False, True, False, True]
    # per village: village 1's quota is its own (half of its 4 persons: one household)
    got = within_quota(assessed, assessed < 2000, np.full(4, 2), np.array([0, 0, 1, 1]), 2, 0.5)
    assert got.tolist() == [False, True, False, True]
    got = within_quota(assessed, assessed < 2000, np.full(4, 2), np.array([0, 1, 0, 1]), 2, 0.5)
    assert got.tolist() == [True, True, False, False]


def test_a_quota_of_half_the_persons_covers_two_of_the_four_households():
    """Quota share 0.25 x multiple 2 = 0.5 of 8 persons: two households paid (2,500 a year each)."""
    y = simulate(tiny({**DIBAO, "dibao.coverage_share_of_persons": {2015: 0.25}, "dibao.coverage_multiple": 2.0}),
                 seed=3).yearly.iloc[0]
    assert y.dibao_households == 2 and y.dibao_yuan == pytest.approx(2 * 2500)


def test_the_standard_multiple_scales_the_table():
    """Multiple 0.5 of 2,000: a standard of 1,000, (1,000 - 750) x 2 = 500 a household."""
    y = simulate(tiny({**DIBAO, "dibao.standard_multiple": 0.5}), seed=3).yearly.iloc[0]
    assert y.dibao_yuan == pytest.approx(4 * 500)


def test_from_the_linkage_registered_poor_households_are_left_out_at_their_own_rate():
    """All 4 households are registered poor (750 a person, below the 3,000 line). Exclusion 1 before the linkage
    year: nobody is paid in 2015; from 2016 the registered rate 0 applies: all four are paid (2,500 each)."""
    yearly = simulate(tiny({**DIBAO, "years": 2, "dibao.exclusion_error_rate": 1.0, "dibao.linkage_start_year": 2016,
                            "dibao.linkage_full_year": 2016, "dibao.registered_exclusion_error_rate": 0.0}),
                      seed=3).yearly
    assert list(yearly.dibao_households) == [0, 4]
    assert list(yearly.dibao_yuan) == pytest.approx([0, 4 * 2500])


@pytest.mark.parametrize("stay, paid", [(True, [4, 4]), (False, [4, 0])])
def test_a_recipient_still_eligible_stays_on_the_roll_without_a_new_draw(stay, paid):
    """Exclusion 0 in 2015: all four registered households are paid. From 2016 a registered household is left out
    with probability 1 (the linkage at a registered rate of 1, full at once): a household already on the roll and
    still eligible stays (reviewed, not re-drawn); with the rule off all four are dropped."""
    yearly = simulate(tiny({**DIBAO, "years": 2, "dibao.linkage_start_year": 2016, "dibao.linkage_full_year": 2016,
                            "dibao.registered_exclusion_error_rate": 1.0,
                            "dibao.recipients_stay_while_eligible": stay}), seed=3).yearly
    assert list(yearly.dibao_households) == paid


def test_a_registered_recipient_above_the_standard_keeps_last_year_s_allowance_for_the_grace_period():
    """Standard 2,000 in 2015, 700 from 2016 (below the 750 a person the households earn): in 2016 nobody is
    eligible, but the registered recipients keep 2015's 2,500 a household (渐退期, one year); in 2017 nothing."""
    yearly = simulate(tiny({**DIBAO, "years": 3, "dibao.standard_yuan_per_person_year": {2015: 2000, 2016: 700},
                            "dibao.grace_years": 1}), seed=3).yearly
    assert list(yearly.dibao_yuan) == pytest.approx([10000, 10000, 0])
    none = simulate(tiny({**DIBAO, "years": 2, "dibao.standard_yuan_per_person_year": {2015: 2000, 2016: 700},
                          "dibao.grace_years": 0}), seed=3).yearly
    assert list(none.dibao_yuan) == pytest.approx([10000, 0])


def test_the_linkage_is_phased_in_in_even_steps():
    """General rate 0.6, registered 0.0, linkage 2016-2019 (four steps): 0.6 before 2016, then 0.45, 0.3, 0.15, 0."""
    from sim.policies.dibao import DibaoParams

    p = DibaoParams(exclusion_error_rate=0.6, registered_exclusion_error_rate=0.0, linkage_start_year=2016,
                    linkage_full_year=2019)
    assert [p.registered_exclusion_for(y) for y in range(2015, 2021)] == pytest.approx([0.6, 0.45, 0.3, 0.15, 0, 0])


def test_within_quota_orders_only_the_eligible_and_matches_a_full_sort() -> None:
    """The quota's reach equals the full sort by village, eligible first, poorest first, over every household."""
    from sim.policies.dibao import within_quota

    rng = np.random.default_rng(8)
    n, nv = 5000, 13
    village = np.sort(rng.integers(0, nv, n))
    assessed = rng.choice([1000.0, 2000.0, 2500.0, 3000.0], n)  # ties: the earlier household first
    eligible, persons = rng.random(n) < 0.3, rng.integers(1, 7, n)
    order = np.lexsort((assessed, ~eligible, village))
    v, w = village[order], np.where(eligible[order], persons[order], 0).astype(float)
    cum = np.cumsum(w)
    start = np.concatenate(([0.0], cum))[np.searchsorted(v, v, side="left")]
    quota = 0.05 * np.bincount(village, weights=persons, minlength=nv)
    expected = np.zeros(n, bool)
    expected[order] = eligible[order] & (cum - start <= quota[v] + 1e-9)
    got = within_quota(assessed, eligible, persons, village, nv, 0.05)
    assert np.array_equal(got, expected) and 0 < got.sum() < eligible.sum()
