"""Return of capable migrants (能人回引 / 人才回引, issue 14 item 3; seeds 000 and 003) as a policy: capable
migrants are persuaded home at the Spring Festival and join the pool of cooperative leaders.

Seed 000 (Cuiping) runs a "talent return" project for migrant party members and self-employed party members,
using the Spring Festival and Mid-Autumn returns and return-to-start-a-business forums; seed 003 (Zhijin)
keeps a database of village talents, returnees and young entrepreneurs as reserve cadres. Each January a
capable migrant — one earning at least `capable_wage_factor` times the average migrant wage — comes home
with `return_probability_per_year` (on top of the demography's own returns). At home he or she works
locally and, unless the household already has someone on the party's rolls, joins the pool of leaders: a
full party member (returning migrant party members, `party_member_share`) or an applicant the party
organisation cultivates, with capability rising with the migrant's wage factor. Governance can then make
an able member a cooperative's leader, and the party rule counts the new members.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from sim.declarations import Outcome
from sim.policies.base import Policy
from sim.policies.demography import MAX_MEMBERS
from sim.policies.party_organisation import PartyOrganisation
from sim.population import APPLICANT, FULL, LEFT
from sim.schema import Share, Strict


class TalentReturnParams(Strict):
    """Sources in configs/village.yaml."""

    capable_wage_factor: float = Field(default=1.3, ge=0)
    return_probability_per_year: Share = 0.2
    party_member_share: Share = 0.3
    capability_per_wage_factor: float = Field(default=0.45, ge=0, le=1)


class TalentReturn(Policy):
    """Capable migrants persuaded home (能人回引), joining the party's rolls."""

    name = "talent_return"
    Params = TalentReturnParams
    requires = ("party_organisation",)  # returnees join the party's rolls and its cultivation
    # after the party organisation (it welcomes returnees) and training (the year's trainees are chosen before the
    # capable migrants come home: the order the branch's results and tests were made with)
    after = ("party_organisation", "training")
    outcomes = (
        Outcome("talent_returns", "persons/year", "Capable migrants persuaded home (能人回引)", "能人回引返乡人数",
                "flow"),
        Outcome("talent_returns_to_party_rolls", "persons/year",
                "Returnees joining the party's rolls (members, applicants)", "返乡能人纳入党员及入党申请人", "flow"),
    )

    def init(self) -> None:
        self.returns_year = np.zeros(self.model.vill.n)
        self.leaders_year = np.zeros(self.model.vill.n)

    def year_start(self) -> None:
        """After the demography's Spring Festival moves: capable migrants come home; the pool grows."""
        m, p, d = self.model, self.p, self.model.economy.demography
        integrity_dist = m.config.village.party_integrity
        u, u_party, integrity = m.draw("talent_return", lambda rng, k: (
            rng.random((k, MAX_MEMBERS)), rng.random(k), integrity_dist.draw(rng, k)))
        self.returns_year[:] = self.leaders_year[:] = 0
        if not m.config.demography.enabled or m.year_index == 0:
            return
        back = d.away & (d.wage_factor >= p.capable_wage_factor) & (u < p.return_probability_per_year)
        d.bring_home(back)
        self.returns_year += np.bincount(m.hh.village, weights=back.sum(axis=1), minlength=m.vill.n)
        self._join_pool(back, u_party, np.clip(integrity, 0, 1))

    def _join_pool(self, back: np.ndarray, u_party: np.ndarray, integrity: np.ndarray) -> None:
        """Each returning household's most capable returnee joins the party's rolls, unless someone of it is."""
        m, p, pm, d = self.model, self.p, self.model.party, self.model.economy.demography
        on_rolls = np.zeros(m.hh.n, bool)
        on_rolls[pm.household[pm.stage != LEFT]] = True
        households = np.flatnonzero(back.any(axis=1) & ~on_rolls)
        if households.size == 0:
            return
        wage = np.where(back[households], d.wage_factor[households], 0).max(axis=1)
        capability = np.clip(p.capability_per_wage_factor * wage, 0, 1)
        full = u_party[households] < p.party_member_share
        party = self.required(PartyOrganisation)
        party.welcome(households[full], capability[full], integrity[households[full]], FULL)
        party.welcome(households[~full], capability[~full], integrity[households[~full]], APPLICANT)
        self.leaders_year += np.bincount(m.hh.village[households], minlength=m.vill.n)

    def year_outcomes(self, lifted: np.ndarray) -> dict[str, np.ndarray]:
        return {"talent_returns": self.returns_year.copy(), "talent_returns_to_party_rolls": self.leaders_year.copy()}
