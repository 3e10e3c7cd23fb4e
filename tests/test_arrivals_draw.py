"""The arrival sampler's cached draw is numpy's ``rng.choice`` with ``p``, exactly."""

import numpy as np
import pytest


@pytest.mark.parametrize("seed", range(20))
def test_cdf_lookup_is_rng_choice(seed: int) -> None:
    shape = np.random.default_rng(seed)
    expected = shape.random(int(shape.integers(1, 40))) * 50
    expected[shape.random(expected.size) < 0.2] = 0.0
    if expected.sum() == 0:
        expected[0] = 1.0
    total = float(expected.sum())
    n = int(shape.integers(1, 5000))
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    want = a.choice(expected.size, size=n, p=expected / total)
    cdf = (expected / total).cumsum()
    cdf /= cdf[-1]
    got = cdf.searchsorted(b.random(n), side="right")
    assert np.array_equal(want, got)
    assert a.random() == b.random()  # the stream is left in the same place
