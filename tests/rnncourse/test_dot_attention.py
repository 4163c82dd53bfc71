"""Tests for rnncourse.dot_attention: dot-product attention end to end, and its backward pass.

The forward pass is compared with loops written here over (n, t, j), one score at a time, with
math.exp; the backward pass with centred differences in float64 (relative error < 1e-7), with
and without the scale, the mask and the single-step form. Shapes are all different (N = 2,
T_y = 3, T_x = 4, H_a = 5, H_v = 6), so a transposed product or a sum over the wrong axis fails.
"""

import math

import numpy as np
import pytest

from rnncourse import dot_product_attention, dot_product_attention_backward, numerical_gradient, relative_error

TOL = 1e-7
N, T_y, T_x, H_a, H_v = 2, 3, 4, 5, 6
MASK = np.array([[True, False, True, True], [False, True, True, False]])


@pytest.fixture
def arrays():
    rng = np.random.default_rng(11)
    return rng.normal(size=(N, T_y, H_a)), rng.normal(size=(N, T_x, H_a)), rng.normal(size=(N, T_x, H_v))


def naive(q, k, v, scaled, mask):
    s = math.sqrt(H_a) if scaled else 1.0
    Ms, alpha = np.zeros((N, T_y, H_v)), np.zeros((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            keep = [j for j in range(T_x) if mask is None or mask[n, j]]
            scores = {j: sum(q[n, t, i] * k[n, j, i] for i in range(H_a)) / s for j in keep}
            top = max(scores.values())
            total = sum(math.exp(e - top) for e in scores.values())
            for j in keep:
                alpha[n, t, j] = math.exp(scores[j] - top) / total
                Ms[n, t] += alpha[n, t, j] * v[n, j]
    return Ms, alpha


@pytest.mark.parametrize("scaled", [False, True])
@pytest.mark.parametrize("masked", [False, True])
def test_forward_matches_loops(arrays, scaled, masked):
    mask = MASK if masked else None
    Ms, alpha = dot_product_attention(*arrays, scaled, mask)
    expected_Ms, expected_alpha = naive(*arrays, scaled, mask)
    np.testing.assert_allclose(alpha, expected_alpha, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Ms, expected_Ms, rtol=1e-12, atol=1e-14)
    one = dot_product_attention(arrays[0][:, 1], *arrays[1:], scaled, mask)
    np.testing.assert_allclose(one[0], Ms[:, 1], rtol=1e-12)
    np.testing.assert_allclose(one[1], alpha[:, 1], rtol=1e-12)


def test_forward_is_stable_for_scores_beyond_exps_range(arrays):
    q, k, v = arrays
    Ms, alpha = dot_product_attention(300 * q, k, v)
    assert np.isfinite(Ms).all() and np.allclose(alpha.sum(axis=2), 1)


@pytest.mark.parametrize("scaled", [False, True])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("single", [False, True])
def test_backward_matches_finite_differences(arrays, scaled, masked, single):
    q, k, v = arrays
    if single:
        q = q[:, 0].copy()
    mask = MASK if masked else None
    Ms, _ = dot_product_attention(q, k, v, scaled, mask)
    dMs = np.random.default_rng(12).normal(size=Ms.shape)
    grads = dot_product_attention_backward(dMs, q, k, v, scaled, mask)
    f = lambda _: dot_product_attention(q, k, v, scaled, mask)[0]  # noqa: E731
    for g, x in zip(grads, (q, k, v)):
        assert g.shape == x.shape
        assert relative_error(g, numerical_gradient(f, x, dMs)) < TOL
    if masked:
        assert np.all(grads[1][~MASK] == 0) and np.all(grads[2][~MASK] == 0)


def test_bad_inputs_name_the_argument(arrays):
    q, k, v = arrays
    with pytest.raises(ValueError, match="keys"):
        dot_product_attention(q, k[:, :, :3], v)
    with pytest.raises(ValueError, match="values"):
        dot_product_attention(q, k, v[:, :3])
    with pytest.raises(ValueError, match="dMs"):
        dot_product_attention_backward(np.zeros((N, T_y, H_v + 1)), q, k, v)
