"""The local process pool: a worker that dies is pinned on its task and replaced once (not a fresh process
per remaining task); the main process writes each finished task and keeps no result in memory."""

import gc
import weakref

from sim.executors import _failed_task, run_task
from sim.experiment import load_experiment
from sim.pool import MAX_WORKER_DEATHS, run_processes
from tests.test_experiment import write_experiment


def plan_of(tmp_path, replicates=10):
    return load_experiment(write_experiment(tmp_path, replicates=replicates, years=1, runs_per_task=1,
                                            overrides={"village.households": 30}, variants=[{"name": "only"}]))


def test_a_dead_worker_is_replaced_once_not_per_task(tmp_path, monkeypatch):
    from deadly_task import deadly_counting  # the worker running run 2 exits

    pids = tmp_path / "pids"
    monkeypatch.setenv("COOPSIM_TEST_PIDS", str(pids))
    tasks = plan_of(tmp_path).tasks()
    results = {}
    run_processes(deadly_counting, tasks, list(range(len(tasks))), None, 2,
                  lambda t, r: results.setdefault(t, r[0]), _failed_task)
    assert sorted(results) == list(range(10))
    assert (results[2].status == "failed").all() and results[2].error.str.contains("worker process died").all()
    assert all((results[t].status == "ok").all() for t in results if t != 2)
    started = set(pids.read_text().split())
    assert len(started) <= 2 + MAX_WORKER_DEATHS  # the two workers and one replacement per death


def test_each_result_is_handed_over_and_not_kept(tmp_path):
    tasks = plan_of(tmp_path, replicates=6).tasks()
    refs, alive_at_hand_over = [], []

    def finished(t, result):
        gc.collect()
        alive_at_hand_over.append(sum(r() is not None for r in refs))
        refs.append(weakref.ref(result[0]))

    run_processes(run_task, tasks, list(range(len(tasks))), None, 2, finished, _failed_task)
    assert len(refs) == 6 and alive_at_hand_over == [0] * 6  # no earlier result is still held anywhere


def test_workers_come_from_one_preloaded_server_and_take_the_environment_of_now(tmp_path, monkeypatch):
    from deadly_task import kernel_path

    from sim.pool import context

    assert context().get_start_method() == "forkserver"
    tasks = plan_of(tmp_path, replicates=2).tasks()
    runs = []
    for path in ("numba", "numpy"):  # the fork server started under the first; the second is set after it runs
        monkeypatch.setenv("COOPSIM_KERNELS", path)
        runs.append({})
        run_processes(kernel_path, tasks, [0, 1], None, 2, lambda t, r: runs[-1].setdefault(t, r), _failed_task)
    assert runs[0] == {0: False, 1: False}
    assert runs[1] == {0: True, 1: True}  # the worker saw COOPSIM_KERNELS as it is now
