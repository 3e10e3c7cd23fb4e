"""Long work off the page: each job is a child process with progress and cancel.

A job runs one function of :mod:`officeq.app.tasks` in a fresh (spawned)
process, so the web server stays responsive and a cancel can stop the work
at once, however deep in a simulation it is. The child reports progress
through two shared integers and its answer (or one line of error) through
a pipe. It dies with the server: it exits when its parent goes, by the
kernel's parent-death signal on Linux and a watcher thread elsewhere
(:func:`officeq.experiments.workers.worker_started`), and the worker
processes of a sweep inside it follow it the same way.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

_SPAWN = multiprocessing.get_context("spawn")
_LIVE: set[Job] = set()
_LOCK = threading.Lock()

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"


class Job:
    """One piece of background work: ``task(progress=..., **kwargs)`` in a child process.

    Attributes:
        what: words for the page ("10 replications of baseline").
        state: running, done, failed or cancelled (updated by :meth:`poll`).
        value: the task's return value once done.
        error: one line saying what went wrong once failed.
        started, ended: ``time.monotonic()`` at start and end.
    """

    def __init__(self, task: Callable[..., Any], kwargs: dict[str, Any], what: str = "") -> None:
        self.what = what
        self.state = RUNNING
        self.value: Any = None
        self.error = ""
        self._done = _SPAWN.Value("q", 0, lock=False)
        self._total = _SPAWN.Value("q", 0, lock=False)
        self._reply, child_end = _SPAWN.Pipe(duplex=False)
        self._proc = _SPAWN.Process(
            target=_child,
            args=(task, kwargs, self._done, self._total, child_end),
            daemon=False,  # a sweep inside starts worker processes of its own
            name=f"officeq-app-job {what}"[:60],
        )
        self.started = time.monotonic()
        self.ended: float | None = None
        with _LOCK:
            _LIVE.add(self)
        self._proc.start()
        child_end.close()

    @property
    def progress(self) -> tuple[int, int]:
        """(steps done, steps planned) as the task last reported them."""
        return int(self._done.value), int(self._total.value)

    @property
    def seconds(self) -> float:
        """Seconds since the start (until the end once ended)."""
        return (self.ended or time.monotonic()) - self.started

    def poll(self) -> str:
        """Take the child's answer if it has come; the job's state."""
        if self.state != RUNNING:
            return self.state
        try:
            ready = self._reply.poll()
        except (OSError, EOFError):
            ready = False
        if ready:
            try:
                ok, payload = self._reply.recv()
            except (OSError, EOFError):
                ok, payload = False, "the background process ended without an answer"
            self._finish(DONE if ok else FAILED, payload)
        elif not self._proc.is_alive():
            code = self._proc.exitcode
            self._finish(FAILED, f"the background process stopped (exit code {code})")
        return self.state

    def wait(self, timeout: float | None = None, every: float = 0.05) -> str:
        """Poll until the job ends or ``timeout`` seconds pass; its state."""
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() == RUNNING and (end is None or time.monotonic() < end):
            time.sleep(every)
        return self.state

    def cancel(self) -> None:
        """Stop the work now (its worker processes follow); nothing it wrote is kept."""
        if self.poll() != RUNNING:
            return
        self._stop()
        self._finish(CANCELLED, None)

    def _stop(self, grace: float = 2.0) -> None:
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(grace)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join(grace)

    def _finish(self, state: str, payload: Any) -> None:
        self.state, self.ended = state, time.monotonic()
        if state == DONE:
            self.value = payload
        elif state == FAILED:
            self.error = str(payload)
        self._proc.join(1.0)
        self._reply.close()
        with _LOCK:
            _LIVE.discard(self)


def stop_all() -> int:
    """Cancel every running job (the server is shutting down); how many were running."""
    with _LOCK:
        live = list(_LIVE)
    for job in live:
        job.cancel()
    return len(live)


def _interrupt(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second one: stop now
    raise KeyboardInterrupt


def _child(
    task: Callable[..., Any],
    kwargs: dict[str, Any],
    done: Any,
    total: Any,
    reply: Any,
) -> None:
    from officeq.experiments.workers import worker_started

    worker_started(parent_death_signal=True)  # dies with the server, whatever kills it
    signal.signal(signal.SIGTERM, _interrupt)  # a cancel unwinds: a sweep stops its workers

    def progress(d: int, t: int) -> None:
        done.value, total.value = int(d), int(t)

    try:
        answer = (True, task(progress=progress, **kwargs))
    except KeyboardInterrupt:  # cancelled: no answer wanted
        return
    except Exception as e:
        known = type(e).__module__.startswith("officeq") or isinstance(e, ValueError | OSError)
        if not known:
            traceback.print_exc(file=sys.stderr)
        answer = (False, str(e) if known else f"internal error: {type(e).__name__}: {e}")
    reply.send(answer)
    reply.close()
