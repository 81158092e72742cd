"""Local worker processes for an experiment's tasks: one task at a time per worker over a pipe, so a dead
worker is pinned on exactly its task and replaced once; each result is handed over (written) at once and
not kept; workers are forked from a preloaded fork server and end with the main process (interrupt, crash or
SIGKILL)."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import wait

from sim import kernels
from sim.interrupt import worker_setup

MAX_WORKER_DEATHS = 3  # a task that kills its worker this often is recorded as failed


PRELOAD = "sim.worker_preload"  # imported once by the fork server: workers start with the package loaded


def context():
    """Workers forked from a fork server that imported the package and loaded its kernels once (a fresh process
    per worker pays about 2 s of imports); plain spawn where there is no fork server."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])  # no effect once this process's fork server runs: it is loaded
    return ctx


def _serve(conn, task_fn: Callable, parent_pid: int, environ: dict[str, str]) -> None:
    """A worker: run the tasks the main process sends until it sends None or goes away. It takes the main
    process's environment as it is now (the fork server's is that of when it started)."""
    worker_setup(parent_pid)
    if environ != os.environ:
        os.environ.clear()
        os.environ.update(environ)
        kernels.select()  # COOPSIM_KERNELS may differ
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        t, specs, outcomes = msg
        try:
            reply = (t, True, task_fn(specs, outcomes))
        except Exception as exc:  # noqa: BLE001 - the task failed outside its runs; the main process records it
            reply = (t, False, f"{type(exc).__name__}: {exc}")
        conn.send(reply)


class Worker:
    def __init__(self, ctx, task_fn: Callable):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, task_fn, os.getpid(), dict(os.environ)), daemon=True,
                                name="coopsim-worker")
        self.proc.start()
        child.close()
        self.task: int | None = None

    def give(self, t: int, specs, outcomes) -> None:
        self.task = t
        self.conn.send((t, specs, outcomes))

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join(timeout=3)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(timeout=3)
        self.conn.close()


def run_processes(task_fn: Callable, tasks, todo: list[int], outcomes, workers: int,
                  finished: Callable, failed: Callable) -> None:
    """Run tasks `todo` on `workers` processes; `finished(t, result)` gets each result as it arrives,
    `failed(specs, error)` makes the result of a task that could not run."""
    ctx = context()
    queue, deaths = deque(todo), dict[int, int]()
    pool = [Worker(ctx, task_fn) for _ in range(min(workers, len(todo)))]
    try:
        for w in pool:
            _next(w, queue, tasks, outcomes)
        while any(w.task is not None for w in pool):
            busy = [w for w in pool if w.task is not None]
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=1.0)
            for w in busy:
                if _collect(w, tasks, finished, failed):
                    _next(w, queue, tasks, outcomes)
                elif not w.proc.is_alive() and w.task is not None:
                    pool.remove(w)
                    _died(w.task, deaths, queue, tasks, finished, failed)
                    w.stop()
                    if queue:
                        pool.append(Worker(ctx, task_fn))  # replaced once, not per task
                        _next(pool[-1], queue, tasks, outcomes)
    finally:
        for w in pool:
            w.stop()


def _next(w: Worker, queue: deque, tasks, outcomes) -> None:
    if queue:
        t = queue.popleft()
        w.give(t, tasks[t], outcomes)
    else:
        w.task = None


def _collect(w: Worker, tasks, finished: Callable, failed: Callable) -> bool:
    """Hand over the worker's result if it sent one; False if it has none (still busy, or dead)."""
    try:
        if not w.conn.poll():
            return False
        t, ok, result = w.conn.recv()
    except (EOFError, OSError):
        return False
    finished(t, result if ok else failed(tasks[t], result))
    return True


def _died(t: int, deaths: dict, queue: deque, tasks, finished: Callable, failed: Callable) -> None:
    deaths[t] = deaths.get(t, 0) + 1
    if deaths[t] >= MAX_WORKER_DEATHS:
        finished(t, failed(tasks[t], "worker process died"))
    else:
        queue.append(t)
