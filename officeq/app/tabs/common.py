"""What the tabs share: the session's state, error lines, progress bars, job watching."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shiny import reactive, ui

from officeq.app.jobs import RUNNING, Job
from officeq.app.settings import Settings

POLL_SECONDS = 1.0
"""How often a running job is asked for progress (each ask redraws the progress line)."""


@dataclass
class Office:
    """The office on the page now: a config and the overrides that made it, or an error."""

    source: str
    config: Any = None
    overrides: list[str] = field(default_factory=list)
    error: str = ""
    lever: str | None = None
    """The lever the error is about, if it is about one."""
    shown: str = ""
    """The config as the page names it (``configs/baseline.yaml``, an upload's name)."""


@dataclass
class Outcome:
    """A finished run on the page: its name, folder and results."""

    name: str
    folder: Any
    results: Any
    seed: int
    replications: int
    overrides: list[str]
    source: str
    """The config as the page names it."""


@dataclass
class State:
    """One browser session's state (each tab reads and sets parts of it)."""

    settings: Settings
    office: Callable[[], Office] | None = None
    run_job: reactive.Value[Job | None] = field(default_factory=lambda: reactive.value(None))
    outcome: reactive.Value[Outcome | None] = field(default_factory=lambda: reactive.value(None))
    kept: reactive.Value[tuple[Outcome, ...]] = field(default_factory=lambda: reactive.value(()))
    jobs: list[Job] = field(default_factory=list)

    def start(self, job: Job) -> Job:
        self.jobs.append(job)
        return job

    def cancel_all(self) -> None:
        for job in self.jobs:
            job.cancel()


def error_line(message: str, id: str | None = None) -> ui.Tag:
    """One line of error, as the CLI prints it, next to the control it concerns."""
    return ui.div(message, class_="text-danger small oq-error", role="alert", id=id)


def progress_line(job: Job | None, unit: str) -> ui.TagChild:
    """A progress bar with words: ``4 of 10 replications · 12 s``; the end state after."""
    if job is None:
        return None
    done, total = job.progress
    secs = f"{job.seconds:,.0f} s"
    if job.state == RUNNING:
        if total:
            words = f"{done} of {total} {unit} · {secs}"
            bar = ui.tags.progress(value=str(done), max=str(total), class_="oq-progress")
        else:
            words, bar = f"starting · {secs}", ui.tags.progress(class_="oq-progress")
        return ui.div(bar, ui.span(words, class_="ms-2"), class_="oq-status", role="status")
    if job.state == "failed":
        return error_line(job.error, id=None)
    if job.state == "cancelled":
        return ui.div(f"cancelled after {secs}", class_="oq-status text-muted", role="status")
    return ui.div(f"done in {secs}", class_="oq-status text-success", role="status")


def watch(job: reactive.Value[Job | None], on_done: Callable[[Job], None]) -> reactive.Value[int]:
    """Poll ``job`` while it runs; call ``on_done`` once when it ends well.
    Returns a tick that changes at every poll (for outputs showing progress)."""
    tick = reactive.value(0)
    handled: set[int] = set()

    @reactive.effect
    def _poll() -> None:
        j = job()
        if j is None:
            return
        with reactive.isolate():
            state = j.poll()
            tick.set(tick() + 1)
        if state == RUNNING:
            reactive.invalidate_later(POLL_SECONDS)
        elif state == "done" and id(j) not in handled:
            handled.add(id(j))
            with reactive.isolate():
                on_done(j)

    return tick


def image(path: Any, alt: str) -> dict[str, str]:
    """A figure's PNG for ``render.image``, as wide as its card up to a readable size."""
    return {"src": str(path), "alt": alt, "style": "width: 100%; max-width: 1100px; height: auto;"}
