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


class ClusterLostError(Exception):
    """The Dask scheduler went away mid-run: the finished tasks are kept, the rest must be resumed."""


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """While the block runs (main thread only), SIGINT and SIGTERM raise Interrupted once; a second
    signal during the clean-up is ignored, so the clean-up finishes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum, frame):
        if not fired:
            fired.append(signum)
            raise Interrupted(signum)

    old = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


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
