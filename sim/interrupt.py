"""Stopping a long job cleanly: SIGINT and SIGTERM become an `Interrupted` exception in the main thread (not
KeyboardInterrupt, which the command-line library swallows), so finished work is kept, workers are ended and
the job says how to resume; a lost cluster is `ClusterLostError`. Worker processes end when their parent dies."""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_held: list[int] = []  # a signal that arrived while numba's dispatcher ran Python code, raised when it returns


class Interrupted(BaseException):
    """The job was stopped by a signal; `exit_code` is the shell's 128 + signal number (130, 143)."""

    def __init__(self, signum: int):
        super().__init__(signum)  # args stay (signum,): SimPy re-raises an exception as type(e)(*e.args)
        self.signum, self.message = signum, ""

    def __str__(self) -> str:
        return self.message or self.signal_name

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def stop_in(exc: BaseException | None = None) -> Interrupted | None:
    """The stop a signal asked for, if one did, that did not reach Python as itself: held back while numba's
    dispatcher ran Python code (see `signals_interrupt`), or wrapped in another error by C code (a
    SystemError "returned a result with an exception set", possibly several deep) found in `exc`'s chain."""
    if _held:
        return Interrupted(_held.pop())
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, Interrupted):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def raise_held() -> None:
    """Raise the stop held back while compiled code ran (a kernel calls this when it returns)."""
    if _held:
        raise Interrupted(_held.pop())


class ClusterLostError(Exception):
    """The Dask scheduler went away mid-run: the finished tasks are kept, the rest must be resumed."""


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While the block runs (main thread only), SIGINT and SIGTERM raise Interrupted once; a second
    signal during the clean-up is ignored, so the clean-up finishes.

    A signal that arrives while numba's dispatcher runs Python code (it unpickles each returned array's type)
    is held, not raised there: raised inside the dispatcher, the stop is swallowed ("Exception ignored") or
    wrapped in SystemErrors, and a run would be recorded as failed while the job went on. The kernel raises
    it as soon as it returns (`raise_held`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum, frame):
        if not fired:
            fired.append(signum)
            if _in_numba(frame):
                _held.append(signum)
            else:
                raise Interrupted(signum)

    old = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        _held.clear()


def _in_numba(frame) -> bool:
    """Whether the interrupted Python code was called by numba (its module is numba's), at any depth."""
    while frame is not None:
        if frame.f_globals.get("__name__", "").partition(".")[0] == "numba":
            return True
        frame = frame.f_back
    return False


def worker_setup(main_pid: int) -> None:
    """In a worker process: leave SIGINT to the main process (a terminal's Ctrl-C reaches every process of
    the group) and exit as soon as the main process or the parent that forked it (the main process, or its
    fork server) is gone, even if it was killed with SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    args = (main_pid, os.getppid())
    threading.Thread(target=_watch_parent, args=args, daemon=True, name="parent-watchdog").start()


def _watch_parent(main_pid: int, parent_pid: int, every_seconds: float = 0.25) -> None:
    while os.getppid() == parent_pid and _alive(main_pid):
        time.sleep(every_seconds)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user took the number: ours is gone
        return False
    return True


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGKILL when the parent exits (prctl PR_SET_PDEATHSIG); elsewhere the
    watchdog thread does it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass
