"""Cooperative leaders: who leads, who takes over, and installing a new one (shared by governance and the party
organisation, so neither imports the other for it)."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from sim.interface import Model
from sim.policies.cooperative import TYPE_RULES, Cooperatives
from sim.population import BRANCH_MEMBER, COOP_LEADER, VILLAGE_SECRETARY, lookup


def leader_rows(model: Model, ks: np.ndarray | None = None) -> np.ndarray:
    """`leader_row` of cooperatives `ks` (all by default) at once: one pass over the party members."""
    pm, h = model.party, model.coops.leader_household
    h = h if ks is None else h[ks]
    rows = np.flatnonzero(pm.member)
    rows = rows[np.isin(pm.household[rows], h)]
    households, first = np.unique(pm.household[rows], return_index=True)  # each household's lowest member row
    return lookup(households, rows[first], h, -1)  # a vacant post (-1) matches no household


def leader_row(model: Model, k: int) -> int:
    """Row of the party member living in cooperative k's leader household, or -1 (a capable person)."""
    pm, h = model.party, model.coops.leader_household[k]
    rows = np.flatnonzero(pm.member & (pm.household == h))
    return int(rows[0]) if rows.size and h >= 0 else -1


def choose_new_leader(model: Model, k: int, able_capability: float, barred: np.ndarray | None = None) -> int:
    """The household that takes over cooperative k: the village secretary for secretary-chaired types;
    otherwise the most capable formal party member with capability >= `able_capability` (its members
    first, then the village's), not leading another cooperative; else the most capable farmer
    (skill x land) of a household without a party member, among its members, then the village's.
    -1 when there is nobody."""
    c, hh, pm = model.coops, model.hh, model.party
    sl = model.village_slice(int(c.village[k]))  # everyone considered lives in the village: its households only
    barred = np.zeros(hh.n, bool) if barred is None else barred
    in_village = (pm.household >= sl.start) & (pm.household < sl.stop)
    if TYPE_RULES[c.type[k]].founder == "village_secretary":
        rows = np.flatnonzero(pm.member & (pm.role == VILLAGE_SECRETARY) & in_village)
        rows = rows[~barred[pm.household[rows]]]
        if rows.size:
            return int(pm.household[rows[0]])
    coop = hh.coop[sl]
    leads_another = np.isin(np.arange(sl.start, sl.stop), np.delete(c.leader_household, k))
    free = ~barred[sl] & ~leads_another & ((coop == k) | (coop < 0))
    able = pm.formal & in_village & (pm.capability >= able_capability) & (pm.role != VILLAGE_SECRETARY)
    able[able] = free[pm.household[able] - sl.start]
    for mask in (able & (hh.coop[pm.household] == k), able):
        row = pm.best(mask)
        if row >= 0:
            return int(pm.household[row])
    score = hh.skill[sl] * hh.land_mu[sl]
    lay = free & (hh.party_members[sl] == 0)  # a farmer, not a party member who is not able
    for mask in (lay & (coop == k), lay, free & (coop == k), free):
        if mask.any():
            idx = np.flatnonzero(mask)
            return sl.start + int(idx[np.argmax(score[idx])])
    return -1


def install_leader(model: Model, k: int, household: int) -> None:
    """Make `household` cooperative k's leader (it joins if it is not a member) and record the roles."""
    m, c, pm = model, model.coops, model.party
    old = c.leader_household[k]
    if old >= 0:
        old_rows = pm.member & (pm.household == old) & (pm.role == COOP_LEADER)
        pm.role[old_rows] = BRANCH_MEMBER
    c.leader_household[k] = household
    if m.hh.coop[household] < 0:
        cooperatives = m.mechanism(Cooperatives)
        assert cooperatives is not None  # a cooperative has a leader only with the cooperative mechanism on
        cooperatives.join(k, np.array([household]))
    new_rows = pm.member & (pm.household == household) & (pm.role != VILLAGE_SECRETARY)
    pm.role[new_rows] = COOP_LEADER


class Succession(Protocol):
    """Who decides a cooperative's new leader when one is set (governance: sim/policies/governance.py)."""

    leader_capability: np.ndarray
    leader_integrity: np.ndarray

    def replace_leader(self, k: int, removed: bool) -> None: ...


def replace_leader(model: Model, k: int, removed: bool, succession: Succession | None) -> None:
    """Replace cooperative k's leader: through `succession` (governance) when it is on, else by the same choice
    rule."""
    if succession is not None:
        succession.replace_leader(k, removed)
        return
    new = choose_new_leader(model, k, able_capability=0.0)
    if new >= 0:
        install_leader(model, k, new)
