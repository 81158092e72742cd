"""Mesa agents: identities and read-only views over the model's arrays (the hot state lives there), made on first
access (`LazyAgents`: a batch run that never reads them never builds them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from sim.ledger import FEN_PER_YUAN, INCOME_CATEGORIES
from sim.policies.party_organisation import ORG_FORMS, PartyOrganisation
from sim.population import POSTS, ROLES, STAGES

if TYPE_CHECKING:
    from sim.interface import Model


class Household(mesa.Agent):
    """A rural household (农户): a view of row `idx` of the model's household arrays."""

    model: Model

    def __init__(self, model, idx: int):
        super().__init__(model)
        self.idx = int(idx)

    def _get(self, name: str):
        return getattr(self.model.hh, name)[self.idx].item()

    persons = property(lambda self: self._get("persons"))
    labour_units = property(lambda self: self._get("labour_units"))
    land_mu = property(lambda self: self._get("land_mu"))
    skill = property(lambda self: self._get("skill"))
    ill = property(lambda self: self._get("ill"))
    registered_poor = property(lambda self: self._get("registered_poor"))
    five_without = property(lambda self: self._get("five_without"))
    poor = property(lambda self: self._get("poor"))
    village = property(lambda self: self._get("village"))
    pooled_land_mu = property(lambda self: self._get("pooled_land_mu"))

    @property
    def cooperative(self) -> Cooperative | None:
        k = self._get("coop")
        return self.model.cooperative_agents[k] if k >= 0 else None

    @property
    def balance_yuan(self) -> float:
        return self.model.ledger.balance[self.idx] / FEN_PER_YUAN

    @property
    def income_this_year(self) -> dict[str, float]:
        """Income by source so far this year, yuan (medical and interest negative), from the ledger."""
        col = self.model.ledger.income_fen[:, self.idx] / FEN_PER_YUAN
        return dict(zip(INCOME_CATEGORIES, col.tolist(), strict=True))


class PartyMember(mesa.Agent):
    """A party member (党员) living in a household: a view of row `idx` of the party arrays."""

    def __init__(self, model, idx: int):
        super().__init__(model)
        self.idx = int(idx)

    household = property(lambda self: self.model.household_agents[int(self.model.party.household[self.idx])])
    capability = property(lambda self: float(self.model.party.capability[self.idx]))
    integrity = property(lambda self: float(self.model.party.integrity[self.idx]))
    # cultivation stage, role and post (docs/model.md §3.8); "left" once they left the party or the pipeline
    stage = property(lambda self: _name(STAGES, self.model.party.stage[self.idx], "left"))
    role = property(lambda self: ROLES[int(self.model.party.role[self.idx])])
    post = property(lambda self: POSTS[int(self.model.party.post[self.idx])])

    @property
    def paired_households(self) -> np.ndarray:
        return np.flatnonzero(self.model.hh.paired_member == self.idx)


def _name(names: tuple[str, ...], code, negative: str) -> str:
    return names[int(code)] if code >= 0 else negative


class Cooperative(mesa.Agent):
    """A cooperative (合作社): a view of entry `idx` of the model's cooperative arrays."""

    def __init__(self, model, idx: int):
        super().__init__(model)
        self.idx = int(idx)

    name = property(lambda self: self.model.coops.name[self.idx])
    type = property(lambda self: self.model.coops.type[self.idx])
    line = property(lambda self: self.model.coops.line[self.idx])
    active = property(lambda self: bool(self.model.coops.active[self.idx]))
    leader = property(lambda self: self.model.household_agents[int(self.model.coops.leader_household[self.idx])])

    @property
    def members(self) -> np.ndarray:
        return np.flatnonzero(self.model.hh.coop == self.idx)

    @property
    def cash_yuan(self) -> float:
        return self.model.ledger.balance[self.model.coops.account[self.idx]] / FEN_PER_YUAN

    @property
    def party_organisation(self) -> str | None:
        """Branch, joint branch, group, instructor or none (docs/model.md §3.8); None when that policy is off."""
        org = self.model.mechanism(PartyOrganisation)
        return ORG_FORMS[int(org.form[self.idx])] if org is not None else None

    @property
    def leakage_this_year_yuan(self) -> float:
        return float(self.model.coops.leakage_year[self.idx])


class VillageCommittee(mesa.Agent):
    """The village committee (村两委) of village `idx`: collective assets and its account."""

    def __init__(self, model, idx: int):
        super().__init__(model)
        self.idx = int(idx)

    @property
    def collective_assets_yuan(self) -> float:
        return float(self.model.vill.collective_assets_yuan[self.idx])

    @property
    def cash_yuan(self) -> float:
        return self.model.ledger.balance[self.model.vill.account[self.idx]] / FEN_PER_YUAN


class LazyAgents(mesa.Model):
    """A Mesa model whose agents (households, party members, cooperatives, committees: views over the arrays) are
    created when first read, in the order and with the ids they would have had if created at construction: those
    counted by `defer_agents`, then each batch of party members added during the run."""

    def defer_agents(self) -> None:
        """Count the agents to make (the rows now in the arrays); make none yet."""
        self._agent_counts = (self.hh.n, self.party.n, self.coops.n, self.vill.n)
        self._party_added: list[np.ndarray] = []
        self._agent_lists: dict[str, list[Any]] | None = None

    def _made(self) -> dict[str, list[Any]]:
        if self._agent_lists is None:
            households, members, coops, committees = self._agent_counts
            self._agent_lists = {
                "household": list(Household.create_agents(self, households, idx=np.arange(households))),
                "party": list(PartyMember.create_agents(self, members, idx=np.arange(members))),
                "cooperative": list(Cooperative.create_agents(self, coops, idx=np.arange(coops))),
                "committee": list(VillageCommittee.create_agents(self, committees, idx=np.arange(committees))),
            }
            for rows in self._party_added:
                self._agent_lists["party"].extend(PartyMember.create_agents(self, rows.size, idx=rows))
        return self._agent_lists

    def add_party_agents(self, rows: np.ndarray) -> None:
        """Mesa agents for party members added during the run (rows of `self.party`)."""
        if not hasattr(self, "_agent_lists"):  # still building: `defer_agents` counts them
            return
        if self._agent_lists is None:
            self._party_added.append(np.asarray(rows).copy())
        else:
            self._agent_lists["party"].extend(PartyMember.create_agents(self, rows.size, idx=rows))

    household_agents = property(lambda self: self._made()["household"])
    party_agents = property(lambda self: self._made()["party"])
    cooperative_agents = property(lambda self: self._made()["cooperative"])
    committee_agents = property(lambda self: self._made()["committee"])

    @property
    def agents(self):
        self._made()
        return super().agents

    @property
    def agent_types(self) -> list[type]:
        self._made()
        return super().agent_types

    @property
    def agents_by_type(self):
        self._made()
        return super().agents_by_type
