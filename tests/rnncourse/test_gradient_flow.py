"""Tests for rnncourse.gradient_flow: Jacobian products through time and clipping with the norm.

The norms of the Jacobian products are checked against finite differences of the
remaining steps, the bound against the chapter's inequality chain, and clipping
against the separate functions of rnncourse.optim.
"""

import numpy as np
import pytest

from rnncourse import (
    clip_by_norm,
    clip_gradients,
    global_norm,
    jacobian_product_norms,
    numerical_gradient,
    rnn_forward,
    spectral_radius,
)


def _network(seed, N=2, T=7, D=3, H=4, scale=0.8):
    rng = np.random.default_rng(seed)
    U, W, b = rng.normal(size=(H, D)), rng.normal(size=(H, H)) * scale, rng.normal(size=H) * 0.3
    X, h0 = rng.normal(size=(N, T, D)), rng.uniform(-1, 1, (N, H))
    return X, h0, U, W, b, rnn_forward(X, h0, U, W, b)


@pytest.mark.parametrize("seed", [0, 1])
def test_norms_match_finite_differences_and_stay_below_the_bound(seed):
    X, h0, U, W, b, Hs = _network(seed)
    N, T, H = Hs.shape
    Hs_before, W_before = Hs.copy(), W.copy()
    rho, norms, bounds = jacobian_product_norms(Hs, W)
    np.testing.assert_array_equal(Hs, Hs_before)
    np.testing.assert_array_equal(W, W_before)
    assert isinstance(rho, float) and rho == pytest.approx(spectral_radius(W), rel=1e-12)
    assert norms.shape == bounds.shape == (N, T)
    np.testing.assert_allclose(norms[:, -1], 1.0)
    np.testing.assert_allclose(bounds[:, -1], 1.0)

    def last(n, t, v):
        for s in range(t + 1, T):
            v = np.tanh(b + W @ v + U @ X[n, s])
        return v

    for n in range(N):
        for t in range(T - 1):
            J = np.stack([numerical_gradient(lambda v: last(n, t, v), Hs[n, t].copy(), df=np.eye(H)[i])
                          for i in range(H)])
            assert norms[n, t] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7)
    # the chapter's chain: norm <= prod of (largest slope x ||W||_2) <= ||W||_2^k
    k = T - 1 - np.arange(T)
    assert np.all(norms <= bounds * (1 + 1e-12)) and np.all(bounds <= np.linalg.norm(W, 2) ** k * (1 + 1e-12))


def test_zero_states_give_the_powers_of_W():
    W = np.array([[0.5, 2.0], [0.0, 0.5]])  # not normal: ||W^k|| < ||W||^k
    rho, norms, bounds = jacobian_product_norms(np.zeros((1, 5, 2)), W)
    powers = [np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(4, -1, -1)]
    np.testing.assert_allclose(norms[0], powers, rtol=1e-12)
    np.testing.assert_allclose(bounds[0], np.linalg.norm(W, 2) ** np.arange(4, -1, -1), rtol=1e-12)
    assert rho == pytest.approx(0.5)
    assert np.all(norms[0, :-2] < bounds[0, :-2])  # strictly below from two steps on (one step: ||W||_2 itself)


def test_jacobian_product_norms_one_step_and_bad_input():
    rho, norms, bounds = jacobian_product_norms(np.array([[[0.3]]]), np.array([[-1.5]]))
    assert rho == 1.5 and norms.tolist() == [[1.0]] and bounds.tolist() == [[1.0]]
    with pytest.raises(ValueError, match=r"W has shape \(3, 3\)"):
        jacobian_product_norms(np.zeros((1, 2, 2)), np.eye(3))
    with pytest.raises(ValueError, match="Hs"):
        jacobian_product_norms(np.zeros((2, 2)), np.eye(2))


def test_clip_gradients_agrees_with_global_norm_and_clip_by_norm():
    rng = np.random.default_rng(3)
    grads = {"U": rng.normal(size=(3, 2)), "W": rng.normal(size=(3, 3)).astype(np.float32), "b": rng.normal(size=3)}
    before = {k: v.copy() for k, v in grads.items()}
    for max_norm in (0.5, global_norm(grads), 100.0):
        clipped, norm = clip_gradients(grads, max_norm)
        assert isinstance(norm, float) and norm == global_norm(grads)
        expected = clip_by_norm(grads, max_norm)
        for k in grads:
            assert clipped[k].dtype == grads[k].dtype and clipped[k] is not grads[k]
            np.testing.assert_array_equal(clipped[k], expected[k])
            np.testing.assert_array_equal(grads[k], before[k])
        assert global_norm(clipped) == pytest.approx(min(norm, max_norm), rel=1e-6)
    zeros, norm = clip_gradients({"W": np.zeros((2, 2))}, 1.0)
    assert norm == 0.0 and not np.any(zeros["W"]) and np.all(np.isfinite(zeros["W"]))
    with pytest.raises(ValueError):
        clip_gradients({"W": np.ones(2)}, 0.0)
    with pytest.raises(ValueError):
        clip_gradients([np.ones(2)], 1.0)
