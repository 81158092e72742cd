"""The fit file's guards: a small or degenerate fit is refused, a larger fit is never replaced silently."""

import json

import pytest

from sim.errors import UserInputError
from sim.fit_file import check_fit, problems, write_fit


def fit(**kw) -> dict:
    base = {"place_fingerprint": "abc", "population": 40, "generations": 4, "ess": 30.0, "runs": 600,
            "posterior": {}, "fitted": {"x": {"low_5": 0.2, "high_95": 0.4}}}
    return {**base, **kw}


def test_a_sound_fit_passes():
    assert problems(fit()) == []


@pytest.mark.parametrize("kw, says", [
    ({"population": 8}, "population 8 is below 20"),
    ({"generations": 1}, "1 generation(s), the method needs at least 2"),
    ({"ess": 3.2}, "effective sample size 3.2 is below 10"),
    ({"fitted": {"x": {"low_5": 0.3, "high_95": 0.3}}}, "degenerate posterior (a single value) for x"),
])
def test_small_or_degenerate_fits_are_refused_unless_forced(tmp_path, kw, says):
    with pytest.raises(UserInputError) as err:
        check_fit(fit(**kw), False, tmp_path / "fit.json")
    assert says in str(err.value) and "--force" in str(err.value)
    check_fit(fit(**kw), True, tmp_path / "fit.json")  # forced: no error


def test_a_larger_fit_is_kept_and_a_replaced_one_kept_beside(tmp_path):
    path, said = tmp_path / "fit.json", []
    write_fit(fit(runs=600), path, False, said.append)
    with pytest.raises(UserInputError, match="a fit with more runs exists .600 against this one's 80."):
        write_fit(fit(runs=80), path, False, said.append)
    assert json.loads(path.read_text())["runs"] == 600
    write_fit(fit(runs=80), path, True, said.append)  # forced: replaced, the old one beside it
    assert json.loads(path.read_text())["runs"] == 80
    assert json.loads((tmp_path / "fit.previous.json").read_text())["runs"] == 600
    write_fit(fit(runs=900), path, False, said.append)  # larger: replaces without force, old kept
    assert json.loads((tmp_path / "fit.previous.json").read_text())["runs"] == 80
    assert said == [f"the previous fit is kept as {tmp_path / 'fit.previous.json'}"] * 2
