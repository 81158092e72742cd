"""Mesa agents: identities and read-only views over the model's arrays (the hot state lives there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
