"""JSON Schemas of the YAML files people write — configs, experiments, funding scenarios, place files — made from
the pydantic models that validate them (`coopsim schema`), for an editor's completion and checking."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from sim.config import Config, FundingScenario
from sim.experiment import Experiment
from sim.io import atomic_write_text
from sim.places import PlaceInfo

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model, title: str, description: str) -> dict:
    return {"$schema": DRAFT, **model.model_json_schema(), "title": title, "description": description}


def config_schema() -> dict:
    """A run config (configs/*.yaml); `funding` may also be the path of a scenario file."""
    s = _schema(Config, "coopsim config", "One run: a village or county, its economy and the policies switched on "
                "(configs/village.yaml lists every setting with its unit and source).")
    funding = s["properties"]["funding"]
    s["properties"]["funding"] = {**funding, "anyOf": [{"type": "string", "description": "a funding scenario "
                                  "file, relative to this file (configs/funding/*.yaml)"}, *funding.get("anyOf", [])]}
    return s


def place_schema() -> dict:
    """A place file (configs/places/*.yaml): a config plus its `place:` block."""
    s = copy.deepcopy(config_schema())
    place = PlaceInfo.model_json_schema()
    s["$defs"] = {**s.get("$defs", {}), **place.pop("$defs", {}), "PlaceInfo": place}
    s["properties"]["place"] = {"$ref": "#/$defs/PlaceInfo"}
    s["required"] = [*s.get("required", []), "place"]
    s["title"], s["description"] = "coopsim place", "A place of the seed articles: a config and its targets."
    return s


def schemas() -> dict[str, dict]:
    """File name -> schema."""
    return {"config.schema.json": config_schema(),
            "experiment.schema.json": _schema(Experiment, "coopsim experiment", "Variants x sweep points x "
                                              "replicates on a base config (experiments/*.yaml)."),
            "funding.schema.json": _schema(FundingScenario, "coopsim funding scenario", "A budget and its split "
                                           "across the funding lines (configs/funding/*.yaml)."),
            "place.schema.json": place_schema()}


def write_schemas(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        atomic_write_text(folder / name, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
        written.append(folder / name)
    return written
