"""Instructor posts (docs/model.md §3.8, §4) on the tiny village (tests/conftest.py) with three cooperatives
and no party members: each needs a township instructor. A post costs 12,000 yuan a year (1,000 a month)."""

import numpy as np
import pytest
from conftest import tiny

from sim.model import VillageModel
from sim.policies.party_organisation import INSTRUCTOR, NO_ORGANISATION
from sim.population import APPLICANT

COOPS = [{"name": f"c{i}", "type": "capable_person_led", "village": 0, "line": "cash_crop", "leader_cash_yuan": 0}
         for i in range(3)]
BASE = {"cooperatives": COOPS, "cooperative.initial_member_share": 0.3,
        "village.party_member_household_share": 0.0, "instructor_posts.pay_yuan_per_post_year": 12_000,
        "party_organisation.applicants_per_instructor_year": 20, "party_organisation.leave_rate_per_year": 0}


def model_with(extra=None, years=1):
    cfg = tiny({"policies": ["cooperative", "party_organisation", "instructor_posts"], "years": years,
                **BASE, **(extra or {})})
    return VillageModel(config=cfg, rng=7)


def applicants_by_coop(m):
    pm = m.party
    rows = np.flatnonzero(pm.stage == APPLICANT)
    return np.bincount(m.hh.coop[pm.household[rows]], minlength=m.coops.n)


def test_without_a_scenario_every_organisation_without_members_gets_a_paid_instructor():
    m = model_with()
    m.run()
    po = m.policy("party_organisation")
    assert po.form.tolist() == [INSTRUCTOR] * 3
    y = m.history[0]
    assert y["instructor_posts_funded"] == 3 and y["instructors"] == 3
    assert y["public_spending"] == pytest.approx(3 * 12_000)
    assert (applicants_by_coop(m) > 0).all()
    assert y["ledger_imbalance"] == 0


def test_a_small_line_funds_fewer_posts_and_the_organisations_without_one_do_not_cultivate():
    funding = {"budget_yuan": 30_000, "lines": {"instructor_posts": 30_000}}
    m = model_with({"funding": funding})
    m.run()
    po = m.policy("party_organisation")
    # 30,000 funds two 12,000-yuan posts: cooperatives 0 and 1 keep their instructor, cooperative 2 has none
    assert po.form.tolist() == [INSTRUCTOR, INSTRUCTOR, NO_ORGANISATION]
    assert m.history[0]["instructors"] == 2 and m.history[0]["instructor_posts_funded"] == 2
    assert applicants_by_coop(m)[2] == 0 and applicants_by_coop(m)[:2].min() > 0
    assert m.funder.spent("instructor_posts") == pytest.approx(24_000)
    assert m.history[0]["ledger_imbalance"] == 0


def test_a_vacated_post_is_filled_again_within_the_year_and_holders_keep_theirs():
    funding = {"budget_yuan": 24_000, "lines": {"instructor_posts": 24_000}}
    m = model_with({"funding": funding})
    m.step()  # January: two posts, to cooperatives 0 and 1
    posts = m.policy("instructor_posts")
    assert posts.holder.tolist() == [True, True, False]
    # cooperative 0 stops (as when it fails): its post is free for cooperative 2
    m.coops.active[0] = False
    m.policy("party_organisation").recount()
    assert posts.holder.tolist() == [False, True, True]
    m.run()
    assert m.funder.spent("instructor_posts") <= 24_000


def test_no_posts_funded_means_no_instructors():
    m = model_with({"funding": {"budget_yuan": 11_000, "lines": {"instructor_posts": 11_000}}})
    m.run()
    assert m.policy("party_organisation").form.tolist() == [NO_ORGANISATION] * 3
    assert m.history[0]["public_spending"] == 0 and applicants_by_coop(m).sum() == 0
