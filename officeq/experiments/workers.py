"""Worker processes that never outlive the process that started them.

A process pool's workers are children of the sweep. Left alone they would
survive a ``kill -9`` of it (reparented to init, blocked on a queue no one
feeds, holding the caller's stdout and stderr open). So each worker, when
it starts (:func:`worker_started`, the pool's initializer):

- watches its parent from a daemon thread and exits within half a second of
  the parent's death, whatever killed it: the parent's sentinel (EOF or a
  dead process handle, on every platform and start method) or a changed
  ``getppid()`` (reparented, on POSIX);
- on Linux also asks the kernel for ``SIGKILL`` when its parent dies
  (``PR_SET_PDEATHSIG``), which acts at once and needs no Python thread.
  The kernel sends it when the *thread* that forked the worker ends, so
  it is asked for only when the pool is made on the main thread, which
  lives as long as the process (a pool forks its workers from the thread
  that submits the first tasks; a sweep submits from the thread that made
  the pool);
- ignores Ctrl-C and takes ``SIGTERM`` by default, so the parent alone
  decides what an interruption means and can stop a worker at once.

:func:`process_pool` ends the pool the usual way when its block ends, and
at once when it ends by an exception (Ctrl-C, ``SIGTERM`` turned into one):
queued runs are cancelled and running ones are stopped, not awaited.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5
ORPHAN_EXIT_CODE = 70  # EX_SOFTWARE: exited because the parent is gone


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with this process and stop at once on an error."""
    on_main = threading.current_thread() is threading.main_thread()
    pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_started, initargs=(on_main,))
    try:
        yield pool
    except BaseException:
        stop_now(pool)
        raise
    pool.shutdown(wait=True)


def stop_now(pool: ProcessPoolExecutor, grace: float = 2.0) -> None:
    """Cancel what is queued and stop the workers without waiting for their runs.

    Relies on three of the pool's attributes (CPython 3.8 to 3.14): its
    processes, its manager thread and its result queue. A worker stopped
    while sending a result leaves half a message in the result pipe, and
    the pool's manager thread would wait for the rest forever (and the
    interpreter for it, at exit). Once the workers are gone this process
    holds the pipe's only write end: closing it ends that wait (EOF), and
    the manager thread treats the pool as broken and ends.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(OSError, ValueError):
            p.terminate()
    for p in processes:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            p.join(grace)
            if p.is_alive():
                p.kill()
                p.join(grace)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
    if manager is not None:
        manager.join(grace)


def stop_cluster_now(cluster: Any, grace: float = 0.5) -> None:
    """Stop a Dask ``LocalCluster``'s workers without waiting for their runs.

    A plain close gives each worker 4 s to finish its task before killing
    it, with warnings; after an interruption the runs in flight are lost
    anyway. (The workers need no help to die with this process: distributed
    ties each to its nanny by a pipe.)
    """
    import asyncio
    import logging

    async def close_all() -> None:
        nannies = list(cluster.workers.values())
        await asyncio.gather(
            *(n.close(timeout=grace, reason="officeq-interrupted") for n in nannies),
            return_exceptions=True,
        )

    log = logging.getLogger("distributed")
    level = log.level
    log.setLevel(logging.ERROR)  # "still alive after 0.4 seconds, killing": yes, on purpose
    try:  # on failure the normal close that follows still runs
        with contextlib.suppress(Exception):
            cluster.sync(close_all, callback_timeout=10 * grace + 5)
    finally:
        log.setLevel(level)


def worker_started(parent_death_signal: bool = True) -> None:
    """The pool's initializer: tie this worker's life to its parent's (never raises)."""
    with contextlib.suppress(ValueError, OSError):  # not on the main thread / no such signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent_death_signal:
        _kill_me_when_parent_dies()
    parent = multiprocessing.parent_process()
    born_to = os.getppid()
    threading.Thread(
        target=_watch_parent, args=(parent, born_to), name="officeq-parent-watch", daemon=True
    ).start()


def parent_gone(parent: multiprocessing.process.BaseProcess | None, born_to: int) -> bool:
    """Whether the process that started this one has died."""
    if parent is not None and not parent.is_alive():
        return True
    return os.name == "posix" and os.getppid() != born_to


def _watch_parent(parent: multiprocessing.process.BaseProcess | None, born_to: int) -> None:
    while not parent_gone(parent, born_to):
        if parent is not None:
            parent.join(WATCH_SECONDS)  # returns early when the parent's sentinel fires
        else:  # pragma: no cover - pool workers always know their parent
            threading.Event().wait(WATCH_SECONDS)
    os._exit(ORPHAN_EXIT_CODE)


def _kill_me_when_parent_dies() -> None:
    """Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; elsewhere nothing (the watcher suffices)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        pass
