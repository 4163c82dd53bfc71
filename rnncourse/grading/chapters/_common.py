"""Helpers shared by the chapters' case generators."""

from __future__ import annotations

import numpy as np


def rnn_params(rng, D, H, K=None, scale=1.0):
    """Random RNN parameters U (H, D), W (H, H), b (H,) and, with K, V (K, H), c (K,)."""
    p = {
        "U": rng.normal(0, scale / np.sqrt(D), (H, D)),
        "W": rng.normal(0, scale / np.sqrt(H), (H, H)),
        "b": rng.normal(0, 0.5, H),
    }
    if K is not None:
        p["V"] = rng.normal(0, 1 / np.sqrt(H), (K, H))
        p["c"] = rng.normal(0, 0.5, K)
    return p


def pick(i):
    """Picks output i of a tuple result (for the finite-difference checks)."""
    return lambda out: out[i]
