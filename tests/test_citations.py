"""Every file the code, configs and docs cite exists in the repository (docs/model.md, sim/*.py, configs/...)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ["sim", "configs", "experiments", "docs", "tests", "README.md"]
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".txt", ".toml"}
# A repository path: a top-level folder, then path characters, then a file suffix.
CITATION = re.compile(
    r"(?<![\w./-])((?:docs|sim|configs|experiments|tests|scripts|benchmarks)/[\w./<>*{}-]*?"
    r"\.(?:md|py|yaml|yml|json|txt|otf|sh))(?![\w])"
)
OUT_OF_TREE = re.compile(r"\bMODEL\.md\b|shared/seed[s]/")  # the old specification outside the repository
PLACEHOLDER = set("*<>{}")


def scanned_files() -> list[Path]:
    """The text files under the scanned folders, and README."""
    files = []
    for name in SCANNED:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.suffix in TEXT_SUFFIXES)
    return [f for f in files if "__pycache__" not in f.parts]


def citations(text: str) -> set[str]:
    """Concrete repository paths cited in a text; globs and placeholders (configs/places/<name>.yaml) are skipped."""
    return {m for m in CITATION.findall(text) if not PLACEHOLDER & set(m)}


def test_the_pattern_finds_citations_and_skips_placeholders():
    text = "see docs/model.md §3.10, `sim/ledger.py`, configs/places/<name>.yaml and experiments/*.yaml."
    assert citations(text) == {"docs/model.md", "sim/ledger.py"}
    assert OUT_OF_TREE.search("(MODEL" + ".md §3.1)")


def test_cited_files_exist():
    problems = []
    for path in scanned_files():
        text = path.read_text(encoding="utf-8")
        problems += [f"{path.relative_to(ROOT)}: {c}" for c in sorted(citations(text)) if not (ROOT / c).exists()]
        problems += [f"{path.relative_to(ROOT)}: {m} (outside the repository)" for m in OUT_OF_TREE.findall(text)]
    assert not problems, "cited files that do not exist (the specification is docs/model.md):\n" + "\n".join(problems)
