"""Tests for rnncourse.ntm_memory: one step of the NTM's memory, the write and then the read.

Compared with loops over examples, slots and entries written here; shapes all differ (N = 2,
S = 5, M = 3), so a read over the wrong axis or with the wrong weighting fails.
"""

import numpy as np
import pytest

from rnncourse import memory_step


def test_memory_step_writes_then_reads_the_new_memory():
    rng = np.random.default_rng(5)
    N, S, M = 2, 5, 3
    memory, w_write, w_read = rng.normal(size=(N, S, M)), rng.dirichlet(np.ones(S), N), rng.dirichlet(np.ones(S), N)
    u, v = rng.uniform(0, 1, (N, M)), rng.normal(size=(N, M))
    before = memory.copy()
    new, m = memory_step(memory, w_write, u, v, w_read)
    expected = np.zeros((N, S, M))
    read = np.zeros((N, M))
    for n in range(N):
        for i in range(S):
            for j in range(M):
                expected[n, i, j] = memory[n, i, j] * (1 - w_write[n, i] * u[n, j]) + w_write[n, i] * v[n, j]
                read[n, j] += w_read[n, i] * expected[n, i, j]
    np.testing.assert_allclose(new, expected, rtol=1e-13)
    np.testing.assert_allclose(m, read, rtol=1e-13)
    np.testing.assert_array_equal(memory, before)


def test_memory_step_rejects_mismatched_weightings():
    memory = np.zeros((2, 4, 3))
    with pytest.raises(ValueError):
        memory_step(memory, np.full((2, 4), 0.25), np.zeros((2, 3)), np.zeros((2, 3)), np.full((2, 5), 0.2))
