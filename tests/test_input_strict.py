"""Strict input pieces (issue 18): YAML 1.2 reading, distributions' ranges, the job-size estimate."""

from __future__ import annotations

import numpy as np
import pytest

from sim import yamlfile
from sim.config import load_config
from sim.errors import UserInputError
from sim.experiment import Sweep, sweep_points
from sim.jobsize import JobSize, confirm, sweep_point_count
from sim.schema import Lognormal, Normal


def test_yaml_12_reads_numbers_the_same_everywhere():
    assert yamlfile.loads("a: 1e7\nb: 1_000\nc: yes\nd: 0o17\n") == {"a": 1e7, "b": 1000, "c": "yes", "d": 15}


def test_an_exponent_is_a_number_in_an_integer_field(tmp_path):
    file = tmp_path / "c.yaml"
    file.write_text("village:\n  households: 2e2\n")
    assert load_config(file).village.households == 200


def test_duplicate_key_names_its_line():
    with pytest.raises(UserInputError, match="f.yaml: line 3, column 3: duplicate key 'b'"):
        yamlfile.loads("a:\n  b: 1\n  b: 2\n", "f.yaml")


def test_a_truncated_normal_draws_within_its_bounds():
    """mean -5, sd 1, low 0: every draw is clipped to 0 (the config says so)."""
    draws = Normal(mean=-5, sd=1, low=0).draw(np.random.default_rng(1), 1000)
    assert draws.min() == 0 and draws.max() == 0
    assert Normal(mean=3, sd=0).bounds() == (3, 3) and Lognormal(mean=2, sd=1).bounds() == (0, np.inf)


def test_job_size_hand_worked():
    """10 runs x 1,000 households x 10 years at 10 us per household-year + 0.05 s per run = 10 x 0.15 = 1.5 s;
    memory: one process 150 MiB + 1,000 x 2 kB, plus 10 x 10 x 2.2 kB of kept rows."""
    size = JobSize(runs=10, households=1000, years=10)
    assert size.cpu_seconds == pytest.approx(1.5)
    assert size.memory_bytes(1) == pytest.approx(150 * 2**20 + 2_000_000 + 220_000)
    confirm(size, yes=False)  # small: no --yes needed
    big = JobSize(runs=200_000, households=400, years=10)
    with pytest.raises(UserInputError, match="200,000 runs of 400 households x 10 years: about .* add --yes"):
        confirm(big, yes=False)
    confirm(big, yes=True)


@pytest.mark.parametrize("sweep", [
    {"method": "grid", "levels": 3, "parameters": {"a": {"low": 0, "high": 1}, "b": {"values": [1, 2]}}},
    {"method": "lhs", "samples": 7, "parameters": {"a": {"low": 0, "high": 1}}},
    {"method": "sobol", "samples": 8, "parameters": {"a": {"low": 0, "high": 1}, "b": {"low": 0, "high": 2}}},
    {"method": "morris", "samples": 3, "levels": 4, "parameters": {"a": {"low": 0, "high": 1},
                                                                     "b": {"low": 0, "high": 2}}},
])
def test_sweep_point_count_matches_the_points_made(sweep):
    s = Sweep.model_validate(sweep)
    assert sweep_point_count(s) == len(sweep_points(s, 1)[0])
