"""Health's month kernel: the compiled loop equals its numpy twin exactly over a year of random months (caps,
deductibles and thresholds reached), and a hand-worked household."""

from __future__ import annotations

import numpy as np
import pytest

from sim.policies import health_kernels as hk

numba = pytest.importorskip("numba")


def layers(n: int, rng: np.random.Generator) -> tuple:
    return (0.75, rng.choice([0.0, 0.75], n), np.full(n, 500.0), rng.choice([2000.0, np.inf], n),
            rng.choice([0.0, 0.5], n), rng.choice([0.0, 3000.0], n), rng.choice([0.0, 0.7], n), np.full(n, 1500.0))


def test_a_year_of_months_on_both_paths_is_the_same_to_the_fen() -> None:
    rng = np.random.default_rng(3)
    n = 2000
    lay = layers(n, rng)
    loop = numba.njit(hk.month.loop)
    cost = {path: np.zeros(n) for path in ("twin", "loop")}
    so_far = {path: np.zeros((3, n)) for path in ("twin", "loop")}
    paid_total = np.zeros(3, np.int64)
    for _ in range(12):
        ill, med = rng.random(n) < 0.3, rng.lognormal(5, 1, n)
        admission = np.where(rng.random(n) < 0.05, rng.lognormal(8, 1, n), 0.0)
        insured = ill * med * 1.03 + admission
        a = hk.month.numpy_twin(cost["twin"], insured, *lay, so_far["twin"])
        b = loop(cost["loop"], insured, *lay, so_far["loop"])
        assert np.array_equal(a, b) and np.array_equal(cost["twin"], cost["loop"])
        assert np.array_equal(so_far["twin"], so_far["loop"])
        paid_total += a.sum(axis=1)
    assert (paid_total > 0).all()  # every layer paid


def test_one_household_by_hand() -> None:
    # 1,000 yuan of chronic treatment this month: 750 in the policy range; basic 0.75 x (750 - 500) = 187.50;
    # no serious-illness payment below its 10,000 threshold; assistance 0.7 x (750 - 187.50) = 393.75
    for month in (hk.month.numpy_twin, numba.njit(hk.month.loop)):
        cost, so_far = np.zeros(1), np.zeros((3, 1))
        one = lambda v: np.array([float(v)])  # noqa: E731
        paid = month(cost, one(1000), 0.75, one(0.75), one(500), one(150000),
                     one(0.5), one(10000), one(0.7), one(20000), so_far)
        assert paid[:, 0].tolist() == [18750, 0, 39375] and cost[0] == 1000.0
        # a second month of the same: basic 0.75 x (1500 - 500) = 750 owed, 562.50 more; assistance
        # 0.7 x (1500 - 750) = 525 owed, 131.25 more
        paid = month(cost, one(1000), 0.75, one(0.75), one(500), one(150000),
                     one(0.5), one(10000), one(0.7), one(20000), so_far)
        assert paid[:, 0].tolist() == [56250, 0, 13125]


def test_onsets_and_recoveries_on_both_paths_are_the_same() -> None:
    rng = np.random.default_rng(5)
    n = 500
    loops = (numba.njit(hk.onsets.loop), numba.njit(hk.recover.loop))
    state = {path: (np.zeros(n, bool), np.zeros(n, bool), np.full(n, -1, np.int64), np.zeros(n), np.zeros(n))
             for path in ("twin", "loop")}
    for month in range(36):
        s = np.flatnonzero(rng.random(n) < 0.05)
        c = np.flatnonzero(rng.random(n) < 0.05)  # some households have both onsets in one month
        draws = (rng.lognormal(8, 1, n), rng.integers(1, 6, n), rng.lognormal(5, 1, n), rng.integers(1, 30, n))
        ends = [f(s, draws[0], draws[1], c, draws[2], draws[3], 1.02, month, *state[path])
                for f, path in ((hk.onsets.numpy_twin, "twin"), (loops[0], "loop"))]
        assert np.array_equal(*ends)
        for f, path in ((hk.recover.numpy_twin, "twin"), (loops[1], "loop")):
            ill, _, until, medical, _ = state[path]
            f(month + 1, ill, until, medical)
        assert all(np.array_equal(a, b) for a, b in zip(state["twin"], state["loop"], strict=True))
    assert state["twin"][0].sum() > 10  # spells overlap and run on


def test_a_chronic_onset_during_a_serious_spell_by_hand() -> None:
    # month 3: a serious admission (cost 2,000 at 1.1 = 2,200 due) with a 2-month spell: ill until month 5;
    # month 4: a chronic onset (100 a month, 6 months) on the ongoing spell: treatment 100, ill until 10
    for onsets, recover in ((hk.onsets.numpy_twin, hk.recover.numpy_twin),
                            (numba.njit(hk.onsets.loop), numba.njit(hk.recover.loop))):
        ill, ill_year, until, medical, due = np.zeros(1, bool), np.zeros(1, bool), np.array([-1]), np.zeros(1), \
            np.zeros(1)
        one, none = np.array([0]), np.zeros(0, np.int64)
        ends = onsets(one, np.array([2000.0]), np.array([2]), none, np.zeros(1), np.array([0]), 1.1, 3,
                      ill, ill_year, until, medical, due)
        assert ends.tolist() == [5] and ill[0] and until[0] == 5 and due[0] == pytest.approx(2200.0)
        ends = onsets(none, np.zeros(1), np.array([0]), one, np.array([100.0]), np.array([6]), 1.1, 4,
                      ill, ill_year, until, medical, due)
        assert ends.tolist() == [10] and medical[0] == 100.0
        recover(5, ill, until, medical)  # the serious spell's end is no longer the household's end
        assert ill[0] and medical[0] == 100.0
        recover(10, ill, until, medical)
        assert not ill[0] and until[0] == -1 and medical[0] == 0.0 and ill_year[0]
