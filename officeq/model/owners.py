"""Own caseloads: which caseworker follows up which user, and who waits unassigned.

With ``work.followup.assignment: own`` every user has an owner. The initial
users are dealt out in turn (caseworker i gets users i, i+c, i+2c, ...); a new
user goes to the caseworker with the fewest users (the lowest index on a tie).
A caseworker at ``caseload_cap`` takes no more: the user waits in the
unassigned queue ("ufordelte brukere") until someone has room, first come first
served. No SimPy here; :class:`~officeq.model.caseload.Caseload` calls it.
"""

from __future__ import annotations

import math
from collections import deque

from officeq.model.tasks import User


class Owners:
    """Users per caseworker and the unassigned queue."""

    def __init__(self, caseworkers: int, cap: int | None) -> None:
        self.count = [0] * caseworkers
        """Users owned, per caseworker."""
        self.staff = caseworkers
        """Caseworkers employed now (0 .. staff-1; a plan over time changes it)."""
        self.cap = math.inf if cap is None else cap
        self.unassigned: deque[User] = deque()
        self.unassigned_n = 0
        self._dealt = 0

    def join(self, user: User, initial: bool) -> bool:
        """Give a joining user an owner; False when they wait unassigned."""
        n = self.staff
        if n == 0:
            return self._wait(user)
        if initial:
            w = self._dealt % n
            self._dealt += 1
        else:
            w = self._fewest()
        if self.count[w] >= self.cap:
            return self._wait(user)
        self._assign(user, w)
        return True

    def place(self, user: User, worker: int) -> bool:
        """Give a user from a snapshot their owner ``worker`` (-1: unassigned); one
        whose owner is not in this office, or is full, joins as a new user would."""
        if worker < 0:
            return self._wait(user)
        if worker < len(self.count) and self.count[worker] < self.cap:
            self._assign(user, worker)
            return True
        return self.join(user, initial=False)

    def _fewest(self) -> int:
        count = self.count
        return min(range(self.staff), key=count.__getitem__)

    def _wait(self, user: User) -> bool:
        user.owner = -1
        self.unassigned.append(user)
        self.unassigned_n += 1
        return False

    def _assign(self, user: User, worker: int) -> None:
        user.owner = worker
        self.count[worker] += 1

    def leave(self, user: User) -> User | None:
        """A user leaves the caseload; returns an unassigned user who now gets an
        owner (the room this one left), or None."""
        if user.owner < 0:
            self.unassigned_n -= 1  # dropped from the deque when reached
            return None
        self.count[user.owner] -= 1
        user.owner = -1
        return self.take_unassigned()

    def take_unassigned(self) -> User | None:
        """The longest-waiting unassigned user, given to the caseworker with the
        fewest users if there is room; None otherwise."""
        if not self.staff:
            return None
        while self.unassigned and not self.unassigned[0].active:
            self.unassigned.popleft()
        if not self.unassigned:
            return None
        w = self._fewest()
        if self.count[w] >= self.cap:
            return None
        user = self.unassigned.popleft()
        self.unassigned_n -= 1
        self._assign(user, w)
        return user

    def move(self, user: User) -> bool:
        """A leaving caseworker's user goes to the employed colleague with the fewest
        users; False when all are full (the user waits unassigned)."""
        self.count[user.owner] -= 1
        if not self.staff or self.count[self._fewest()] >= self.cap:
            return self._wait(user)
        self._assign(user, self._fewest())
        return True
