"""Each caseload user's own random stream, built cheaply: :func:`user_rng`, :func:`user_rngs`.

``np.random.default_rng(seed)`` hashes ``seed`` with a :class:`numpy.random.SeedSequence`
and seeds PCG64 from its ``generate_state(4, uint64)``; most of its ~25 µs is numpy's
Python-level overhead around those two steps, paid once per user. Here the same state
words are computed (the SeedSequence algorithm on 32-bit words: for many seeds at once
with numpy arrays, for one from the SeedSequence's pool) and handed to PCG64 through a
minimal seed sequence, so ``user_rng(seed)`` draws exactly what ``default_rng(seed)``
draws (tests/test_userrng.py compares the two).
"""

from __future__ import annotations

import numpy as np
from numpy.random.bit_generator import ISeedSequence

_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_M32 = 0xFFFFFFFF
_POOL = 4  # SeedSequence's pool size, in 32-bit words
_WORDS = 8  # PCG64 asks for 4 uint64 words: 8 of 32 bits


def _constants(init: int, mult: int, n: int) -> list[int]:
    """The hash constants SeedSequence multiplies by, in turn (they do not depend on data)."""
    out, h = [], init
    for _ in range(n):
        out.append(h)
        h = (h * mult) & _M32
    return out


_A = _constants(_INIT_A, _MULT_A, _POOL + _POOL * (_POOL - 1))
_B = _constants(_INIT_B, _MULT_B, _WORDS)


class _Words(ISeedSequence):
    """A seed sequence that hands PCG64 state words computed already."""

    __slots__ = ("words",)

    def __init__(self, words: np.ndarray) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:  # type: ignore[no-untyped-def]
        return self.words


def _generated(pool: list[int]) -> list[int]:
    """SeedSequence.generate_state(4, uint64) from the pool's four words, as 8 of 32 bits."""
    out = []
    for i in range(_WORDS):
        h = _B[i]
        v = ((pool[i % _POOL] ^ h) * ((h * _MULT_B) & _M32)) & _M32
        out.append(v ^ (v >> 16))
    return out


def _generator(words: list[int]) -> np.random.Generator:
    state = [words[i] | words[i + 1] << 32 for i in range(0, _WORDS, 2)]
    return np.random.Generator(np.random.PCG64(_Words(np.array(state, dtype=np.uint64))))


def user_rng(seed: int) -> np.random.Generator:
    """The generator ``np.random.default_rng(seed)`` would make (``0 <= seed < 2**64``)."""
    pool = np.random.SeedSequence(seed).pool.tolist()
    return _generator(_generated(pool))


def user_rngs(seeds: np.ndarray) -> list[np.random.Generator]:
    """``[user_rng(int(s)) for s in seeds]`` for seeds below ``2**64``, hashed together."""
    seeds = np.asarray(seeds, dtype=np.uint64)
    if seeds.size == 0:
        return []
    m32 = np.uint64(_M32)
    entropy = [(seeds & m32).astype(np.uint32), (seeds >> np.uint64(32)).astype(np.uint32)]
    zero = np.zeros(seeds.size, dtype=np.uint32)
    k = 0  # SeedSequence.mix_entropy on uint32 arrays (they wrap as its C code does)
    mixer = []
    for i in range(_POOL):
        mixer.append(_mix_hash(entropy[i] if i < len(entropy) else zero, _A[k]))
        k += 1
    for src in range(_POOL):
        for dst in range(_POOL):
            if src != dst:
                y = _mix_hash(mixer[src], _A[k])
                k += 1
                r = np.uint32(_MIX_L) * mixer[dst] - np.uint32(_MIX_R) * y
                mixer[dst] = r ^ (r >> np.uint32(16))
    out = []
    for i in range(_WORDS):
        h = _B[i]
        v = (mixer[i % _POOL] ^ np.uint32(h)) * np.uint32((h * _MULT_B) & _M32)
        out.append((v ^ (v >> np.uint32(16))).astype(np.uint64))
    state = np.stack([out[i] | (out[i + 1] << np.uint64(32)) for i in range(0, _WORDS, 2)], 1)
    return [np.random.Generator(np.random.PCG64(_Words(row))) for row in state]


def _mix_hash(v: np.ndarray, h: int) -> np.ndarray:
    """SeedSequence's hashmix on a uint32 array with the constant ``h``."""
    v = (v ^ np.uint32(h)) * np.uint32((h * _MULT_A) & _M32)
    return v ^ (v >> np.uint32(16))
