"""The inlined event loop (model/engine.py) behaves as SimPy's own ``Environment.run``."""

from __future__ import annotations

import random

import pytest
import simpy

from officeq.model.engine import Engine


def _trace(env: simpy.Environment, until: object) -> tuple[list[tuple[float, str]], object]:
    """A small M/M/2 queue with an interrupt and a condition, its event trace and run()'s value."""
    rng = random.Random(3)
    log: list[tuple[float, str]] = []
    desk = simpy.Resource(env, capacity=2)

    def customer(i: int):  # type: ignore[no-untyped-def]
        try:
            with desk.request() as req:
                got = yield req | env.timeout(1.5)
                log.append((env.now, f"{i} {'served' if req in got else 'left'}"))
                if req in got:
                    yield env.timeout(rng.expovariate(1.0))
        except simpy.Interrupt:
            log.append((env.now, f"{i} interrupted"))

    def source():  # type: ignore[no-untyped-def]
        for i in range(200):
            yield env.timeout(rng.expovariate(1.8))
            proc = env.process(customer(i))
            if i % 17 == 0:
                env.timeout(0.1).callbacks.append(lambda _e, p=proc: p.is_alive and p.interrupt())

    env.process(source())
    if until == "event":
        until = env.timeout(60.0, value="stopped")
    value = env.run(until=until)
    return log, value


@pytest.mark.parametrize("until", [None, 25.0, 40, "event"])
def test_same_events_in_the_same_order_as_simpy(until: object) -> None:
    ours = _trace(Engine(), until)
    assert ours == _trace(simpy.Environment(), until)
    events = [what for _, what in ours[0]]
    assert any("interrupted" in e for e in events) and any("left" in e for e in events)


def test_runs_on_from_where_it_stopped_like_simpy() -> None:
    def both(env: simpy.Environment) -> list[float]:
        seen: list[float] = []

        def ticker():  # type: ignore[no-untyped-def]
            while True:
                yield env.timeout(0.7)
                seen.append(env.now)

        env.process(ticker())
        for stop in (3, 5.5, 9):
            env.run(until=stop)
            seen.append(-env.now)
        return seen

    assert both(Engine()) == both(simpy.Environment())


def test_a_failed_event_crashes_the_run_and_an_until_in_the_past_is_refused() -> None:
    env = Engine()

    def fails():  # type: ignore[no-untyped-def]
        yield env.timeout(1)
        raise KeyError("boom")

    env.process(fails())
    with pytest.raises(KeyError, match="boom"):
        env.run()
    with pytest.raises(ValueError, match="greater than the current simulation time"):
        env.run(until=0.5)


def test_an_until_event_never_triggered_is_an_error() -> None:
    env = Engine()
    env.timeout(1)
    with pytest.raises(RuntimeError, match="until"):
        env.run(until=env.event())
