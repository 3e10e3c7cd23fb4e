"""Distributions draw what their parameters promise (checked by sample moments)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from officeq.config.distributions import Distribution
from officeq.model.sampling import BlockSampler

ADAPTER = TypeAdapter(Distribution)
N = 200_000


@pytest.mark.parametrize(
    "spec, mean, cv",
    [
        ({"dist": "exponential", "mean": 10}, 10, 1.0),
        ({"dist": "lognormal", "mean": 45, "cv": 0.4}, 45, 0.4),
        ({"dist": "gamma", "mean": 3, "cv": 0.5}, 3, 0.5),
        ({"dist": "fixed", "value": 7}, 7, 0.0),
        ({"dist": "uniform", "low": 2, "high": 4}, 3, (2 / math.sqrt(12)) / 3),
        ({"dist": "empirical", "values": [1, 2, 3, 10]}, 4, math.sqrt(12.5) / 4),
    ],
)
def test_sample_mean_and_cv(spec: dict, mean: float, cv: float) -> None:
    dist = ADAPTER.validate_python(spec)
    assert dist.mean_value() == pytest.approx(mean)
    x = dist.sample(np.random.default_rng(3), N)
    se = max(cv * mean, 1e-12) / math.sqrt(N)
    assert abs(x.mean() - mean) < 5 * se
    if cv > 0:
        assert x.std() / x.mean() == pytest.approx(cv, rel=0.05)
    assert (x >= 0).all()


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "exponential", "mean": -1},
        {"dist": "lognormal", "mean": 5},
        {"dist": "weibull", "mean": 5},
        {"dist": "empirical", "values": []},
        {"dist": "uniform", "low": 5, "high": 1},
    ],
)
def test_bad_distributions_are_rejected(spec: dict) -> None:
    with pytest.raises(ValidationError):
        ADAPTER.validate_python(spec)


def test_block_sampler_hands_out_the_stream_in_order_and_scaled() -> None:
    dist = ADAPTER.validate_python({"dist": "exponential", "mean": 60})
    sampler = BlockSampler(dist, np.random.default_rng(9), scale=1 / 60, block=7)
    got = [sampler.next() for _ in range(20)]
    rng = np.random.default_rng(9)
    want = np.concatenate([rng.exponential(60, 7) for _ in range(3)])[:20] / 60
    assert np.allclose(got, want)
