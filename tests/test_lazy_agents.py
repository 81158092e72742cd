"""Mesa agents are made on first access (sim/agents.py `LazyAgents`): a run that never reads them makes none, and
reading them after the run gives the agents, ids and views an eager build would have given."""

from __future__ import annotations

from sim.config import load_config
from sim.model import VillageModel


def _county(villages: int = 3) -> VillageModel:
    cfg = load_config("configs/county.yaml", {"county.villages": villages, "years": 2})
    return VillageModel(config=cfg, rng=5)


def test_a_run_that_never_reads_the_agents_makes_none():
    model = _county()
    model.run()
    assert model.agent_id_counter == 1  # Mesa numbers agents from 1 as they register: none registered


def test_agents_read_after_the_run_are_every_row_in_the_eager_order():
    model = _county()
    built_members = model.party.n
    model.run()
    added = model.party.n - built_members
    assert added > 0  # the party organisation recruited during the run: their agents come after the others
    counts = [model.hh.n, built_members, model.coops.n, model.vill.n]
    assert len(model.agents) == sum(counts) + added
    ids = [a.unique_id for a in model.household_agents]
    assert ids == list(range(1, model.hh.n + 1))
    party_ids = [a.unique_id for a in model.party_agents]
    assert party_ids[:built_members] == list(range(model.hh.n + 1, model.hh.n + built_members + 1))
    assert party_ids[built_members:] == list(range(sum(counts) + 1, sum(counts) + added + 1))
    assert [a.idx for a in model.party_agents] == list(range(model.party.n))
    assert model.household_agents[7].persons == model.hh.persons[7]
    assert model.party_agents[-1].household is model.household_agents[int(model.party.household[-1])]


def test_agents_read_before_the_run_grow_with_the_party():
    model = _county()
    before = len(model.party_agents)
    model.run()
    assert len(model.party_agents) == model.party.n > before
    assert len(model.agents_by_type[type(model.party_agents[0])]) == model.party.n
