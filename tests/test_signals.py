"""A killed command leaves no processes behind; SIGTERM stops a sweep like Ctrl-C.

The process tests start ``officeq sweep --workers 2`` in a session of its
own, signal its main process only, and look for what is left of the
session in ``/proc`` (Linux only).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from officeq.cli import main
from officeq.cli.common import Interruption
from officeq.experiments.workers import process_pool, stop_now

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "configs" / "baseline.yaml"
LEFTOVER_SECONDS = 10
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def write_spec(tmp: Path, days: int, reps: int) -> Path:
    path = tmp / "spec.yaml"
    path.write_text(
        f"name: t\nbase: {BASELINE}\nreplications: {reps}\nseed: 7\n"
        f"horizon_days: {days}\nwarmup_days: 5\ngrid:\n  staff.caseworkers: [14, 17]\n"
    )
    return path


def session(sid: int) -> list[tuple[int, int]]:
    """(pid, parent pid) of the live processes in session ``sid`` (zombies left out)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, ppid, session_id = fields[0], int(fields[1]), int(fields[3])
        if session_id == sid and state not in "ZX":
            found.append((int(entry), ppid))
    return found


def stored_runs(out: Path) -> int:
    try:
        with sqlite3.connect(f"file:{out / 'store.sqlite'}?mode=ro", uri=True) as con:
            return con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    except sqlite3.Error:  # not there yet
        return 0


def start_sweep(spec: Path, out: Path, *options: str) -> subprocess.Popen[str]:
    """Start a sweep in a new session; return once its workers run and one run is stored."""
    cmd = [sys.executable, "-m", "officeq", "sweep", str(spec), "--out", str(out), *options]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [p for p, parent in session(proc.pid) if parent == proc.pid]
        if len(workers) >= 2 and stored_runs(out) >= 1:
            return proc
        time.sleep(0.05)
    end(proc)
    pytest.fail(f"the sweep ended or stalled before it could be signalled: {proc.returncode}")


def end(proc: subprocess.Popen[str]) -> None:
    """Kill what a failed test left of the session it started."""
    for pid, _ in session(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.kill()
    proc.communicate()


def seconds_until_gone(proc: subprocess.Popen[str], sent: float) -> float:
    """Seconds from ``sent`` until no process of ``proc``'s session is left."""
    proc.wait(timeout=LEFTOVER_SECONDS)
    while session(proc.pid):
        if time.monotonic() - sent > LEFTOVER_SECONDS:
            left = session(proc.pid)
            end(proc)
            pytest.fail(f"processes left {LEFTOVER_SECONDS} s after the signal: {left}")
        time.sleep(0.02)
    return time.monotonic() - sent


@linux_only
def test_sigkill_of_a_sweep_takes_its_workers_and_closes_its_pipes(tmp_path: Path) -> None:
    proc = start_sweep(write_spec(tmp_path, days=120, reps=20), tmp_path / "o", "--workers", "2")
    os.kill(proc.pid, signal.SIGKILL)
    sent = time.monotonic()
    assert seconds_until_gone(proc, sent) < LEFTOVER_SECONDS
    # nothing holds the caller's stdout and stderr open any more
    proc.communicate(timeout=LEFTOVER_SECONDS)
    assert proc.returncode == -signal.SIGKILL


@linux_only
def test_sigterm_stops_a_sweep_like_ctrl_c_and_resume_finishes_it(tmp_path: Path) -> None:
    spec, out = write_spec(tmp_path, days=60, reps=6), tmp_path / "o"
    proc = start_sweep(spec, out, "--workers", "2")
    os.kill(proc.pid, signal.SIGTERM)
    sent = time.monotonic()
    assert seconds_until_gone(proc, sent) < LEFTOVER_SECONDS
    _, err = proc.communicate(timeout=LEFTOVER_SECONDS)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "terminated: " in err and "run the same command with --resume to finish" in err
    assert "Traceback" not in err
    with sqlite3.connect(out / "store.sqlite") as con:
        kept = con.execute("SELECT scenario_id, replication, summary FROM runs").fetchall()
    assert 1 <= len(kept) < 12
    assert f"terminated: {len(kept)} runs are stored in {out}" in " ".join(err.split())
    result = CliRunner().invoke(main, ["sweep", str(spec), "--resume", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"resuming: {len(kept)} of 12 runs already stored" in result.output
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 12 and not runs.duplicated(["scenario_id", "replication"]).any()


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill", "term"])
def test_a_killed_dask_sweep_leaves_no_local_cluster_behind(tmp_path: Path, sig: int) -> None:
    """Slow (about 10 s each): starts a real LocalCluster with two worker processes."""
    pytest.importorskip("distributed")
    spec = write_spec(tmp_path, days=60, reps=20)
    proc = start_sweep(spec, tmp_path / "o", "--executor", "dask", "--workers", "2")
    os.kill(proc.pid, sig)
    sent = time.monotonic()
    assert seconds_until_gone(proc, sent) < LEFTOVER_SECONDS
    _, err = proc.communicate(timeout=LEFTOVER_SECONDS)
    if sig == signal.SIGTERM:
        assert proc.returncode == 143, err
        assert "terminated: " in err and "Traceback" not in err


# --- the pieces, in this process ----------------------------------------------


def test_sigterm_is_ctrl_c_inside_the_block_and_the_handler_comes_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    stop = Interruption()
    assert (stop.word, stop.exit_code) == ("interrupted", 130)
    with pytest.raises(KeyboardInterrupt), stop.sigterm_like_ctrl_c():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert (stop.word, stop.exit_code) == ("terminated", 143)
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.parametrize("command", ["sweep", "staff"])
def test_the_commands_say_terminated_and_exit_143(tmp_path: Path, monkeypatch, command) -> None:  # type: ignore[no-untyped-def]
    import officeq.api

    def killed(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)

    monkeypatch.setattr(officeq.api, command, killed)
    spec = str(write_spec(tmp_path, days=20, reps=2))
    args = {
        "sweep": ["sweep", spec, "--out", str(tmp_path / "o")],
        "staff": ["staff", str(BASELINE), "--target", "inquiry_sla_hit_rate>=0.9"],
    }[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 143, result.output
    assert result.output.startswith("terminated: ")


def test_an_interrupted_pool_stops_its_running_workers_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), process_pool(2) as pool:
        futures = [pool.submit(time.sleep, 60) for _ in range(4)]
        workers = list(pool._processes.values())
        time.sleep(0.5)
        raise KeyboardInterrupt
    assert time.monotonic() - started < 10
    assert not any(p.is_alive() for p in workers)
    assert all(f.done() for f in futures)


_POOL: ProcessPoolExecutor | None = None


def _send_half_a_result() -> None:
    """In a forked worker: the start of a 100 kB message on the result pipe, then nothing."""
    assert _POOL is not None
    writer = _POOL._result_queue._writer  # type: ignore[attr-defined]
    os.write(writer.fileno(), struct.pack("!i", 100_000) + b"half")
    time.sleep(60)


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the worker shares the pool"
)
def test_a_worker_stopped_while_sending_does_not_leave_the_pool_thread_waiting() -> None:
    global _POOL
    _POOL = pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    writer = pool._result_queue._writer  # type: ignore[attr-defined]
    manager = None
    try:
        future = pool.submit(_send_half_a_result)
        time.sleep(1.0)  # the pool's thread has read the length and waits for the rest
        manager = pool._executor_manager_thread  # type: ignore[attr-defined]
        started = time.monotonic()
        stop_now(pool, grace=5)
        assert manager is not None and not manager.is_alive()
        assert time.monotonic() - started < 5
        assert future.done()
    finally:
        _POOL = None
        if manager is not None and manager.is_alive():  # don't hang the test run at exit
            writer.close()
