"""A caseload user's stream made by officeq.model.userrng is numpy's default_rng(seed)."""

from __future__ import annotations

import numpy as np

from officeq.config.distributions import Empirical, Exponential, Fixed, Gamma, LogNormal, Uniform
from officeq.model.userrng import user_rng, user_rngs

EDGES = [0, 1, 5, 2**32 - 1, 2**32, 2**32 + 1, 2**63 - 1, 2**64 - 1]


def seeds() -> list[int]:
    drawn = np.random.default_rng(20261129).integers(0, 2**63, 2000)
    return [int(s) for s in drawn] + EDGES


def same(a: np.random.Generator, b: np.random.Generator) -> bool:
    if a.bit_generator.state != b.bit_generator.state:
        return False
    return a.lognormal(1.0, 0.4, 3).tolist() == b.lognormal(1.0, 0.4, 3).tolist()


def test_one_seed_gives_default_rng() -> None:
    assert all(same(user_rng(s), np.random.default_rng(s)) for s in seeds())


def test_many_seeds_give_default_rng_each() -> None:
    all_seeds = seeds()
    made = user_rngs(np.array(all_seeds, dtype=np.uint64))
    assert len(made) == len(all_seeds)
    assert all(same(g, np.random.default_rng(s)) for g, s in zip(made, all_seeds, strict=True))
    drawn = np.random.default_rng(3).integers(0, 2**63, 50)  # int64, as populate draws them
    pairs = zip(user_rngs(drawn), drawn, strict=True)
    assert all(same(g, np.random.default_rng(int(s))) for g, s in pairs)
    assert user_rngs(np.array([], dtype=np.int64)) == []


def test_one_draw_is_the_first_of_a_sample() -> None:
    dists = [
        Exponential(mean=3.0),
        LogNormal(mean=60.0, cv=0.4),
        Gamma(mean=20.0, cv=0.7),
        Gamma(mean=20.0, cv=2.0),
        Fixed(value=42.0),
        Uniform(low=1.0, high=4.0),
        Empirical(values=(1.0, 2.5, 7.0)),
    ]
    for dist in dists:
        a, b = np.random.default_rng(11), np.random.default_rng(11)
        ones = [dist.one(a) for _ in range(200)]
        samples = [float(dist.sample(b, 1)[0]) for _ in range(200)]
        assert ones == samples, dist
        assert a.random() == b.random()  # the stream moved on alike
