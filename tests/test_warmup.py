"""Tests for the MSER-5 warm-up rule against constructed series."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from officeq.experiments.warmup import MserResult, mser, suggest_warmup

SEEDS = range(10)


def transient_series(rng: np.random.Generator, n_after: int = 900) -> np.ndarray:
    """100 points decaying linearly from 50 to 0, then level 0; N(0, 1) noise throughout."""
    mean = np.concatenate([np.linspace(50.0, 0.0, 100), np.zeros(n_after)])
    return mean + rng.normal(size=mean.size)


@pytest.mark.parametrize("seed", SEEDS)
def test_stationary_series_gets_small_truncation(seed: int) -> None:
    x = np.random.default_rng(seed).normal(size=1000)
    result = mser(x)
    assert result.truncation <= 0.1 * x.size
    assert not result.at_limit


@pytest.mark.parametrize("seed", SEEDS)
def test_transient_is_cut_near_its_end(seed: int) -> None:
    result = mser(transient_series(np.random.default_rng(seed)))
    assert 80 <= result.truncation <= 120
    assert result.batches == 200


def test_trend_that_never_settles_is_at_limit() -> None:
    rng = np.random.default_rng(1)
    x = 0.1 * np.arange(500) + rng.normal(scale=0.5, size=500)
    result = mser(x)
    assert result.at_limit
    assert result.truncation == 250


def test_minimises_brute_force_statistic() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=63)  # 12 full batches of 5, 3 trailing observations dropped
    batch = 5
    k = x.size // batch
    z = [sum(x[j * batch : (j + 1) * batch]) / batch for j in range(k)]
    expected = []
    for d in range(k // 2 + 1):
        rest = z[d:]
        mean = sum(rest) / len(rest)
        expected.append(sum((v - mean) ** 2 for v in rest) / len(rest) ** 2)
    result = mser(x, batch=batch)
    assert isinstance(result, MserResult)
    assert result.batches == k
    assert result.statistics == pytest.approx(expected, rel=1e-12)
    assert result.truncation // batch == int(np.argmin(expected))
    assert result.truncation % batch == 0
    assert result.statistic == pytest.approx(min(expected), rel=1e-12)


def test_constant_series_ties_go_to_no_truncation() -> None:
    result = mser([3.0] * 50)
    assert result.truncation == 0
    assert result.statistic == 0.0
    assert not result.at_limit


@pytest.mark.parametrize(
    ("series", "match"),
    [
        ([1.0] * 9, "at least 10"),
        (np.ones((20, 2)), "one-dimensional"),
        ([1.0] * 19 + [float("nan")], "NaN"),
        ([1.0] * 19 + [float("inf")], "infinite"),
    ],
)
def test_invalid_series_raise(series: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        mser(series)  # type: ignore[arg-type]


@pytest.mark.parametrize(("batch", "max_fraction"), [(0, 0.5), (5, 0.0), (5, 1.0)])
def test_invalid_parameters_raise(batch: int, max_fraction: float) -> None:
    with pytest.raises(ValueError):
        mser([1.0] * 100, batch=batch, max_fraction=max_fraction)


def test_suggest_warmup_averages_replications() -> None:
    rng = np.random.default_rng(3)
    reps = [transient_series(rng, n_after=265) for _ in range(5)]
    suggestion = suggest_warmup(reps)
    assert 80 <= suggestion.days <= 120
    assert suggestion.replications == 5
    assert suggestion.series_length == 365
    assert not suggestion.at_limit
    assert "MSER-5" in suggestion.reason
    assert "5 pilot replications" in suggestion.reason
    assert f"first {suggestion.days} days" in suggestion.reason


def test_suggest_warmup_equals_mser_of_mean() -> None:
    rng = np.random.default_rng(4)
    reps = [transient_series(rng, n_after=300) for _ in range(4)]
    assert suggest_warmup(reps).days == mser(np.mean(reps, axis=0)).truncation


def test_suggest_warmup_uses_shortest_replication() -> None:
    rng = np.random.default_rng(5)
    reps = [transient_series(rng, n_after=n) for n in (300, 200, 250)]
    suggestion = suggest_warmup(reps)
    assert suggestion.series_length == 300
    shortest_mean = np.mean([r[:300] for r in reps], axis=0)
    assert suggestion.days == mser(shortest_mean).truncation


def test_suggest_warmup_reason_warns_at_limit() -> None:
    reps = [np.arange(100.0) + i for i in range(3)]
    suggestion = suggest_warmup(reps)
    assert suggestion.at_limit
    assert "50% limit" in suggestion.reason
    assert "run longer pilots" in suggestion.reason


def test_suggest_warmup_rejects_empty() -> None:
    with pytest.raises(ValueError, match="at least one"):
        suggest_warmup([])


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    batch=st.integers(min_value=1, max_value=10),
    max_fraction=st.floats(min_value=0.05, max_value=0.95),
)
def test_truncation_is_a_bounded_multiple_of_batch(
    data: st.DataObject, batch: int, max_fraction: float
) -> None:
    values = data.draw(
        st.lists(
            st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
            min_size=2 * batch,
            max_size=300,
        )
    )
    result = mser(values, batch=batch, max_fraction=max_fraction)
    assert result.truncation >= 0
    assert result.truncation % batch == 0
    assert result.truncation <= max_fraction * len(values)
    assert len(result.statistics) >= 1
