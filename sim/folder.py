"""A results folder belongs to one job: a marker naming the job (kind, fingerprint), a lock holding the
writer's PID, `--force` moving another job's folder aside (never deleting it), and temporary files left
by a killed writer swept by the next command on the folder."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.errors import UserInputError
from sim.io import atomic_write_json

MARKER = ".coopsim-job.json"  # {"kind": "run"|"experiment", "fingerprint", "name", "created"}
LOCK = ".coopsim.lock"  # holds the writer's PID; flock'ed while it writes, so a dead writer's lock is stale
HOUSEKEEPING = (MARKER, LOCK)


def read_marker(folder: Path) -> dict | None:
    """The folder's job marker; for folders written before markers existed, the manifest's kind and
    fingerprint stand in."""
    for name in (MARKER, "manifest.json"):
        try:
            data = json.loads((Path(folder) / name).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, ValueError):
            return {"kind": "unreadable", "name": name}
        if isinstance(data, dict) and data.get("kind"):
            return {"kind": data["kind"], "fingerprint": data.get("fingerprint"),
                    "name": data.get("name") or data.get("file")}
    return None


def _content(folder: Path) -> list[str]:
    """What the folder holds besides housekeeping (the lock, the marker, temporary files)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in HOUSEKEEPING and not _is_temp(p))


def _is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")  # sim.io's temporary names


def _describe(marker: dict | None, content: list[str]) -> str:
    if marker is None:
        shown = ", ".join(content[:3]) + (", ..." if len(content) > 3 else "")
        return f"is not empty and was not written by coopsim ({shown})"
    what = marker.get("name") or "?"
    if marker.get("kind") == "unreadable":
        return f"has an unreadable {what} (not a folder coopsim can take over)"
    return f"holds the results of another job (a coopsim {marker.get('kind')} of {what})"


def _same_job(marker: dict | None, kind: str, fingerprint: str) -> bool:
    return marker is not None and marker.get("kind") == kind and marker.get("fingerprint") == fingerprint


def job_state(folder: Path, kind: str, fingerprint: str) -> str:
    """"new" (absent or empty), "same" (this job's folder) or "other" (anything else)."""
    folder = Path(folder)
    if not folder.exists():
        return "new"
    if not folder.is_dir():
        raise UserInputError("exists and is not a folder", file=str(folder), field="--out")
    if _same_job(read_marker(folder), kind, fingerprint):
        return "same"
    return "other" if _content(folder) else "new"


def refuse_other(folder: Path) -> None:
    folder = Path(folder)
    why = _describe(read_marker(folder), _content(folder))
    force = "" if _unmovable(folder) else f", or add --force to move it aside (renamed {folder.name}.old-<time>)"
    raise UserInputError(f"{why}; choose another --out{force}", file=str(folder))


def _unmovable(folder: Path) -> bool:
    real = folder.resolve()
    return real == Path(real.anchor) or real == Path.home().resolve() or Path.cwd().resolve().is_relative_to(real)


def aside_name(folder: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate, n = folder.with_name(f"{folder.name}.old-{stamp}"), 1
    while candidate.exists():
        n += 1
        candidate = folder.with_name(f"{folder.name}.old-{stamp}-{n}")
    return candidate


def move_aside(folder: Path) -> Path:
    """`--force`: rename the folder beside itself (never delete); refused for /, the home folder and any
    folder holding the working folder, and while another process writes in it."""
    folder = Path(folder)
    if _unmovable(folder):
        raise UserInputError("will not move this folder aside (it is the root, the home folder or holds the "
                             "working folder); choose another --out", file=str(folder))
    fd = _acquire(folder / LOCK)
    target = aside_name(folder)
    try:
        folder.rename(target)
    except OSError as exc:
        raise UserInputError(f"cannot move it aside to {target.name}: {exc.strerror}; choose another --out",
                             file=str(folder)) from None
    finally:
        (target if target.exists() else folder).joinpath(LOCK).unlink(missing_ok=True)
        os.close(fd)
    return target


@contextmanager
def lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock: a second writer fails at once, naming the PID; the lock of a process that
    died (kill -9, a crash) is free again, since flock ends with its holder."""
    path = Path(folder) / LOCK
    fd = _acquire(path)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _acquire(path: Path) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise UserInputError(f"is in use by another coopsim process (PID {holder}); wait for it to finish or "
                                 "stop it, or choose another --out", file=str(path.parent)) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # else the holder removed the file as we opened it: lock the new one
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def sweep_temporary(folder: Path) -> int:
    """Remove temporary files a killed writer left (their names start with '.' and end in '.tmp')."""
    n = 0
    for p in Path(folder).rglob(".*.tmp"):
        if p.is_file():
            p.unlink(missing_ok=True)
            n += 1
    return n


@contextmanager
def claim(folder: Path, kind: str, fingerprint: str, name: str, force: bool = False,
          log=lambda m: None) -> Iterator[str]:
    """Own `folder` for one job while the block runs; yields "new" or "same" (this job's folder from
    before). Another job's folder, or a non-empty folder coopsim did not write, is refused; `force` moves
    any non-empty folder aside (this job's too: a fresh start)."""
    folder = Path(folder)
    state = job_state(folder, kind, fingerprint)
    if state == "other" and not force:
        refuse_other(folder)
    if force and state != "new":
        log(f"moved the folder that was there aside: {move_aside(folder)}")
        state = "new"
    folder.mkdir(parents=True, exist_ok=True)  # an OSError (a file in the way, no permission) is one line in the CLI
    with lock(folder):
        if job_state(folder, kind, fingerprint) == "other":  # another writer got in first
            refuse_other(folder)
        if state == "new":
            atomic_write_json(folder / MARKER, {"kind": kind, "fingerprint": fingerprint, "name": name,
                                                "created": dt.datetime.now(dt.UTC).isoformat()})
        sweep_temporary(folder)
        yield state
