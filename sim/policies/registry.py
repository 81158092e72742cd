"""The names of the switchable policies, their order within each phase, and what each needs."""

from __future__ import annotations

import importlib

# Order matters: within a phase, policies run in this order (the cooperative keeps its
# accounts before the assistance fund takes its share, which comes before distribution).
POLICY_MODULES: dict[str, str] = {
    # -- national programmes (issue 14): assessed in January before the cooperatives' year starts
    "dibao": "sim.policies.dibao:Dibao",
    "tekun": "sim.policies.tekun:Tekun",
    "poverty_campaign": "sim.policies.poverty_campaign:PovertyCampaign",  # guarantees fixed, 防返贫监测 (issue 14)
    "cooperative": "sim.policies.cooperative:Cooperatives",
    "land_shares": "sim.policies.land_shares:LandShares",
    "wage_contracting": "sim.policies.wage_contracting:WageContracting",
    "assistance_fund": "sim.policies.assistance_fund:AssistanceFund",
    "distribution": "sim.policies.distribution:Distribution",
    # -- finance (docs/model.md §3.10-3.11): after the cooperatives' accounts; credit access read from pairing
    #    at lending
    "mutual_aid_credit": "sim.policies.mutual_aid_credit:MutualAidCredit",
    "subsidised_loans": "sim.policies.subsidised_loans:SubsidisedLoans",
    # -- party organisation, paired assistance, governance, pilots (docs/model.md §3.6-3.9) --
    # after the cooperatives' year end (joins, failures) so organisation is recounted on the new membership;
    # pairs before governance, governance before line switching (pilots read leaders' productivity)
    "party_organisation": "sim.policies.party_organisation:PartyOrganisation",
    "paired_assistance": "sim.policies.paired_assistance:PairedAssistance",
    "governance": "sim.policies.governance:Governance",
    "line_switch": "sim.policies.line_switch:LineSwitch",
    "pilot_first": "sim.policies.pilot_first:PilotFirst",  # after line_switch: judges this year's pilots
    # -- public works, training, awards, service teams, instructor posts (docs/model.md §3.12-3.13, §4) --
    # after the cooperatives' year start (which clears their year's accounts)
    "project_agency": "sim.policies.project_agency:ProjectAgency",
    "training": "sim.policies.training:Training",  # after paired_assistance: its yearly skill update comes first
    "awards": "sim.policies.awards:Awards",  # after the cooperatives' year end (profit struck, failures known)
    "service_teams": "sim.policies.service_teams:ServiceTeams",  # points at year end, after collective income
    "instructor_posts": "sim.policies.instructor_posts:InstructorPosts",
    # -- labour and household business (issue 14 items 3-4) --
    "public_welfare_jobs": "sim.policies.public_welfare_jobs:PublicWelfareJobs",
    "talent_return": "sim.policies.talent_return:TalentReturn",  # after party_organisation: it welcomes returnees
    "industrial_subsidy": "sim.policies.industrial_subsidy:IndustrialSubsidy",  # read by the household business round
}
POLICY_NAMES: tuple[str, ...] = tuple(POLICY_MODULES)

# Named groups of policies: a group's name in `policies:` (a config, an experiment, --set) stands for its
# members. national_programmes is the background that drove the real decline (issue 14, item 8).
POLICY_GROUPS: dict[str, tuple[str, ...]] = {
    "national_programmes": ("dibao", "tekun", "poverty_campaign", "public_welfare_jobs", "industrial_subsidy"),
}


def expand_groups(names: list[str]) -> list[str]:
    """Policy names with each group replaced by its members (first mention kept, duplicates dropped)."""
    out: list[str] = []
    for name in names:
        for member in POLICY_GROUPS.get(name, (name,)):
            if member not in out:
                out.append(member)
    return out


REQUIRES: dict[str, tuple[str, ...]] = {
    "land_shares": ("cooperative", "distribution"),  # land-share dividends are paid by the distribution rule
    "wage_contracting": ("cooperative",),
    "assistance_fund": ("cooperative",),
    "distribution": ("cooperative",),
    "mutual_aid_credit": ("cooperative",),  # the fund lends to members; seed 001's funds sit in the cooperatives
    "subsidised_loans": ("cooperative",),  # the loan is the cooperative's
    "party_organisation": ("cooperative",),  # organisations and cultivation live in cooperatives
    "paired_assistance": ("party_organisation",),  # members' roles decide who pairs
    "governance": ("cooperative", "party_organisation"),  # audits are the party organisation's
    "line_switch": ("cooperative",),
    "pilot_first": ("line_switch",),
    "project_agency": ("cooperative",),  # the cooperative's construction team builds the projects
    "awards": ("cooperative",),
    "instructor_posts": ("party_organisation",),  # it decides which organisations' instructors are funded
    "talent_return": ("party_organisation",),  # returnees join the party's rolls and its cultivation
}


def policy_class(name: str):
    module, cls = POLICY_MODULES[name].split(":")
    return getattr(importlib.import_module(module), cls)
