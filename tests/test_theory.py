"""Check the closed-form queueing results against independent facts."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.stats import binom

from officeq.validation.theory import (
    erlang_c,
    erlang_c_min_servers,
    finite_source,
    mmc,
    mmc_wait_quantile,
    priority_waits,
    square_root_staffing,
)


def brute_erlang_c(c: int, a: float | Fraction) -> float:
    """Erlang C from the textbook sum formula."""
    tail = a**c / math.factorial(c) * c / (c - a)
    head = sum(a**k / math.factorial(k) for k in range(c))
    return float(tail / (head + tail))


def ctmc_number_due(population: int, due_rate: float, service_rate: float, c: int) -> np.ndarray:
    """Stationary distribution of the M/M/c//K birth-death chain from πQ = 0."""
    size = population + 1
    q = np.zeros((size, size))
    for n in range(size):
        if n < population:
            q[n, n + 1] = (population - n) * due_rate
        if n > 0:
            q[n, n - 1] = min(n, c) * service_rate
        q[n, n] = -q[n].sum()
    lhs = np.vstack([q.T, np.ones(size)])
    rhs = np.zeros(size + 1)
    rhs[-1] = 1.0
    pi, *_ = np.linalg.lstsq(lhs, rhs, rcond=None)
    return pi


# --- Erlang C and M/M/c -------------------------------------------------------


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9, 0.99])
def test_single_server_is_mm1(rho: float) -> None:
    mu = 2.0
    lam = rho * mu
    assert erlang_c(1, rho) == pytest.approx(rho)
    res = mmc(lam, mu, 1)
    assert res.utilization == pytest.approx(rho)
    assert res.wait_probability == pytest.approx(rho)
    assert res.wait_mean == pytest.approx(rho / (mu - lam))
    assert res.response_mean == pytest.approx(1.0 / (mu - lam))
    assert res.queue_mean == pytest.approx(rho**2 / (1.0 - rho))


def test_textbook_two_servers() -> None:
    # M/M/2 with rho = 0.5: P(wait) = 2 rho^2 / (1 + rho) = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1.0 / 3.0)
    res = mmc(1.0, 1.0, 2)
    # Wq = C / (c mu - lambda) = (1/3) / 1.
    assert res.wait_mean == pytest.approx(1.0 / 3.0)
    assert res.queue_mean == pytest.approx(1.0 / 3.0)
    assert res.response_mean == pytest.approx(4.0 / 3.0)


@given(c=st.integers(1, 60), frac=st.floats(0.0, 0.995))
def test_erlang_c_matches_sum_formula(c: int, frac: float) -> None:
    a = frac * c
    assert erlang_c(c, a) == pytest.approx(brute_erlang_c(c, a), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("c", "a"), [(100, Fraction(95)), (300, Fraction(2901, 10))])
def test_erlang_c_stable_for_many_servers(c: int, a: Fraction) -> None:
    exact = brute_erlang_c(c, a)  # exact rational arithmetic
    assert erlang_c(c, float(a)) == pytest.approx(exact, rel=1e-9)


def test_unstable_system() -> None:
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 5.0) == 1.0
    res = mmc(3.0, 1.0, 3)
    assert math.isinf(res.wait_mean)
    assert math.isinf(res.response_mean)
    assert math.isinf(res.queue_mean)
    assert math.isinf(mmc_wait_quantile(3.0, 1.0, 3, 0.5))


@given(c=st.integers(1, 40), frac=st.floats(0.01, 0.98), mu=st.floats(0.1, 10.0))
def test_littles_law_and_erlang_c_bounds(c: int, frac: float, mu: float) -> None:
    lam = frac * c * mu
    res = mmc(lam, mu, c)
    assert 0.0 <= res.wait_probability <= 1.0
    assert res.queue_mean == pytest.approx(lam * res.wait_mean)
    # Adding a server never increases the waiting probability.
    assert erlang_c(c + 1, lam / mu) <= res.wait_probability + 1e-12


# --- waiting-time quantiles ---------------------------------------------------


def test_mm1_quantile_closed_form() -> None:
    lam, mu = 0.8, 1.0
    # M/M/1: P(W > t) = rho exp(-(mu - lambda) t).
    for q in (0.3, 0.5, 0.9, 0.99):
        t = mmc_wait_quantile(lam, mu, 1, q)
        assert 0.8 * math.exp(-(mu - lam) * t) == pytest.approx(1.0 - q)
    assert mmc_wait_quantile(lam, mu, 1, 0.2) == 0.0
    assert mmc_wait_quantile(lam, mu, 1, 0.0) == 0.0
    assert math.isinf(mmc_wait_quantile(lam, mu, 1, 1.0))


@pytest.mark.parametrize(("lam", "mu", "c"), [(0.8, 1.0, 1), (4.5, 1.0, 5), (18.0, 0.5, 40)])
def test_quantile_function_integrates_to_mean(lam: float, mu: float, c: int) -> None:
    # E[W] = integral of the quantile function over (0, 1).
    mean, _ = quad(lambda q: mmc_wait_quantile(lam, mu, c, q), 0.0, 1.0, limit=200)
    assert mean == pytest.approx(mmc(lam, mu, c).wait_mean, rel=1e-6)


# --- priority classes -----------------------------------------------------------


@given(c=st.integers(1, 30), frac=st.floats(0.01, 0.98))
def test_single_priority_class_is_fcfs(c: int, frac: float) -> None:
    lam = frac * c * 1.5
    (w,) = priority_waits([lam], 1.5, c)
    assert w == pytest.approx(mmc(lam, 1.5, c).wait_mean)


@given(
    c=st.integers(1, 30),
    shares=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=5),
    frac=st.floats(0.05, 0.97),
)
def test_priority_conservation_law(c: int, shares: list[float], frac: float) -> None:
    mu = 0.7
    total = frac * c * mu
    rates = [total * s / sum(shares) for s in shares]
    waits = priority_waits(rates, mu, c)
    average = sum(r * w for r, w in zip(rates, waits, strict=True)) / sum(rates)
    assert average == pytest.approx(mmc(sum(rates), mu, c).wait_mean, rel=1e-9)
    assert waits == sorted(waits)  # lower priority never waits less


def test_priority_single_server_cobham() -> None:
    # M/G/1 non-preemptive: W_k = R / ((1 - s_{k-1})(1 - s_k)), R = sum lambda E[S^2] / 2.
    mu, rates = 2.0, [0.5, 0.7, 0.4]
    residual = sum(rates) * (2.0 / mu**2) / 2.0
    sigma = np.cumsum(rates) / mu
    expected = [residual / ((1 - (sigma[k - 1] if k else 0.0)) * (1 - sigma[k])) for k in range(3)]
    assert priority_waits(rates, mu, 1) == pytest.approx(expected)


def test_priority_overloaded_classes_are_infinite() -> None:
    waits = priority_waits([0.5, 0.4, 0.5], 1.0, 1)
    assert math.isfinite(waits[0])
    assert math.isfinite(waits[1])
    assert math.isinf(waits[2])


# --- finite source ----------------------------------------------------------------


@given(
    population=st.integers(0, 3000),
    due=st.floats(0.001, 5.0),
    mu=st.floats(0.1, 5.0),
    c=st.integers(1, 50),
)
@settings(max_examples=50)
def test_finite_source_is_a_distribution(population: int, due: float, mu: float, c: int) -> None:
    res = finite_source(population, due, mu, c)
    p = np.array(res.probabilities)
    assert len(p) == population + 1
    assert np.all(p >= 0)
    assert p.sum() == pytest.approx(1.0)
    assert 0.0 <= res.busy_mean <= min(c, population) + 1e-9
    # Throughput balance: users become due as fast as servers finish them.
    assert res.throughput == pytest.approx(mu * res.busy_mean, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize(("population", "c"), [(1, 1), (5, 5), (8, 12)])
def test_finite_source_enough_servers_is_binomial(population: int, c: int) -> None:
    due, mu = 0.3, 1.2
    res = finite_source(population, due, mu, c)
    assert res.queue_mean == 0.0
    assert res.wait_mean == 0.0
    # Users are then independent on/off: due with probability due / (due + mu).
    expected = binom.pmf(np.arange(population + 1), population, due / (due + mu))
    assert res.probabilities == pytest.approx(expected)


@pytest.mark.parametrize(
    ("population", "due", "mu", "c"),
    [(1, 0.5, 1.0, 1), (6, 0.4, 1.0, 2), (12, 0.2, 0.5, 3), (20, 1.0, 0.3, 4), (15, 0.05, 2.0, 1)],
)
def test_finite_source_matches_ctmc(population: int, due: float, mu: float, c: int) -> None:
    pi = ctmc_number_due(population, due, mu, c)
    res = finite_source(population, due, mu, c)
    assert res.probabilities == pytest.approx(pi, abs=1e-10)
    n = np.arange(population + 1)
    lq = float(np.sum(np.maximum(n - c, 0) * pi))
    big_l = float(np.dot(n, pi))
    assert res.queue_mean == pytest.approx(lq, abs=1e-10)
    assert res.number_mean == pytest.approx(big_l)
    assert res.busy_mean == pytest.approx(big_l - lq)
    assert res.throughput == pytest.approx(due * (population - big_l))
    assert res.wait_mean == pytest.approx(lq / (due * (population - big_l)), abs=1e-10)


@pytest.mark.parametrize(("lam", "mu", "c"), [(0.8, 1.0, 1), (4.0, 1.0, 5), (45.0, 0.5, 100)])
def test_finite_source_large_population_approaches_mmc(lam: float, mu: float, c: int) -> None:
    # K users at due rate lam / K tend to a Poisson stream of rate lam; the gap is O(1/K).
    ref = mmc(lam, mu, c)
    errors = []
    for population in (200_000, 2_000_000):
        res = finite_source(population, lam / population, mu, c)
        assert res.queue_mean == pytest.approx(ref.queue_mean, rel=2e-2)
        assert res.wait_mean == pytest.approx(ref.wait_mean, rel=2e-2)
        assert res.busy_mean == pytest.approx(lam / mu, rel=1e-3)
        errors.append(abs(res.wait_mean - ref.wait_mean))
    assert errors[1] < errors[0] / 5
    assert errors[1] <= 5e-3 * ref.wait_mean


# --- staffing -------------------------------------------------------------------------


def test_square_root_staffing_values() -> None:
    assert square_root_staffing(4.0, 1.0) == 6
    assert square_root_staffing(100.0, 1.0, beta=2.0) == 120
    assert square_root_staffing(10.0, 2.0, beta=0.0) == 5


@given(lam=st.floats(0.1, 500.0), extra=st.floats(0.0, 100.0), beta=st.floats(0.0, 3.0))
def test_square_root_staffing_monotone(lam: float, extra: float, beta: float) -> None:
    low = square_root_staffing(lam, 1.0, beta)
    assert low >= lam
    assert square_root_staffing(lam + extra, 1.0, beta) >= low


@given(lam=st.floats(0.1, 200.0), target=st.floats(0.001, 2.0))
def test_min_servers_is_minimal(lam: float, target: float) -> None:
    mu = 1.0
    c = erlang_c_min_servers(lam, mu, target)
    assert c > lam / mu
    assert mmc(lam, mu, c).wait_mean <= target
    if c - 1 >= 1:
        assert mmc(lam, mu, c - 1).wait_mean > target


@given(lam=st.floats(0.1, 200.0), extra=st.floats(0.0, 50.0), target=st.floats(0.001, 2.0))
def test_min_servers_monotone(lam: float, extra: float, target: float) -> None:
    c = erlang_c_min_servers(lam, 1.0, target)
    assert erlang_c_min_servers(lam + extra, 1.0, target) >= c
    assert erlang_c_min_servers(lam, 1.0, target / 2) >= c
