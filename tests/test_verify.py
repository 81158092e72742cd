"""Simulation-based calibration of the ABC-SMC posterior on a toy whose truth is known: a parameter a in
[1, 2] observed once with normal noise (sd 0.05); its 50% and 90% posterior intervals must cover the truth
about as often as they claim (12 truths, kept small for CI: at least 8 of 12 for the 90% intervals, 2 to 10 for
the 50%; binomial 95% ranges at the nominal rates are 9-12 and 3-9)."""

from pathlib import Path

import numpy as np

from sim.abc_smc import fit_posterior
from sim.verify import coverage_line, coverage_rows, verify_model

SD = 0.05


class Toy:
    """a -> the mean and sd of `replicates` noisy observations; the distance and floor as sim.calibrate's."""

    def __init__(self, observed: np.ndarray, replicates: int = 2):
        self.reported, self.rng, self.r = observed, np.random.default_rng(5), replicates

    def __call__(self, par: dict) -> dict:
        v = par["a"] + self.rng.normal(0, SD, self.r)
        return {"mean": np.array([v.mean()]), "sd": np.array([v.std(ddof=1)])}

    def distance(self, sim: dict, obs: dict) -> float:
        return float(abs(sim["mean"][0] - obs["mean"][0]) / abs(obs["mean"][0]))

    def noise_floor(self, stats: list[dict]) -> float:
        return float(np.median([s["sd"][0] / abs(self.reported[0]) for s in stats]))


def test_a_known_parameter_is_recovered(tmp_path: Path):
    toy = Toy(np.array([1.4]))
    post = fit_posterior(toy, {"a": (1.0, 2.0)}, toy.distance, {"mean": np.array([1.4])}, toy.noise_floor,
                         population=30, generations=4, max_simulations=1000, seed=3, workers=1,
                         db=tmp_path / "abc.db")  # on disk, as calibrate writes it
    mean = float(post.weights @ post.particles[:, 0])
    assert abs(mean - 1.4) < 0.05 and post.ess > 10 and len(post.epsilons) >= 2
    assert post.epsilons == sorted(post.epsilons, reverse=True)  # each generation tighter
    assert np.isfinite(post.drift) and post.simulations > 30


def test_coverage_rows_by_hand():
    """Particles 0..100, equal weights: 50% interval [25, 75], 90% [5, 95]; truth 80 is in the 90% only."""
    rows = coverage_rows(["a"], {"a": 80.0}, np.arange(101.0)[:, None], np.full(101, 1 / 101))
    assert rows[0]["covered_90"] and not rows[0]["covered_50"]
    assert (rows[0]["low_50"], rows[0]["high_50"], rows[0]["low_90"], rows[0]["high_90"]) == (25, 75, 5, 95)


def test_intervals_cover_synthetic_truths_as_claimed(tmp_path: Path):
    rng = np.random.default_rng(11)
    table = verify_model(lambda th, i: np.array([th["a"] + rng.normal(0, SD)]), Toy, {"a": (1.0, 2.0)}, 12, 1,
                         {"population": 20, "generations": 3, "max_simulations": 300, "workers": 1, "db": None})
    assert table["truth_index"].nunique() == 12
    assert table["covered_90"].sum() >= 8 and 2 <= table["covered_50"].sum() <= 10
    assert coverage_line(table).startswith("12 truths, 12 parameter intervals: the 50% intervals cover")
