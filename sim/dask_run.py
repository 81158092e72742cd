"""Running an experiment's tasks on Dask: an embedded LocalCluster or an existing scheduler. Start-up
problems (a malformed or unreachable address, no workers within the wait, a cluster that fails to start)
are one line; a scheduler lost mid-run is `ClusterLostError`, never a finished experiment. Tasks are submitted
a window at a time, and each result is handed over (written) and released at once."""

from __future__ import annotations

import contextlib
import itertools
import logging
import signal
import uuid
from collections import deque
from collections.abc import Callable

from sim.errors import UserInputError
from sim.interrupt import ClusterLostError

DASK_WAIT_SECONDS = 60.0  # default wait for the scheduler and its first worker


def run_dask(task_fn: Callable, tasks, todo: list[int], outcomes, workers: int, scheduler: str | None,
             finished: Callable, failed: Callable, wait_seconds: float = DASK_WAIT_SECONDS) -> None:
    client, cluster = _connect(scheduler, workers, wait_seconds)
    try:
        _wait_for_workers(client, scheduler, wait_seconds)
        if cluster is not None:
            client.run(_leave_sigint_to_the_main_process)
        _run(client, task_fn, tasks, todo, outcomes, finished, failed, scheduler or "the local cluster")
    finally:
        _close(client, cluster)


def _connect(scheduler: str | None, workers: int, wait_seconds: float):
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=f"{wait_seconds}s", set_as_default=False), None
        except (OSError, ValueError, TypeError) as exc:
            raise UserInputError(f"cannot reach the Dask scheduler {scheduler!r}: {_one_line(exc)}",
                                 field="--scheduler") from None
    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    except Exception as exc:  # noqa: BLE001 - a worker dying at start-up surfaces as many exception types
        raise UserInputError(f"the local Dask cluster did not start: {_one_line(exc)}",
                             field="--executor dask") from None
    return Client(cluster, set_as_default=False), cluster


def _leave_sigint_to_the_main_process() -> None:
    """In a local Dask worker: a terminal's Ctrl-C reaches every process of the group; the main process
    stops the cluster itself, so the workers need not (nor print their tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _wait_for_workers(client, scheduler: str | None, wait_seconds: float) -> None:
    from distributed import TimeoutError as DaskTimeout

    try:
        client.wait_for_workers(1, timeout=wait_seconds)
    except (DaskTimeout, TimeoutError, OSError):
        raise UserInputError(f"no Dask worker joined the scheduler {scheduler} within {wait_seconds:g} s; start "
                             f"workers (`dask worker {scheduler}`) or wait longer with --dask-wait",
                             field="--scheduler") from None


def _run(client, task_fn, tasks, todo, outcomes, finished, failed, where: str) -> None:
    from distributed import as_completed

    pending, live, tag = deque(todo), {}, uuid.uuid4().hex[:8]
    done = as_completed(loop=client.loop)

    def submit() -> None:
        t = pending.popleft()
        fut = client.submit(task_fn, tasks[t], outcomes, pure=False, key=f"coopsim-task-{t}-{tag}")
        live[fut.key] = (t, fut)
        done.add(fut)

    window = _window(client)
    for _ in range(min(window, len(pending))):
        submit()
    try:
        _collect(client, done, live, pending, submit, window, tasks, finished, failed, where)
    except BaseException:
        with contextlib.suppress(Exception):  # the scheduler may be gone already
            client.cancel([f for _, f in live.values()], force=True)  # stop in seconds: nothing left to wait for
        raise


def _collect(client, done, live, pending, submit, window, tasks, finished, failed, where) -> None:
    for n in itertools.count(1):
        try:
            fut = next(done)
        except StopIteration:
            break
        t = live.pop(fut.key)[0]
        finished(t, _result(client, fut, tasks[t], failed, where))
        fut.release()  # written: let the cluster forget it
        if n % 32 == 0:
            window = _window(client)  # the cluster may have grown
        while pending and len(live) < window:
            submit()


def _window(client) -> int:
    """Tasks in flight: twice the cluster's threads, so workers never wait and the queue stays small."""
    try:
        return max(4, 2 * sum(client.nthreads().values()))
    except Exception:  # noqa: BLE001 - the scheduler is unreachable: the next result says so
        return 4


def _result(client, fut, specs, failed: Callable, where: str):
    from distributed.utils import CancelledError

    try:
        return fut.result()
    except CancelledError as exc:
        raise ClusterLostError(f"lost the Dask scheduler ({where}): {_one_line(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - KilledWorker, a task that raised outside its runs
        if client.status not in ("running", "connecting"):
            raise ClusterLostError(f"lost the Dask scheduler ({where}): {_one_line(exc)}") from None
        return failed(specs, f"{type(exc).__name__}: {exc}")


def _close(client, cluster) -> None:
    quiet, level = logging.getLogger("distributed"), logging.getLogger("distributed").level
    quiet.setLevel(logging.CRITICAL)  # closing early (an interrupt, a lost scheduler): no warnings on the terminal
    try:
        client.close(timeout=5)
        if cluster is not None:
            cluster.close(timeout=10)
    except Exception:  # noqa: BLE001 - closing after the scheduler went away
        pass
    finally:
        quiet.setLevel(level)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
