"""Paired assistance (docs/model.md §3.9): who is paired with whom, the k cap, re-forming pairs, and the effects.

Tiny village (tests/conftest.py): 4 identical households of 2 persons farming 2 mu of grain (net 650
yuan/mu), all registered poor. Here household 0 keeps its party member (a pairing helper) and the
other three are not party households.
"""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.population import COOP_LEADER, LEFT, PAIRING_HELPER, ROLES

POLICIES = ["cooperative", "party_organisation", "paired_assistance"]
QUIET = {"party_organisation.applicants_per_organised_coop_year": 0,
         "party_organisation.applicants_per_instructor_year": 0,
         "party_organisation.leave_rate_per_year": 0}


def one_helper(extra=None, years=1):
    """Model with one party member (household 0, a pairing helper) in the tiny village; not yet stepped."""
    cfg = tiny({"policies": POLICIES, "years": years, "village.party_member_household_share": 1.0,
                "cooperatives.0.type": "capable_person_led", "paired_assistance.households_per_member": 2,
                **QUIET, **(extra or {})})
    model = VillageModel(config=cfg, rng=1)
    pm = model.party
    pm.stage[1:] = LEFT
    model.hh.party_members[1:] = 0
    pm.role[0] = PAIRING_HELPER
    model.policy("party_organisation").recount()
    return model


def test_poor_households_first_poorest_first_then_others_by_need_up_to_k():
    model = one_helper()
    hh, pa = model.hh, model.policy("paired_assistance")
    hh.registered_poor[:] = [False, False, True, True]
    hh.poor[:] = [False, False, True, True]
    model.assessed_income_per_capita[:] = [9000, 3500, 2000, 1000]  # household 1: not poor, under 1.5 lines
    pa.pair()
    assert hh.paired_member.tolist() == [-1, -1, 0, 0]  # k = 2: the two poor ones; household 1 waits
    hh.poor[3] = False  # household 3 leaves poverty: it is released, household 1 takes its place
    pa.pair()
    assert hh.paired_member.tolist() == [-1, 0, 0, -1]
    hh.poor[3] = True  # poor again: it comes before the non-poor household 1
    pa.pair()
    assert hh.paired_member.tolist() == [-1, -1, 0, 0]


def test_non_poor_households_above_the_need_ceiling_are_not_paired():
    model = one_helper()
    hh, pa = model.hh, model.policy("paired_assistance")
    hh.registered_poor[:] = False
    hh.poor[:] = False
    model.assessed_income_per_capita[:] = [9000, 4600, 4400, 9000]  # ceiling 1.5 x 3,000 = 4,500
    pa.pair()
    assert hh.paired_member.tolist() == [-1, -1, 0, -1]


def test_pairs_are_re_formed_when_a_member_leaves():
    model = one_helper({"paired_assistance.households_per_member": 3,
                        "paired_assistance.pairing_roles": ["pairing_helper", "coop_leader"]})
    pm, hh, c = model.party, model.hh, model.coops
    pm.stage[1] = pm.stage[0]  # household 1's member comes back as a second helper
    hh.party_members[1] = 1
    pm.role[1] = PAIRING_HELPER
    pm.capability[:] = [0.9, 0.5, 0.5, 0.5]
    model.step()  # January: the year's pairs
    assert hh.paired_member.tolist() == [-1, -1, 0, 0]  # the more capable helper first, up to k = 3
    assert c.leader_household[0] == 0
    model.policy("party_organisation").remove(np.array([0]))  # the leader's household loses its member
    # household 1's member takes over the cooperative (the only party member left) and the pairs; household 0,
    # no longer a party household, is paired too (equal need: by index)
    assert c.leader_household[0] == 1 and pm.role[1] == ROLES.index("coop_leader")
    assert hh.paired_member.tolist() == [1, -1, 1, 1]
    assert hh.party_members.tolist() == [0, 1, 0, 0]
    model.policy("party_organisation").remove(np.array([1]))
    assert hh.paired_member.tolist() == [-1, -1, -1, -1]  # nobody left to pair


def test_paired_households_farm_better_and_get_help_in_illness():
    """Households 1-3 are paired (k = 3): own-farm income x 1.1 (1 mu left after pooling half the land);
    150 yuan a month while ill."""
    model = one_helper({"paired_assistance.households_per_member": 3, "village.initial_ill_share": 1.0,
                        "health.chronic.spell_months": {"dist": "constant", "value": 24},
                        "health.chronic.cost_yuan": {"dist": "constant", "value": 0}})
    model.run()
    y = model.history[0]
    farm = model.last_income_fen[0] / 100
    # ill households lose one of their two labour units, but one unit still farms 2 mu (3 days a month)
    assert farm.tolist() == pytest.approx([650, 715, 715, 715])
    assistance = model.last_income_fen[5] / 100
    assert assistance.tolist() == pytest.approx([0, 1800, 1800, 1800])
    assert y["public_spending"] == 0  # society's money (account pairing_donors), not the programme budget
    assert y["pairings"] == 3 and y["ledger_imbalance"] == 0
    flows = model.flows_history[0]["flows"]
    assert flows[("pairing_cushion", "pairing_donors", "households")] / 100 == pytest.approx(5400)


def test_a_paired_year_leaves_a_lasting_skill_gain():
    model = one_helper({"paired_assistance.households_per_member": 3, "years": 2})
    model.run()
    # year 2 starts with one paired year behind them: skill 1.03, plus the 10% uplift while paired
    assert model.hh.skill.tolist() == pytest.approx([1.0, 1.03 * 1.1, 1.03 * 1.1, 1.03 * 1.1])
    assert model.policy("paired_assistance").paired_years.tolist() == [0, 1, 1, 1]


def test_paired_households_join_the_cooperative_more_often():
    model = one_helper({"cooperative.join_probability_per_year": 0.2})
    pa = model.policy("paired_assistance")
    model.hh.paired_member[:] = [-1, 0, -1, -1]
    p = pa.join_probability(0, slice(0, 4))
    assert p.tolist() == pytest.approx([0.2, 0.4, 0.2, 0.2])
    assert pa.credit_access().tolist() == [1.0, 1.5, 1.0, 1.0]


def test_no_member_exceeds_k_and_no_poor_household_waits_while_a_non_poor_one_is_paired():
    """The default village with the party policies on, month by month over several years."""
    model = VillageModel(rng=5, years=4, policies=["cooperative", "land_shares", "wage_contracting",
                                                  "distribution", "party_organisation", "paired_assistance",
                                                  "governance"],
                         paired_assistance__households_per_member=3,
                         party_organisation__leave_rate_per_year=0.1)
    k = 3
    hh, pm = model.hh, model.party
    checked = 0
    while model.running:
        model.step()
        if model.month_of_year == 0:
            continue  # December's year end has just re-classified poverty; pairs follow at January's round
        pairs = hh.paired_member[hh.paired_member >= 0]
        assert np.bincount(pairs, minlength=pm.n).max(initial=0) <= k
        assert pm.member[pairs].all()
        poor = hh.registered_poor & hh.poor & (hh.party_members == 0)
        if (poor & (hh.paired_member < 0)).any():  # someone poor waits: then every pair is with a poor household
            assert poor[hh.paired_member >= 0].all()
            checked += 1
    assert model.history[-1]["pairings"] > 0
    assert checked > 0  # members are too few for all the poor: the rule was exercised


def test_members_pair_only_with_households_linked_to_their_cooperative():
    """Household 3 leaves the cooperative and holds no contract: it is not linked, so the helper pairs the next
    poor household instead; with `linked_households_only` off (the village-wide rule) it is paired again."""
    for linked, want in ((True, [-1, 0, 0, -1]), (False, [-1, -1, 0, 0])):
        model = one_helper({"paired_assistance.linked_households_only": linked})
        hh, pa = model.hh, model.policy("paired_assistance")
        hh.registered_poor[:] = [False, True, True, True]
        hh.poor[:] = [False, True, True, True]
        model.assessed_income_per_capita[:] = [9000, 2500, 2000, 1000]
        hh.coop[3], hh.contract_coop[3] = -1, -1
        pa.pair()
        assert hh.paired_member.tolist() == want


def test_a_helper_outside_every_cooperative_pairs_nobody():
    model = one_helper()
    hh, pa = model.hh, model.policy("paired_assistance")
    hh.coop[0] = -1  # the helper's household leaves the cooperative
    pa.pair()
    assert (hh.paired_member == -1).all()


def test_certified_out_counts_each_paired_registered_poor_household_once():
    """Households 2 and 3 are registered poor and paired; 1 is registered poor but never paired. Year 1: 1, 2 and 3
    leave poverty -> 2 certified (2 and 3; 1 was not paired). Year 2: 3 falls back and leaves again -> 0 (one-way)."""
    model = one_helper()
    hh, pa = model.hh, model.policy("paired_assistance")
    hh.registered_poor[:] = [False, True, True, True]
    pa.paired_year[:] = [False, False, True, True]
    lifted = np.array([False, True, True, True])
    assert pa._certify(lifted).tolist() == [0, 0, 1, 1]
    assert pa._certify(np.array([False, False, False, True])).tolist() == [0, 0, 0, 0]


def _county_after_january(villages: int = 4) -> VillageModel:
    from sim.config import load_config

    model = VillageModel(config=load_config("configs/county.yaml", {"county.villages": villages, "years": 1}), rng=3)
    model.step()  # January: the year's pairs in every village
    return model


def test_a_village_s_eligibility_is_the_county_s_sliced():
    model = _county_after_january()
    pa = model.policy("paired_assistance")
    county = pa.eligible()
    for v in range(model.vill.n):
        sl = model.village_slice(v)
        for whole, part in zip(county, pa.eligible(sl), strict=True):
            assert np.array_equal(whole[sl], part)


def _one_helper_of_village_1_leaves() -> tuple[VillageModel, np.ndarray]:
    """The county after January with a helper of village 1 who has pairs gone (pairs not yet re-formed)."""
    model = _county_after_january()
    paired_in_1 = model.hh.paired_member[model.village_slice(1)].copy()
    row = int(paired_in_1[paired_in_1 >= 0][0])
    model.party.stage[row] = LEFT
    model.policy("party_organisation")._members_left(np.array([row]))
    return model, paired_in_1


def test_re_pairing_only_the_changed_village_gives_the_whole_county_s_pairs():
    """A member of village 1 leaves; re-forming that village's pairs alone leaves the same pairs and paired-this-year
    flags as re-forming every village (the other villages' pairs are already their tops), the same skill in village
    1, and the other villages' skill untouched: their yield uplift is worked out again at their own re-forming (a
    county-wide pass would also pass on January's training gains to their uplift now, and round)."""
    model, paired_in_1 = _one_helper_of_village_1_leaves()
    whole, _ = _one_helper_of_village_1_leaves()  # the same seed: the same county
    skill_before = model.hh.skill.copy()
    model.policy("paired_assistance").pair(np.array([1]))
    whole.policy("paired_assistance").pair()
    hh, one = model.hh, model.village_slice(1)
    assert not np.array_equal(hh.paired_member[one], paired_in_1)  # village 1 did change
    assert np.array_equal(hh.paired_member, whole.hh.paired_member)
    assert np.array_equal(hh.skill[one], whole.hh.skill[one])
    others = np.ones(hh.n, bool)
    others[one] = False
    assert np.array_equal(hh.skill[others], skill_before[others])
    assert np.array_equal(model.policy("paired_assistance").paired_year, whole.policy("paired_assistance").paired_year)


def test_a_member_leaving_leaves_other_villages_pairs_as_they_were():
    """Pairs in other villages whose member stopped pairing (a role taken on there) end at their own village's next
    re-forming, not at a re-forming anywhere in the county."""
    model, _ = _one_helper_of_village_1_leaves()
    pa, pm, hh = model.policy("paired_assistance"), model.party, model.hh
    zero = model.village_slice(0)
    pairs_in_0 = hh.paired_member[zero].copy()
    helper = int(pairs_in_0[pairs_in_0 >= 0][0])
    pm.role[helper] = COOP_LEADER  # no longer a pairing role; village 0 is not re-formed yet
    pa.pair(np.array([1]))
    assert np.array_equal(hh.paired_member[zero], pairs_in_0)
    pa.pair(np.array([0]))
    assert not (hh.paired_member[zero] == helper).any()
