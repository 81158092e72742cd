"""Reading YAML input safely: YAML 1.2 (ruamel.yaml, safe), duplicate keys refused with their line,
anchors and aliases limited in count and expanded size, every failure a UserInputError naming the file.

YAML 1.2 rather than 1.1 (PyYAML) so that a number reads the same in every field (`1e7` is a number,
not the string "1e7"), `yes`/`no` are strings rather than booleans, and a repeated key is an error
instead of silently replacing the first (a whole duplicated `cooperative:` section used to vanish).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.events import AliasEvent

from sim.errors import UserInputError

MAX_FILE_BYTES = 5_000_000  # the largest config in the repository is ~30 kB
MAX_ALIASES = 200  # references to anchors (`*name`) in one document
MAX_EXPANDED_NODES = 200_000  # values in the document once aliases are expanded (a config has ~1,000)


def _yaml():
    y = YAML(typ="safe", pure=True)
    y.version = (1, 2)
    y.allow_duplicate_keys = False
    return y


def loads(text: str, file: str | None = None) -> Any:
    """Parse YAML text (one document) into plain data; errors name `file` (and the line)."""
    _check_aliases(text, file)
    try:
        data = _yaml().load(text)
    except RecursionError:
        raise UserInputError("nested too deeply", file=file) from None
    except Exception as exc:  # ruamel raises a family of MarkedYAMLError and a few plain errors
        raise UserInputError(_describe(exc), file=file) from None
    _check_expanded_size(data, file)
    return data


def read(path: str | Path) -> Any:
    """Read a YAML file's text (UTF-8, bounded size) and parse it."""
    p = Path(path)
    if not p.exists():
        raise UserInputError("file not found", file=str(path))
    if p.is_dir():
        raise UserInputError("is a folder, expected a YAML file", file=str(path))
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise UserInputError(f"file larger than {MAX_FILE_BYTES // 1_000_000} MB; is it the right file?",
                                 file=str(path))
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserInputError("not a UTF-8 text file", file=str(path)) from None
    except OSError as exc:
        raise UserInputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    return loads(text, str(path))


def _describe(exc: Exception) -> str:
    """One line from a ruamel.yaml error: where (line, column) and what."""
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    if isinstance(exc, DuplicateKeyError):
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else "?"
        first = getattr(exc, "context_mark", None)
        inside = f" (the mapping starting on line {first.line + 1} already has it)" if first is not None else ""
        return f"{where}duplicate key {cut(key)!r}{inside}; each key may appear once"
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"not valid YAML: {where}{cut(str(problem))}"


def _check_aliases(text: str, file: str | None) -> None:
    """Refuse documents with many aliases before building them (a 1 MB file of aliases expanded to a
    182 MB manifest). Counting `*` events needs only the parser, which is cheap."""
    if text.count("*") <= MAX_ALIASES:
        return

    n = 0
    try:
        for event in _yaml().parse(io.StringIO(text)):
            n += isinstance(event, AliasEvent)
            if n > MAX_ALIASES:
                raise UserInputError(f"more than {MAX_ALIASES} aliases (*name); write the values out",
                                     file=file)
    except UserInputError:
        raise
    except Exception:
        return  # a syntax error: `load` reports it with its line


def _check_expanded_size(data: Any, file: str | None) -> None:
    """Count the values with aliases expanded, stopping at the limit (shared objects are counted each time
    they are referenced, as a consumer that serialises the data would)."""
    budget = MAX_EXPANDED_NODES
    stack = [data]
    while stack:
        node = stack.pop()
        budget -= 1
        if budget < 0:
            raise UserInputError(f"more than {MAX_EXPANDED_NODES:,} values once aliases are expanded; "
                                 f"is it the right file?", file=file)
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def cut(text: str, limit: int = 60) -> str:
    """A value shortened for a one-line message."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
