"""Work per changed village (issue 17, item 2): the party organisation's and governance's village-local passes give
what the whole-county passes they replace give, and a change in one village leaves the others' organisation,
leaders and choices alone.

A small county (configs/county.yaml, 4 villages, seed 3) after January; the whole-county references are the plain
loops the village-local code replaced, kept here as the twins they are proved equal to.
"""

import numpy as np
import pytest

from sim.config import load_config
from sim.model import VillageModel
from sim.policies.cooperative import TYPE_RULES
from sim.policies.leaders import choose_new_leader
from sim.population import FULL, LEFT, VILLAGE_SECRETARY, PartyMembers, appoint_secretaries


def _county(villages: int = 4, seed: int = 3) -> VillageModel:
    model = VillageModel(config=load_config("configs/county.yaml", {"county.villages": villages, "years": 1}),
                         rng=seed)
    model.step()  # January: the year's choices, pairs and audits scheduled
    return model


def _appoint_by_loop(pm: PartyMembers, village: np.ndarray, leaders: np.ndarray) -> None:
    """The whole-county loop `appoint_secretaries` replaced: one pass over the party members per village."""
    village_of = village[pm.household]
    for v in np.unique(village):
        here = (village_of == v) & pm.formal
        if (pm.role[here] == VILLAGE_SECRETARY).any():
            continue
        row = pm.best(here & ~np.isin(pm.household, leaders))
        row = row if row >= 0 else pm.best(here)
        if row >= 0:
            pm.role[row] = VILLAGE_SECRETARY


def test_secretaries_are_appointed_by_village_as_the_loop_does():
    """Village 0 keeps its secretary (row 0); village 1's best formal member (row 2, capability 0.9) leads a
    cooperative, so the best of the others (row 3, 0.7; row 4 ties it and is later) is appointed; in village 2 every
    formal member leads one, so the best of them (row 6); village 3 has only a probationary member: nobody."""
    village = np.array([0, 0, 1, 1, 1, 2, 2, 3])  # one person per household, household i in village[i]
    pm = PartyMembers(household=np.arange(8), capability=np.array([0.1, 0.9, 0.9, 0.7, 0.7, 0.2, 0.6, 0.9]),
                      integrity=np.full(8, 0.9), stage=np.array([FULL] * 7 + [FULL - 1]))
    pm.role[0] = VILLAGE_SECRETARY
    leaders = np.array([2, 5, 6, -1])
    hh = type("Households", (), {"village": village})()
    appoint_secretaries(pm, hh, leaders)
    assert np.flatnonzero(pm.role == VILLAGE_SECRETARY).tolist() == [0, 3, 6]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_secretaries_of_a_county_are_the_loop_s(seed):
    """Every village loses its secretary; the one pass appoints the same successors as the loop."""
    model = _county(villages=6, seed=seed)
    pm = model.party
    pm.stage[(pm.role == VILLAGE_SECRETARY) & (np.arange(pm.n) % 2 == 0)] = LEFT  # half of them leave
    pm.role[pm.role == VILLAGE_SECRETARY] = 0
    twin = PartyMembers(pm.household.copy(), pm.capability.copy(), pm.integrity.copy(), pm.stage.copy(),
                        pm.role.copy(), pm.post.copy(), pm.stage_month.copy())
    appoint_secretaries(pm, model.hh, model.coops.leader_household)
    _appoint_by_loop(twin, model.hh.village, model.coops.leader_household)
    assert np.array_equal(pm.role, twin.role) and (pm.role == VILLAGE_SECRETARY).sum() >= 3


def _choose_by_county_masks(model: VillageModel, k: int, able_capability: float, barred: np.ndarray) -> int:
    """The whole-county masks `choose_new_leader` replaced with its village's slice."""
    c, hh, pm = model.coops, model.hh, model.party
    in_village = hh.village == c.village[k]
    if TYPE_RULES[c.type[k]].founder == "village_secretary":
        rows = np.flatnonzero(pm.member & (pm.role == VILLAGE_SECRETARY) & in_village[pm.household]
                              & ~barred[pm.household])
        if rows.size:
            return int(pm.household[rows[0]])
    others = np.delete(c.leader_household, k)
    free = in_village & ~barred & ~np.isin(np.arange(hh.n), others) & ((hh.coop == k) | (hh.coop < 0))
    able = pm.formal & free[pm.household] & (pm.capability >= able_capability) & (pm.role != VILLAGE_SECRETARY)
    for mask in (able & (hh.coop[pm.household] == k), able):
        row = pm.best(mask)
        if row >= 0:
            return int(pm.household[row])
    score = hh.skill * hh.land_mu
    lay = free & (hh.party_members == 0)
    for mask in (lay & (hh.coop == k), lay, free & (hh.coop == k), free):
        if mask.any():
            idx = np.flatnonzero(mask)
            return int(idx[np.argmax(score[idx])])
    return -1


@pytest.mark.parametrize("able", [0.0, 0.5, 0.99])
def test_a_new_leader_found_in_the_village_s_slice_is_the_county_masks_one(able):
    """For every cooperative, with some households barred: the same successor from the village's households
    alone (able 0.99: nobody is able, so the farmers' branch decides)."""
    model = _county()
    barred = np.zeros(model.hh.n, bool)
    barred[model.coops.leader_household[::2]] = True
    for k in range(model.coops.n):
        assert choose_new_leader(model, k, able, barred) == _choose_by_county_masks(model, k, able, barred)


CHOICE = ("diversion", "effort", "audit_chance", "leader_capability", "leader_integrity")


def _choices(model: VillageModel) -> dict[str, np.ndarray]:
    g, c = model.policy("governance"), model.coops
    out = {name: getattr(g, name).copy() for name in CHOICE}
    return out | {"productivity": c.productivity.copy(), "cost_factor": c.cost_factor.copy()}


def _restore(model: VillageModel, state: dict[str, np.ndarray]) -> None:
    g, c = model.policy("governance"), model.coops
    for name in CHOICE:
        getattr(g, name)[:] = state[name]
    c.productivity[:], c.cost_factor[:] = state["productivity"], state["cost_factor"]


def test_choosing_village_by_village_gives_the_county_s_choice():
    """Mid-year, with inputs moved since January (stakes, a village's organisation): each village's leaders
    choosing on their own give exactly what one choice over the county gives, cooperative by cooperative."""
    model = _county()
    for _ in range(5):
        model.step()
    model.hh.cash_share_yuan[model.village_slice(2)] *= 1.5
    model.policy("party_organisation").form[model.coops.village == 1] = 0  # village 1 loses its organisations
    g, before = model.policy("governance"), _choices(model)
    for v in range(model.vill.n):
        g.choose(v)
    by_village = _choices(model)
    _restore(model, before)
    g.choose()
    county = _choices(model)
    assert not np.array_equal(by_village["diversion"], before["diversion"])  # the moved inputs did matter
    for name, values in county.items():
        assert np.array_equal(by_village[name], values), name


def test_a_leader_s_rows_for_some_cooperatives_are_all_cooperatives_rows_picked():
    from sim.policies.leaders import leader_row, leader_rows

    model = _county()
    c = model.coops
    c.leader_household[1] = -1  # a vacant post
    everyone = leader_rows(model)
    assert everyone.tolist() == [leader_row(model, k) for k in range(c.n)] and (everyone >= 0).any()
    some = np.array([3, 1, 0])
    assert leader_rows(model, some).tolist() == everyone[some].tolist()


def _two_villages_in_june_with_village_1_s_stakes_moved() -> VillageModel:
    model = _county(villages=2)
    for _ in range(5):
        model.step()
    model.hh.cash_share_yuan[model.village_slice(1)] *= 1.5  # village 1's leaders chose on January's stakes
    return model


def test_a_new_leader_in_one_village_leaves_the_other_village_alone(monkeypatch):
    """Village 0's first cooperative's leader is found out and removed in June. Village 1's leaders, organisation
    and choices stay as they were, although their stakes moved since January (a whole-county re-choice would move
    them: the twin shows it); village 0's new choices are exactly what the whole-county re-choice gives there."""
    model = _two_villages_in_june_with_village_1_s_stakes_moved()
    twin = _two_villages_in_june_with_village_1_s_stakes_moved()  # the same seed: the same county
    whole = twin.policy("governance")
    county_choose = whole.choose
    monkeypatch.setattr(whole, "choose", lambda village=None: county_choose())  # the old rule: the county re-chooses
    c, org = model.coops, model.policy("party_organisation")
    ours, theirs = c.village == 0, c.village == 1
    k = int(np.flatnonzero(ours & c.active)[0])
    before, leaders, forms = _choices(model), c.leader_household.copy(), org.form.copy()
    model.policy("governance").replace_leader(k, removed=True)
    whole.replace_leader(k, removed=True)
    after, county = _choices(model), _choices(twin)
    assert c.leader_household[k] != leaders[k]
    assert np.array_equal(c.leader_household[theirs], leaders[theirs])
    assert np.array_equal(org.form[theirs], forms[theirs])
    for name, values in after.items():
        assert np.array_equal(values[theirs], before[name][theirs]), name
        assert np.array_equal(values[ours], county[name][ours]), name
    assert not np.array_equal(county["effort"][theirs], before["effort"][theirs])  # the county would have moved them
