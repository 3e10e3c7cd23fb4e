"""The model's weighted draws (model.sampling.choice_cdf) are numpy's ``rng.choice`` with
``p``, exactly: the same indices from the same random numbers."""

from bisect import bisect_right

import numpy as np
import pytest

from officeq.model.sampling import choice_cdf


@pytest.mark.parametrize("seed", range(20))
def test_cdf_lookup_is_rng_choice(seed: int) -> None:
    shape = np.random.default_rng(seed)
    expected = shape.random(int(shape.integers(1, 40))) * 50
    expected[shape.random(expected.size) < 0.2] = 0.0
    if expected.sum() == 0:
        expected[0] = 1.0
    p = expected / float(expected.sum())
    n = int(shape.integers(1, 5000))
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    want = a.choice(p.size, size=n, p=p)
    cdf = choice_cdf(p)
    got = cdf.searchsorted(b.random(n), side="right")  # as ArrivalPattern.sample_day draws
    assert np.array_equal(want, got)
    assert a.random() == b.random()  # the stream is left in the same place
    one = [int(a.choice(p.size, p=p)) for _ in range(200)]
    table = cdf.tolist()
    assert one == [bisect_right(table, b.random()) for _ in range(200)]  # as Caseload draws
