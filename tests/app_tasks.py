"""Tasks for the background-job tests (a spawned child imports them by name)."""

from __future__ import annotations

import time
from collections.abc import Callable


def count(progress: Callable[[int, int], None], n: int, pause: float = 0.0) -> int:
    for i in range(n + 1):
        progress(i, n)
        time.sleep(pause)
    return n * (n + 1) // 2


def refuse(progress: Callable[[int, int], None], message: str) -> None:
    raise ValueError(message)


def crash(progress: Callable[[int, int], None]) -> None:
    raise ZeroDivisionError("division by zero")


def forever(progress: Callable[[int, int], None]) -> None:
    progress(0, 1)
    while True:
        time.sleep(0.05)
