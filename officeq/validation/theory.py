"""Closed-form queueing results the model is checked against.

This module owns the analytic benchmarks for the simulation: the Erlang C
formula and M/M/c FCFS means and waiting-time quantiles, Cobham's mean waits
for the M/M/c non-preemptive priority queue with equal service rates, the
finite-source (machine-repair, M/M/c//K) model of the follow-up caseload, and
two staffing rules. Everything here is a pure function of rates and counts;
rates are per unit time and times are in the same unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln


def _check_rates(*rates: float) -> None:
    if not all(rate > 0 for rate in rates):
        raise ValueError(f"rates must be positive, got {rates}")


def _check_servers(c: int) -> None:
    if c < 1:
        raise ValueError(f"need at least one server, got c={c}")


def erlang_c(c: int, offered: float) -> float:
    """Probability that an arrival waits in M/M/c (Erlang C).

    Uses the Erlang B recursion, which is stable for hundreds of servers.

    Args:
        c: Number of servers (at least 1).
        offered: Offered load a = λ/μ in Erlangs (non-negative).

    Returns:
        P(wait) in [0, 1]; 1.0 when the system is unstable (a >= c).
    """
    _check_servers(c)
    if offered < 0:
        raise ValueError(f"offered load must be non-negative, got {offered}")
    if offered >= c:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):
        b = offered * b / (k + offered * b)
    return c * b / (c - offered * (1.0 - b))


@dataclass(frozen=True)
class MMC:
    """Stationary M/M/c FCFS measures (waits are ``math.inf`` when unstable)."""

    utilization: float
    wait_probability: float
    wait_mean: float
    response_mean: float
    queue_mean: float


def mmc(arrival_rate: float, service_rate: float, c: int) -> MMC:
    """Stationary measures of the M/M/c FCFS queue.

    Args:
        arrival_rate: Poisson arrival rate λ.
        service_rate: Exponential service rate μ of one server.
        c: Number of servers.

    Returns:
        Utilization ρ = λ/(cμ), P(wait), mean wait Wq, mean response Wq + 1/μ
        and mean queue length Lq = λ·Wq.
    """
    _check_rates(arrival_rate, service_rate)
    _check_servers(c)
    rho = arrival_rate / (c * service_rate)
    if rho >= 1:
        return MMC(rho, 1.0, math.inf, math.inf, math.inf)
    p_wait = erlang_c(c, arrival_rate / service_rate)
    wq = p_wait / (c * service_rate - arrival_rate)
    return MMC(rho, p_wait, wq, wq + 1.0 / service_rate, arrival_rate * wq)


def mmc_wait_quantile(arrival_rate: float, service_rate: float, c: int, q: float) -> float:
    """The q-quantile of the M/M/c FCFS waiting time.

    P(W > t) = C·exp(−(cμ−λ)t), with an atom 1 − C at zero.

    Args:
        arrival_rate: Poisson arrival rate λ.
        service_rate: Exponential service rate μ of one server.
        c: Number of servers.
        q: Probability level in [0, 1].

    Returns:
        The smallest t with P(W <= t) >= q; ``math.inf`` if unstable or q = 1.
    """
    if not 0 <= q <= 1:
        raise ValueError(f"q must be in [0, 1], got {q}")
    res = mmc(arrival_rate, service_rate, c)
    if math.isinf(res.wait_mean) or q >= 1:
        return math.inf
    if q <= 1.0 - res.wait_probability:
        return 0.0
    return math.log(res.wait_probability / (1.0 - q)) / (c * service_rate - arrival_rate)


def priority_waits(arrival_rates: Sequence[float], service_rate: float, c: int) -> list[float]:
    """Mean waits per class in an M/M/c non-preemptive priority queue (Cobham).

    All classes share the exponential service rate μ; class 0 has the highest
    priority. W_k = C(c, a) / (cμ·(1 − σ_{k−1})·(1 − σ_k)), σ_k = Σ_{i≤k} λ_i/(cμ).

    Args:
        arrival_rates: Poisson arrival rate of each class (non-negative).
        service_rate: Exponential service rate μ of one server.
        c: Number of servers.

    Returns:
        Mean waiting time of each class; ``math.inf`` where σ_k >= 1.
    """
    _check_rates(service_rate)
    _check_servers(c)
    if any(rate < 0 for rate in arrival_rates):
        raise ValueError("arrival rates must be non-negative")
    cmu = c * service_rate
    p_wait = erlang_c(c, sum(arrival_rates) / service_rate)
    waits: list[float] = []
    sigma_prev = 0.0
    for rate in arrival_rates:
        sigma = sigma_prev + rate / cmu
        if sigma >= 1:
            waits.append(math.inf)
        else:
            waits.append(p_wait / (cmu * (1.0 - sigma_prev) * (1.0 - sigma)))
        sigma_prev = sigma
    return waits


@dataclass(frozen=True)
class FiniteSource:
    """Stationary measures of the finite-source M/M/c//K model."""

    probabilities: tuple[float, ...]
    queue_mean: float
    number_mean: float
    busy_mean: float
    throughput: float
    wait_mean: float


def finite_source(population: int, due_rate: float, service_rate: float, c: int) -> FiniteSource:
    """The machine-repair model M/M/c//K, computed in log space.

    Args:
        population: Number of users K.
        due_rate: Rate at which a user who is not due becomes due.
        service_rate: Exponential service rate of one server.
        c: Number of servers.

    Returns:
        The distribution of the number due n = 0..K (waiting plus in service),
        mean number waiting Lq, mean number due L, mean busy servers L − Lq,
        throughput due_rate·(K − L) and mean wait Lq/throughput.
    """
    _check_rates(due_rate, service_rate)
    _check_servers(c)
    if population < 0:
        raise ValueError(f"population must be non-negative, got {population}")
    n = np.arange(population + 1, dtype=float)
    log_binom = gammaln(population + 1) - gammaln(n + 1) - gammaln(population - n + 1)
    log_w = log_binom + n * math.log(due_rate / service_rate)
    over = n > c
    log_w[over] += gammaln(n[over] + 1) - gammaln(c + 1) - (n[over] - c) * math.log(c)
    w = np.exp(log_w - log_w.max())
    p = w / w.sum()
    lq = float(np.sum((n[over] - c) * p[over]))
    big_l = float(np.dot(n, p))
    throughput = due_rate * (population - big_l)
    wq = lq / throughput if throughput > 0 else 0.0
    return FiniteSource(tuple(p.tolist()), lq, big_l, big_l - lq, throughput, wq)


def erlang_c_min_servers(arrival_rate: float, service_rate: float, target_wait_mean: float) -> int:
    """The fewest servers whose M/M/c mean wait meets a target.

    Args:
        arrival_rate: Poisson arrival rate λ.
        service_rate: Exponential service rate μ of one server.
        target_wait_mean: Largest acceptable mean wait Wq (positive).

    Returns:
        The smallest c > λ/μ with ``mmc(...).wait_mean <= target_wait_mean``.
    """
    _check_rates(arrival_rate, service_rate, target_wait_mean)
    c = math.floor(arrival_rate / service_rate) + 1
    while mmc(arrival_rate, service_rate, c).wait_mean > target_wait_mean:
        c += 1
    return c


def square_root_staffing(arrival_rate: float, service_rate: float, beta: float = 1.0) -> int:
    """Square-root staffing rule ⌈a + β·√a⌉ with a = λ/μ.

    Args:
        arrival_rate: Poisson arrival rate λ.
        service_rate: Exponential service rate μ of one server.
        beta: Quality-of-service parameter β.

    Returns:
        The number of servers.
    """
    _check_rates(arrival_rate, service_rate)
    a = arrival_rate / service_rate
    return math.ceil(a + beta * math.sqrt(a))


@dataclass(frozen=True)
class CaseTimes:
    """Mean times of an income-support case when no step waits in a queue (days)."""

    decision_mean: float
    """Receipt to decision, the user's time included."""
    office_mean: float
    """The caseworkers' handling alone (the office's own time without queues)."""


def case_times(
    step_minutes: float,
    share: float,
    reply_mean_days: float,
    deadline_days: float,
    no_reply_share: float,
    review_minutes: float,
) -> CaseTimes:
    """One documentation round with an exponential reply time and ample staff.

    A share ``share`` of cases asks the user once; the user replies after an
    exponential time (mean ``reply_mean_days``) unless they never do
    (``no_reply_share``), and a reply after ``deadline_days`` comes too late: the
    case goes on at the deadline. So the wait on the user is
    ``(1-n) E[min(X, D)] + n D`` with ``E[min(X, D)] = m (1 - exp(-D/m))``, and a
    review follows a reply in time (probability ``(1-n)(1 - exp(-D/m))``).
    ``step_minutes``: the mean minutes of the steps every case has (intake, decision).
    """
    m, d, n = reply_mean_days, deadline_days, no_reply_share
    in_time = 1 - math.exp(-d / m) if m > 0 else 1.0
    wait = (1 - n) * m * in_time + n * d
    office = (step_minutes + share * (1 - n) * in_time * review_minutes) / (24 * 60)
    return CaseTimes(office + share * wait, office)
