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


# ------------------------------------------------------------------ Adam


def test_adam_first_and_second_step_by_hand():
    from rnncourse import adam_step

    params = {"w": np.array([1.0, -2.0])}
    w_object = params["w"]
    lr, k1, k2, off = 0.1, 0.9, 0.999, 1e-8
    # Step 1, g = (0.5, -0.1): g_mean = 0.1 g, g2_mean = 0.001 g^2; the corrections divide by
    # 1 - 0.9 = 0.1 and 1 - 0.999 = 0.001, so g_hat = g, g2_hat = g^2 and w moves by lr * sign(g).
    state = adam_step(params, {"w": np.array([0.5, -0.1])}, {}, lr=lr, kappa1=k1, kappa2=k2, offset=off)
    assert params["w"] is w_object
    assert state["step"] == 1
    np.testing.assert_allclose(state["g_mean"]["w"], [0.05, -0.01], rtol=1e-15)
    np.testing.assert_allclose(state["g2_mean"]["w"], [2.5e-4, 1e-5], rtol=1e-14)
    np.testing.assert_allclose(params["w"], [1.0 - 0.1 * 0.5 / (0.5 + off), -2.0 + 0.1 * 0.1 / (0.1 + off)], rtol=1e-15)
    # Step 2, g = (0.2, 0.3), first entry written out:
    #   g_mean = 0.9 * 0.05 + 0.1 * 0.2 = 0.065,   g2_mean = 0.999 * 2.5e-4 + 0.001 * 0.04 = 2.8975e-4
    #   g_hat = 0.065 / (1 - 0.81) = 0.342105...,  g2_hat = 2.8975e-4 / (1 - 0.998001) = 0.144947...
    #   w = 0.9 - 0.1 * 0.342105 / (0.380719 + 1e-8) = 0.810142...
    w1 = params["w"].copy()
    same = adam_step(params, {"w": np.array([0.2, 0.3])}, state, lr=lr, kappa1=k1, kappa2=k2, offset=off)
    assert same is state and state["step"] == 2
    np.testing.assert_allclose(state["g_mean"]["w"], [0.065, 0.9 * -0.01 + 0.1 * 0.3], rtol=1e-14)
    np.testing.assert_allclose(state["g2_mean"]["w"], [2.8975e-4, 0.999 * 1e-5 + 0.001 * 0.09], rtol=1e-14)
    g_hat = np.array([0.065, 0.021]) / (1 - 0.81)
    g2_hat = np.array([2.8975e-4, 0.999 * 1e-5 + 0.001 * 0.09]) / (1 - 0.999**2)
    np.testing.assert_allclose(params["w"], w1 - lr * g_hat / (np.sqrt(g2_hat) + off), rtol=1e-14)
    assert abs(params["w"][0] - 0.810142) < 1e-6


def test_adam_default_hyperparameters_state_none_and_float32():
    from rnncourse import adam_step

    params = {"U": np.ones((2, 3), dtype=np.float32), "b": np.zeros(2, dtype=np.float32)}
    grads = {"U": np.full((2, 3), -4.0, dtype=np.float32), "b": np.array([1.0, 0.0], dtype=np.float32)}
    state = adam_step(params, grads, None)
    assert params["U"].dtype == np.float32 and state["g_mean"]["U"].dtype == np.float32
    np.testing.assert_allclose(params["U"], 1 + 1e-3, rtol=1e-6)  # the first step moves by lr = 1e-3
    np.testing.assert_allclose(params["b"], [-1e-3, 0.0], atol=1e-9)  # a zero gradient does not move


def test_adam_minimises_a_convex_quadratic():
    from rnncourse import adam_step

    rng = np.random.default_rng(0)
    M = rng.normal(size=(4, 4))
    A = M @ M.T + np.eye(4)
    w_star = rng.normal(size=4)
    params, state = {"w": np.zeros(4)}, {}
    for _ in range(3000):
        adam_step(params, {"w": A @ (params["w"] - w_star)}, state, lr=0.01)
    np.testing.assert_allclose(params["w"], w_star, atol=1e-3)


def test_adam_step_bad_input():
    from rnncourse import adam_step

    p, g = {"w": np.zeros(2)}, {"w": np.zeros(2)}
    with pytest.raises(ValueError, match=r"lr must be a positive number, got -1"):
        adam_step(p, g, {}, lr=-1)
    with pytest.raises(ValueError, match=r"kappa1 must be a number in \[0, 1\), got 1.0"):
        adam_step(p, g, {}, kappa1=1.0)
    with pytest.raises(ValueError, match=r"kappa2 must be a number in \[0, 1\)"):
        adam_step(p, g, {}, kappa2=-0.1)
    with pytest.raises(ValueError, match=r"offset must be a number >= 0"):
        adam_step(p, g, {}, offset=-1e-8)
    with pytest.raises(ValueError, match=r"state must be a dict"):
        adam_step(p, g, [])
    with pytest.raises(ValueError, match=r"state must be the dict a previous adam_step call returned"):
        adam_step(p, g, {"m": 1})
    with pytest.raises(ValueError, match=r"grads\['w'\] has shape \(3,\)"):
        adam_step(p, {"w": np.zeros(3)}, {})
