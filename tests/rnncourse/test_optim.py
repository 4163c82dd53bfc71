"""Tests for rnncourse.optim: gradient descent updates in place and lowers a convex loss."""

import numpy as np
import pytest

from rnncourse import sgd_step


def test_sgd_step_updates_in_place_and_returns_none():
    params = {"w": np.array([1.0, -2.0]), "b": np.array([0.5])}
    w_object = params["w"]
    assert sgd_step(params, {"w": np.array([0.5, 1.0]), "b": np.array([-1.0])}, 0.1) is None
    assert params["w"] is w_object  # the same array, updated
    np.testing.assert_allclose(params["w"], [0.95, -2.1], rtol=1e-15)
    np.testing.assert_allclose(params["b"], [0.6], rtol=1e-15)


def test_sgd_lowers_a_convex_quadratic_to_its_minimum():
    # L(w) = 1/2 (w - w*)^T A (w - w*) with A positive definite; gradient A (w - w*).
    rng = np.random.default_rng(0)
    M = rng.normal(size=(4, 4))
    A = M @ M.T + np.eye(4)
    w_star = rng.normal(size=4)
    params = {"w": np.zeros(4)}
    lr = 1.0 / np.linalg.eigvalsh(A).max()  # a safe step: below 2 / largest curvature
    losses = []
    for _ in range(500):
        r = params["w"] - w_star
        losses.append(0.5 * r @ A @ r)
        sgd_step(params, {"w": A @ r}, lr)
    assert all(b <= a for a, b in zip(losses, losses[1:]))  # monotone for this step size
    np.testing.assert_allclose(params["w"], w_star, atol=1e-6)


def test_sgd_step_bad_input():
    p = {"w": np.zeros(2)}
    with pytest.raises(ValueError, match=r"lr must be a positive number, got 0"):
        sgd_step(p, {"w": np.zeros(2)}, 0)
    with pytest.raises(ValueError, match=r"lr must be a positive number, got '0.1'"):
        sgd_step(p, {"w": np.zeros(2)}, "0.1")
    with pytest.raises(ValueError, match=r"grads has keys \['v'\] but params has keys \['w'\]"):
        sgd_step(p, {"v": np.zeros(2)}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['w'\] has shape \(3,\), expected params\['w'\]'s shape \(2,\)"):
        sgd_step(p, {"w": np.zeros(3)}, 0.1)
    with pytest.raises(ValueError, match=r"params\['w'\] must be a float numpy array"):
        sgd_step({"w": [0.0, 1.0]}, {"w": np.zeros(2)}, 0.1)
    with pytest.raises(ValueError, match=r"params must be a dict"):
        sgd_step([np.zeros(2)], {"w": np.zeros(2)}, 0.1)
