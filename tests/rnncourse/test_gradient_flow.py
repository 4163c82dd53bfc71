"""Tests for rnncourse.gradient_flow: Jacobian products through time and clipping with the norm.

The norms of the Jacobian products are checked against finite differences of the
remaining steps (of tanh and of logistic units, in float64), the bound's factor per step
against finite differences of the unit and the chapter's inequality chain, and clipping
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
    spectral_radius,
)


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


UNIT = {"tanh": np.tanh, "logistic": _sigmoid}


def _network(seed, unit, N=2, T=7, D=3, H=4):
    """A simple RNN of the given units, with its states computed here (not by rnncourse's forward pass)."""
    rng = np.random.default_rng(seed)
    # logistic slopes are at most 1/4: larger weights keep the products of order 1
    scale = 0.8 if unit == "tanh" else 2.5
    U, W, b = rng.normal(size=(H, D)), rng.normal(size=(H, H)) * scale, rng.normal(size=H) * 0.3
    X = rng.normal(size=(N, T, D))
    h0 = rng.uniform(-1, 1, (N, H)) if unit == "tanh" else rng.uniform(0, 1, (N, H))
    phi, states, h = UNIT[unit], [], h0
    for t in range(T):
        h = phi(b + h @ W.T + X[:, t] @ U.T)
        states.append(h)
    return X, h0, U, W, b, np.stack(states, axis=1)


@pytest.mark.parametrize("unit", ["tanh", "logistic"])
@pytest.mark.parametrize("seed", [0, 1])
def test_norms_match_finite_differences_and_stay_below_the_bound(seed, unit):
    X, h0, U, W, b, Hs = _network(seed, unit)
    N, T, H = Hs.shape
    Hs_before, W_before = Hs.copy(), W.copy()
    rho, norms, bounds = jacobian_product_norms(Hs, W, unit)
    np.testing.assert_array_equal(Hs, Hs_before)
    np.testing.assert_array_equal(W, W_before)
    assert isinstance(rho, float) and rho == pytest.approx(spectral_radius(W), rel=1e-12)
    assert norms.shape == bounds.shape == (N, T) and norms.dtype == bounds.dtype == np.float64
    np.testing.assert_allclose(norms[:, -1], 1.0)
    np.testing.assert_allclose(bounds[:, -1], 1.0)
    phi = UNIT[unit]

    def last(n, t, v):
        for s in range(t + 1, T):
            v = phi(b + W @ v + U @ X[n, s])
        return v

    for n in range(N):
        for t in range(T - 1):
            J = np.stack([numerical_gradient(lambda v: last(n, t, v), Hs[n, t].copy(), df=np.eye(H)[i])
                          for i in range(H)])
            assert norms[n, t] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7)
            # the bound's factor for the step t + 1 that follows Hs[n, t]: that step's largest slope, by
            # finite differences of the unit at the step's pre-activation
            eps = 1e-6
            a = b + W @ Hs[n, t] + U @ X[n, t + 1]
            slope = (phi(a + eps) - phi(a - eps)) / (2 * eps)
            factor = slope.max() * np.linalg.norm(W, 2)
            assert bounds[n, t] == pytest.approx(bounds[n, t + 1] * factor, rel=1e-8)
    # the chapter's chain: norm <= prod of (largest slope x ||W||_2) <= (phi'_max ||W||_2)^k
    k = T - 1 - np.arange(T)
    largest = {"tanh": 1.0, "logistic": 0.25}[unit]
    assert np.all(norms <= bounds * (1 + 1e-12))
    assert np.all(bounds <= (largest * np.linalg.norm(W, 2)) ** k * (1 + 1e-12))
    assert np.any(norms[:, :-1] < bounds[:, :-1] * (1 - 1e-3))  # H = 4: the bound is not reached


def test_logistic_differs_from_tanh_on_the_same_states():
    """The same states in (0, 1) read as logistic or as tanh units give other slopes, hence other norms."""
    *_, W, _, Hs = _network(3, "logistic")
    _, norms_logistic, bounds_logistic = jacobian_product_norms(Hs, W, "logistic")
    _, norms_tanh, bounds_tanh = jacobian_product_norms(Hs, W, "tanh")
    assert np.all(norms_logistic[:, :-1] < norms_tanh[:, :-1])
    assert np.all(bounds_logistic[:, :-1] < bounds_tanh[:, :-1])


def test_zero_states_give_the_powers_of_W():
    W = np.array([[0.5, 2.0], [0.0, 0.5]])  # not normal: ||W^k|| < ||W||^k
    rho, norms, bounds = jacobian_product_norms(np.zeros((1, 5, 2)), W, "tanh")
    powers = [np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(4, -1, -1)]
    np.testing.assert_allclose(norms[0], powers, rtol=1e-12)
    np.testing.assert_allclose(bounds[0], np.linalg.norm(W, 2) ** np.arange(4, -1, -1), rtol=1e-12)
    assert rho == pytest.approx(0.5)
    assert np.all(norms[0, :-2] < bounds[0, :-2])  # strictly below from two steps on (one step: ||W||_2 itself)
    # logistic units at 1/2 (zero pre-activations) all have the slope 1/4: the powers of W / 4
    rho, norms, bounds = jacobian_product_norms(np.full((1, 5, 2), 0.5), W, "logistic")
    np.testing.assert_allclose(norms[0], powers * 0.25 ** np.arange(4, -1, -1), rtol=1e-12)
    np.testing.assert_allclose(bounds[0], (np.linalg.norm(W, 2) / 4) ** np.arange(4, -1, -1), rtol=1e-12)


def test_jacobian_product_norms_one_step_and_bad_input():
    for unit in ("tanh", "logistic"):
        rho, norms, bounds = jacobian_product_norms(np.array([[[0.3]]]), np.array([[-1.5]]), unit)
        assert rho == 1.5 and norms.tolist() == [[1.0]] and bounds.tolist() == [[1.0]]
    with pytest.raises(ValueError, match=r"W has shape \(3, 3\)"):
        jacobian_product_norms(np.zeros((1, 2, 2)), np.eye(3), "tanh")
    with pytest.raises(ValueError, match="Hs"):
        jacobian_product_norms(np.zeros((2, 2)), np.eye(2), "tanh")
    with pytest.raises(ValueError, match="unit must be one of"):
        jacobian_product_norms(np.zeros((1, 2, 2)), np.eye(2), "sigmoid")


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
