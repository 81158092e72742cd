"""Party organisation (docs/model.md §3.8): the branch / group / instructor rule, roles and the cultivation pipeline.

Tiny village (tests/conftest.py) with every household a party household: 4 formal members, all in the
one cooperative. Cultivation, leaving and pairing are off unless a test turns them on.
"""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.policies.party_organisation import BRANCH, GROUP, INSTRUCTOR, JOINT_BRANCH, NO_ORGANISATION, organisation_forms
from sim.population import (
    ACTIVIST,
    APPLICANT,
    FULL,
    LEFT,
    PAIRING_HELPER,
    PROBATIONARY,
    ROLES,
    SET_POST,
    VILLAGE_SECRETARY,
    lookup,
)

PARTY = ["cooperative", "party_organisation"]
QUIET = {"party_organisation.applicants_per_organised_coop_year": 0,
         "party_organisation.applicants_per_instructor_year": 0,
         "party_organisation.leave_rate_per_year": 0}


def party_village(extra=None, policies=PARTY):
    return tiny({"policies": policies, "village.party_member_household_share": 1.0,
                 "village.party_capability": {"dist": "constant", "value": 0.8},
                 "village.party_integrity": {"dist": "constant", "value": 0.9},
                 "cooperatives.0.type": "party_member_led", **QUIET, **(extra or {})})


def test_rule_zero_members_instructor_one_or_two_group_three_branch():
    forms = organisation_forms(np.array([0, 1, 2, 3, 7]), village=np.zeros(5, np.int64), active=np.ones(5, bool),
                               branch_min=3, small="group", instructors=True)
    assert forms.tolist() == [INSTRUCTOR, GROUP, GROUP, BRANCH, BRANCH]
    no_instructors = organisation_forms(np.array([0]), np.zeros(1, np.int64), np.ones(1, bool), 3, "group", False)
    assert no_instructors.tolist() == [NO_ORGANISATION]


def test_small_organisations_of_a_village_form_a_joint_branch_when_together_they_reach_three():
    forms = organisation_forms(np.array([1, 2, 1, 0]), village=np.array([0, 0, 1, 0]), active=np.ones(4, bool),
                               branch_min=3, small="joint_branch", instructors=True)
    # village 0: 1 + 2 formal members -> one joint branch; village 1 alone has 1 -> a group
    assert forms.tolist() == [JOINT_BRANCH, JOINT_BRANCH, GROUP, INSTRUCTOR]
    inactive = organisation_forms(np.array([5]), np.zeros(1, np.int64), np.zeros(1, bool), 3, "group", True)
    assert inactive.tolist() == [NO_ORGANISATION]


def test_rule_in_the_model_counts_formal_members_of_member_households():
    model = VillageModel(config=party_village(), rng=1)
    org, pm = model.policy("party_organisation"), model.party
    assert pm.n == 4 and (model.hh.coop == 0).all()
    assert org.form.tolist() == [BRANCH] and org.formal_count.tolist() == [4]
    pm.stage[[0, 1]] = PROBATIONARY  # probationary members are members, but not formal ones
    org.recount()
    assert org.form.tolist() == [GROUP] and org.formal_count.tolist() == [2]
    pm.stage[0] = FULL
    org.recount()
    assert org.form.tolist() == [BRANCH]
    pm.stage[:] = ACTIVIST
    org.recount()
    assert org.form.tolist() == [INSTRUCTOR]
    model.run()
    y = model.history[0]
    assert (y["party_branches"], y["party_groups"], y["instructors"]) == (0, 0, 1)
    assert y["party_members"] == 0 and y["activists"] == 4


def test_secretary_leader_and_drawn_roles():
    model = VillageModel(config=party_village({"village.households": 400}), rng=2)
    pm, c = model.party, model.coops
    leader_rows = np.flatnonzero(pm.household == c.leader_household[0])
    assert pm.role[leader_rows].tolist() == [ROLES.index("coop_leader")]
    secretaries = np.flatnonzero(pm.role == VILLAGE_SECRETARY)
    assert secretaries.size == 1 and pm.household[secretaries[0]] != c.leader_household[0]
    # the rest get roles in the configured shares (0.4 helpers, 0.3 set posts, 0.3 branch members)
    rest = np.setdiff1d(np.arange(pm.n), np.concatenate([leader_rows, secretaries]))
    assert (pm.role[rest] == PAIRING_HELPER).mean() == pytest.approx(0.4, abs=0.06)
    assert (pm.role[rest] == SET_POST).mean() == pytest.approx(0.3, abs=0.06)
    set_post = pm.role[rest] == SET_POST
    assert (pm.post[rest][~set_post] == 0).all() and (pm.post[rest][set_post] > 0).all()


def test_cultivation_turns_a_group_into_a_branch_by_hand():
    """One party household (the leader) and three others; every stage one month, every rate 1.
    Applications come at the end of year 0 (month 11); reviews at months 12, 13, 14."""
    cfg = party_village({"years": 2, "party_organisation.applicants_per_organised_coop_year": 50,
                         "party_organisation.applicant_months": 1, "party_organisation.activist_months": 1,
                         "party_organisation.probationary_months": 1,
                         "party_organisation.applicant_to_activist_rate": 1.0,
                         "party_organisation.activist_to_probationary_rate": 1.0,
                         "party_organisation.probationary_to_full_rate": 1.0})

    def only_the_leader_is_a_member(model):
        pm, org = model.party, model.policy("party_organisation")
        others = np.flatnonzero(pm.household != model.coops.leader_household[0])
        pm.stage[others] = LEFT
        model.hh.party_members[pm.household[others]] = 0
        org.recount()

    model = VillageModel(config=cfg, rng=3)
    only_the_leader_is_a_member(model)
    org, pm = model.policy("party_organisation"), model.party
    assert org.form.tolist() == [GROUP]
    for _ in range(12):
        model.step()
    assert model.history[0]["party_groups"] == 1 and model.history[0]["party_members"] == 1
    new = np.arange(4, pm.n)
    assert new.size == 3 and (pm.stage[new] == APPLICANT).all()  # the three other households applied
    model.step()  # month 12: activists
    assert (pm.stage[new] == ACTIVIST).all() and (pm.stage_month[new] == 12).all()
    model.step()  # month 13: probationary members: members of the party, not yet formal
    assert (pm.stage[new] == PROBATIONARY).all() and model.hh.party_members.sum() == 4
    assert org.form.tolist() == [GROUP]
    model.step()  # month 14: full members -> 4 formal members -> a branch
    assert (pm.stage[new] == FULL).all() and org.form.tolist() == [BRANCH]
    model.run()
    assert model.history[1]["party_branches"] == 1 and model.history[1]["party_members"] == 4
    assert len(model.party_agents) == pm.n and model.party_agents[-1].stage == "full"


def test_pipeline_conversion_rates_match_the_config_in_expectation():
    """Many applicants in a large cooperative: the share converted at each review is the configured rate."""
    rates = {"applicant_to_activist_rate": 0.83, "activist_to_probationary_rate": 0.2,
             "probationary_to_full_rate": 0.95}
    cfg = tiny({"policies": PARTY, "years": 4, "village.households": 3000,
                "village.party_member_household_share": 0.05,
                "party_organisation.applicants_per_organised_coop_year": 400,
                "party_organisation.leave_rate_per_year": 0,
                **{f"party_organisation.{k}": v for k, v in rates.items()}})
    model = VillageModel(config=cfg, rng=11).run()
    org = model.policy("party_organisation")
    for stage, rate in enumerate(rates.values()):
        n = org.reviews[stage]
        assert n > 60
        share = org.conversions[stage] / n
        assert abs(share - rate) < 4 * np.sqrt(rate * (1 - rate) / n), (stage, share, n)
    # stage durations: applications at a December year end (month 11), activists 6 months later
    pm = model.party
    became_activist = (pm.stage == ACTIVIST)
    assert became_activist.any() and (pm.stage_month[became_activist] % 12 == 5).all()


def test_members_leave_and_leaders_and_secretaries_are_replaced():
    cfg = party_village({"years": 3, "village.households": 200, "party_organisation.leave_rate_per_year": 0.5,
                         "village.party_capability": {"dist": "beta", "a": 4, "b": 3}})
    model = VillageModel(config=cfg, rng=4)
    start = model.party.n
    model.run()
    pm, c = model.party, model.coops
    assert model.history[-1]["party_members"] < start * 0.3
    assert (model.hh.party_members == np.bincount(pm.household[pm.member], minlength=model.hh.n)).all()
    if pm.member.any():
        assert (pm.role[pm.member] == VILLAGE_SECRETARY).sum() == 1
    assert c.leader_household[0] >= 0
    assert all(row["ledger_imbalance"] == 0 for row in model.history)


def test_a_secretary_chaired_cooperative_follows_the_secretary():
    cfg = party_village({"village.households": 60, "village.party_member_household_share": 0.2,
                         "village.party_capability": {"dist": "uniform", "low": 0, "high": 1},
                         "cooperatives.0.type": "mutual_aid"})
    model = VillageModel(config=cfg, rng=5)
    pm, c, org = model.party, model.coops, model.policy("party_organisation")
    secretary = np.flatnonzero(pm.role == VILLAGE_SECRETARY)
    assert c.leader_household[0] == pm.household[secretary[0]]
    org.remove(secretary)  # the secretary moves away: a new one is appointed and chairs the cooperative
    new = np.flatnonzero(pm.member & (pm.role == VILLAGE_SECRETARY))
    assert new.size == 1 and new[0] != secretary[0] and c.leader_household[0] == pm.household[new[0]]
    org.remove(np.flatnonzero(pm.member))  # nobody left in the party: a farmer chairs, and stays
    chair = c.leader_household[0]
    assert model.hh.party_members[chair] == 0
    model.run()
    assert c.leader_household[0] == chair and model.history[0]["ledger_imbalance"] == 0


def test_lookup_finds_each_query_among_sorted_keys_and_marks_the_missing() -> None:
    keys, values = np.array([2, 5, 9]), np.array([20, 50, 90])
    assert lookup(keys, values, np.array([9, 2, 3, 10, -1, 5]), -1).tolist() == [90, 20, -1, -1, -1, 50]
    assert lookup(np.zeros(0, np.int64), np.zeros(0, np.int64), np.array([1, 2]), 0).tolist() == [0, 0]
