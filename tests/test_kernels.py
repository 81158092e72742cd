"""The compiled month kernels (sim/kernels.py) and their numpy twins give exactly equal runs: the same seeds on
both paths end with the same balances to the fen and the same yearly outcomes, bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import kernels
from sim.errors import UserInputError
from sim.interrupt import Interrupted
from sim.model import VillageModel
from sim.run import resolve_config
from tests.regen_baseline import ROOT, RUNS

pytest.importorskip("numba")


@pytest.fixture(autouse=True)
def _resolve_again_after(monkeypatch):
    yield
    monkeypatch.undo()
    kernels.select()  # the kernels follow COOPSIM_KERNELS as it was before the test


def run_on(path: str, name: str, monkeypatch) -> VillageModel:
    """The baseline's run `name` (at most five years) with the kernels on `path`."""
    config, seed, years, overrides = RUNS[name]
    monkeypatch.setenv(kernels.ENV, path)
    kernels.select()
    model = VillageModel(config=resolve_config(ROOT / config, overrides), rng=seed, years=min(years or 10, 5)).run()
    ran = [k for k in kernels.Kernel.registry if k._run is not None]  # the kernels this run used, on the path asked
    assert len(ran) >= 5
    assert all(k._run is (k._compiled if path == "numba" else k.numpy_twin) for k in ran)
    return model


def same(a, b) -> bool:
    """Exactly equal, NaN equal to NaN (a ratio with no households)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(a, b, equal_nan=np.asarray(a).dtype.kind == "f")
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", list(RUNS))
def test_numba_and_numpy_paths_agree_exactly(name: str, monkeypatch) -> None:
    loops, twins = run_on("numba", name, monkeypatch), run_on("numpy", name, monkeypatch)
    assert np.array_equal(loops.ledger.balance, twins.ledger.balance)  # every account, in integer fen
    assert loops.ledger.imbalance_fen() == 0
    assert [r.keys() for r in loops.history] == [r.keys() for r in twins.history]
    moved = [(y, k) for y, (a, b) in enumerate(zip(loops.history, twins.history, strict=True)) for k in a
             if not same(a[k], b[k])]
    assert not moved, moved[:10]
    assert [f["flows"] for f in loops.flows_history] == [f["flows"] for f in twins.flows_history]
    for a, b in zip(loops.village_history, twins.village_history, strict=True):
        assert all(same(x[k], y[k]) for x, y in zip(a, b, strict=True) for k in x)


def test_a_kernel_path_not_known_is_refused_in_one_line(monkeypatch) -> None:
    monkeypatch.setenv(kernels.ENV, "fortran")
    with pytest.raises(UserInputError, match="COOPSIM_KERNELS: 'fortran' is not a kernel path; allowed: numba, numpy"):
        kernels.chosen()


def test_kernels_default_to_numba_when_installed(monkeypatch) -> None:
    monkeypatch.delenv(kernels.ENV, raising=False)
    assert kernels.chosen() == "numba"


def test_a_stop_signalled_inside_compiled_code_stops_the_job_not_only_the_run() -> None:
    """A SIGINT handled while a compiled kernel returns reaches Python as a SystemError caused by Interrupted (seen
    with `coopsim experiment`: the run was recorded as failed and the job went on); the kernel re-raises the stop."""

    def interrupted_while_compiled(*args):
        try:
            raise Interrupted(2)
        except Interrupted as stop:
            raise SystemError("CPUDispatcher(...) returned a result with an exception set") from stop

    k = kernels.Kernel(interrupted_while_compiled, interrupted_while_compiled)
    kernels.Kernel.registry.remove(k)
    k._run = interrupted_while_compiled
    with pytest.raises(Interrupted):
        k()
