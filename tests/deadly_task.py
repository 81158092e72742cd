"""A task function for tests whose worker process dies on the task holding run 2."""

import os

from sim.executors import run_task


def deadly(specs, outcomes=None):
    if any(s.run_id == 2 for s in specs):
        os._exit(3)
    return run_task(specs, outcomes)
