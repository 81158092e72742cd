"""docs/ODD.md describes every policy in the code, names its file, and lists every parameter."""

import subprocess
import sys
from pathlib import Path

from sim.config import Config
from sim.policies import registry

POLICY_NAMES = registry.policy_names()

ROOT = Path(__file__).resolve().parents[1]
ODD = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")


def test_every_policy_has_a_submodel_section_naming_its_file():
    for name in ("economy", *POLICY_NAMES):
        assert f"### {name}" in ODD, f"docs/ODD.md has no submodel section for {name}"
    for name in POLICY_NAMES:
        path = registry.policy_class(name).__module__.replace(".", "/") + ".py"
        assert path in ODD, f"docs/ODD.md does not name {path} for {name}"


def test_every_parameter_is_listed():
    cfg = Config()
    for section in ("economy", *POLICY_NAMES):
        for key in type(getattr(cfg, section)).model_fields:
            assert f"`{section}.{key}`" in ODD, f"{section}.{key} missing from docs/ODD.md"


def test_parameter_appendix_is_current():
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "odd_parameters.py"), "--check"])
    assert res.returncode == 0, "run: python scripts/odd_parameters.py"


def test_odd_has_the_protocol_sections():
    for heading in ("Purpose and patterns", "Entities, state variables and scales",
                    "Process overview and scheduling", "Design concepts", "Initialisation", "Input data",
                    "Submodels"):
        assert heading in ODD


def test_input_data_describes_every_place_file():
    section = ODD.split("## 6. Input data", 1)[1].split("## 7.", 1)[0]
    for path in sorted((ROOT / "configs" / "places").glob("*.yaml")):
        assert f"configs/places/{path.name}" in section, f"docs/ODD.md input data does not name {path.name}"
    for word in ("calibration", "held_out", "sim/calibrate.py", "sim/validate.py", "sim/places.py"):
        assert word in section
