"""A task function for tests whose worker process dies on the task holding run 2."""

import os

from sim.executors import run_task


def deadly(specs, outcomes=None):
    if any(s.run_id == 2 for s in specs):
        os._exit(3)
    return run_task(specs, outcomes)


def deadly_counting(specs, outcomes=None):
    """As `deadly`, and each worker process notes its PID in $COOPSIM_TEST_PIDS (one line per task)."""
    with open(os.environ["COOPSIM_TEST_PIDS"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return deadly(specs, outcomes)


def kernel_path(specs, outcomes=None):
    """True when the worker's kernels run their numpy twins (False: compiled)."""
    from sim import kernels

    first = kernels.Kernel.registry[0]
    return first._resolve() is first.numpy_twin
