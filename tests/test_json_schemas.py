"""`coopsim schema` (issue 19, item 5): JSON Schemas of configs, experiments, funding scenarios and place files from
the pydantic models; every YAML file of the repository validates against its schema and a misspelt key does not."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.config import Config, read_yaml
from sim.json_schemas import schemas

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"config.schema.json": "configs/*.yaml", "experiment.schema.json": "experiments/*.yaml",
         "funding.schema.json": "configs/funding/*.yaml", "place.schema.json": "configs/places/*.yaml"}


def test_schema_command_writes_the_four_schemas(tmp_path):
    res = subprocess.run([sys.executable, "-m", "sim", "schema", "--out", str(tmp_path)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    for name in KINDS:
        schema = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert schema["$schema"].startswith("https://json-schema.org/") and schema["title"].startswith("coopsim")
        assert schema["additionalProperties"] is False  # a misspelt key is flagged in the editor
    config = json.loads((tmp_path / "config.schema.json").read_text())
    assert set(Config.model_fields) <= set(config["properties"])  # every section, each mechanism's included
    assert "place" in json.loads((tmp_path / "place.schema.json").read_text())["required"]


def test_every_yaml_file_of_the_repository_has_only_keys_its_schema_knows():
    for name, pattern in KINDS.items():
        known = set(schemas()[name]["properties"])
        for path in sorted(ROOT.glob(pattern)):
            assert set(read_yaml(path)) <= known, (path, set(read_yaml(path)) - known)


def test_every_yaml_file_validates_and_a_typo_does_not():
    jsonschema = pytest.importorskip("jsonschema")  # a dev dependency (pyproject: dev)
    for name, pattern in KINDS.items():
        validator = jsonschema.Draft202012Validator(schemas()[name])
        for path in sorted(ROOT.glob(pattern)):
            assert not list(validator.iter_errors(read_yaml(path))), path
    config = jsonschema.Draft202012Validator(schemas()["config.schema.json"])
    assert list(config.iter_errors({"cooperative": {"wage_yuan_per_mu": 300}}))  # the key is wage_yuan_per_mu_year
    assert list(config.iter_errors({"years": "ten"}))
    assert not list(config.iter_errors({"funding": "funding/balanced.yaml", "years": 5}))
