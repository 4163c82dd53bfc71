"""Tests for rnncourse.leaky: values against independent computations, the backward
pass against centred finite differences (float64, relative error < 1e-7), bad input."""

import math

import numpy as np
import pytest

from rnncourse import leaky_rnn_backward, leaky_rnn_forward, numerical_gradient, relative_error, rnn_forward

TOL = 1e-7


def params(rng, D, H):
    return rng.normal(0, 1, (H, D)), rng.normal(0, 1 / math.sqrt(H), (H, H)), rng.normal(0, 0.5, H)


def test_gamma_one_is_the_vanilla_rnn():
    rng = np.random.default_rng(0)
    U, W, b = params(rng, 3, 4)
    X, h0 = rng.normal(size=(2, 5, 3)), rng.uniform(-1, 1, (2, 4))
    np.testing.assert_allclose(leaky_rnn_forward(X, h0, U, W, b, 1.0), rnn_forward(X, h0, U, W, b), rtol=0, atol=1e-15)


def test_scalar_unit_by_hand():
    # H = D = 1, gamma = 4: h1 = 0.75 * 0.2 + 0.25 * tanh(0.1 + 0.5 * 0.2 + 2.0 * 1.0)
    h1 = 0.75 * 0.2 + 0.25 * math.tanh(0.1 + 0.5 * 0.2 + 2.0)
    h2 = 0.75 * h1 + 0.25 * math.tanh(0.1 + 0.5 * h1 + 2.0 * -1.0)
    Hs = leaky_rnn_forward(np.array([[[1.0], [-1.0]]]), np.array([[0.2]]), np.array([[2.0]]), np.array([[0.5]]),
                           np.array([0.1]), 4)
    np.testing.assert_allclose(Hs[0, :, 0], [h1, h2], rtol=1e-14)


def test_per_unit_gamma_and_impulse_decay():
    # With W = 0, b = 0 and a single input pulse, unit i decays like (1 - 1/gamma_i)^t.
    gamma = np.array([1.0, 2.0, 10.0])
    X = np.zeros((1, 8, 1))
    X[0, 0, 0] = 1.0
    Hs = leaky_rnn_forward(X, np.zeros((1, 3)), np.ones((3, 1)), np.zeros((3, 3)), np.zeros(3), gamma)
    t = np.arange(8)[:, None]
    np.testing.assert_allclose(Hs[0], math.tanh(1.0) / gamma * (1 - 1 / gamma) ** t, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("N, T, D, H, gamma", [(1, 1, 1, 1, 1.0), (2, 1, 3, 2, 3.0), (1, 6, 2, 3, "vector"),
                                               (3, 5, 2, 4, 1.5), (2, 4, 3, 5, 20.0)])
def test_backward_against_finite_differences(N, T, D, H, gamma):
    rng = np.random.default_rng(N * 100 + T * 10 + H)
    U, W, b = params(rng, D, H)
    g = rng.uniform(1, 8, H) if gamma == "vector" else gamma
    X, h0, dHs = rng.normal(size=(N, T, D)), rng.uniform(-1, 1, (N, H)), rng.normal(size=(N, T, H))
    Hs = leaky_rnn_forward(X, h0, U, W, b, g)
    grads = leaky_rnn_backward(dHs, X, h0, Hs, U, W, g)
    f = lambda _: leaky_rnn_forward(X, h0, U, W, b, g)  # noqa: E731
    for name, got, var in zip(["dX", "dh0", "dU", "dW", "db"], grads, [X, h0, U, W, b]):
        num = numerical_gradient(f, var, dHs)
        assert got.shape == var.shape, name
        assert relative_error(got, num) < TOL, (name, relative_error(got, num))


def test_backward_gamma_one_equals_rnn_backward():
    from rnncourse import rnn_backward

    rng = np.random.default_rng(3)
    U, W, b = params(rng, 2, 3)
    X, h0, dHs = rng.normal(size=(2, 4, 2)), rng.uniform(-1, 1, (2, 3)), rng.normal(size=(2, 4, 3))
    Hs = rnn_forward(X, h0, U, W, b)
    for got, want in zip(leaky_rnn_backward(dHs, X, h0, Hs, U, W, 1), rnn_backward(dHs, X, h0, Hs, U, W)):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("gamma, match", [(0.5, "gamma"), (np.array([1.0, 0.9]), "gamma"), (np.ones(3), "gamma"),
                                          (float("nan"), "gamma"), ("2", "gamma")])
def test_bad_gamma(gamma, match):
    rng = np.random.default_rng(0)
    U, W, b = params(rng, 1, 2)
    with pytest.raises(ValueError, match=match):
        leaky_rnn_forward(np.zeros((1, 2, 1)), np.zeros((1, 2)), U, W, b, gamma)


def test_bad_shapes_name_the_argument():
    rng = np.random.default_rng(0)
    U, W, b = params(rng, 3, 2)
    X, h0 = np.zeros((1, 2, 3)), np.zeros((1, 2))
    with pytest.raises(ValueError, match="U has shape"):
        leaky_rnn_forward(X, h0, U.T, W, b, 2.0)
    with pytest.raises(ValueError, match="h0 has shape"):
        leaky_rnn_forward(X, np.zeros((2, 2)), U, W, b, 2.0)
    with pytest.raises(ValueError, match="b has shape"):
        leaky_rnn_forward(X, h0, U, W, np.zeros(3), 2.0)
    with pytest.raises(ValueError, match="X has shape"):
        leaky_rnn_forward(np.zeros((1, 0, 3)), h0, U, W, b, 2.0)
    with pytest.raises(ValueError, match="dHs has shape"):
        leaky_rnn_backward(np.zeros((1, 3, 2)), X, h0, np.zeros((1, 2, 2)), U, W, 2.0)
    with pytest.raises(ValueError, match="Hs has shape"):
        leaky_rnn_backward(np.zeros((1, 2, 2)), X, h0, np.zeros((1, 2, 3)), U, W, 2.0)


# ------------------------------------------------------------------ skip connections through time

from rnncourse import skip_rnn_forward, skip_rnn_state_jacobians  # noqa: E402


def test_skip_without_the_skip_weights_is_the_vanilla_rnn_and_delay_one_adds_the_weights():
    rng = np.random.default_rng(1)
    U, W, b = params(rng, 3, 4)
    W_d = rng.normal(0, 0.3, (4, 4))
    X, h0 = rng.normal(size=(2, 6, 3)), rng.uniform(-1, 1, (2, 4))
    np.testing.assert_allclose(skip_rnn_forward(X, h0, U, W, np.zeros((4, 4)), b, 3), rnn_forward(X, h0, U, W, b),
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(skip_rnn_forward(X, h0, U, W, W_d, b, 1), rnn_forward(X, h0, U, W + W_d, b),
                               rtol=1e-14, atol=1e-15)


def test_skip_by_hand_reads_h0_after_d_steps_and_zeros_before():
    # H = D = 1, d = 2: h1 = tanh(b + w h0 + u x1); h2 = tanh(b + w h1 + v h0 + u x2); h3 = tanh(b + w h2 + v h1 + u x3)
    w, v, u, b, h0 = 0.5, -0.7, 1.5, 0.1, 0.3
    x = [0.2, -1.0, 0.4]
    h1 = math.tanh(b + w * h0 + u * x[0])
    h2 = math.tanh(b + w * h1 + v * h0 + u * x[1])
    h3 = math.tanh(b + w * h2 + v * h1 + u * x[2])
    Hs = skip_rnn_forward(np.array(x).reshape(1, 3, 1), np.array([[h0]]), np.array([[u]]), np.array([[w]]),
                          np.array([[v]]), np.array([b]), 2)
    np.testing.assert_allclose(Hs[0, :, 0], [h1, h2, h3], rtol=1e-15)


@pytest.mark.parametrize("d", [1, 3, 5])
def test_skip_state_jacobians_match_finite_differences(d):
    rng = np.random.default_rng(d)
    N, T, D, H = 2, 8, 2, 4
    U, W, b = params(rng, D, H)
    W_d = rng.normal(0, 0.5, (H, H))
    X, h0 = rng.normal(size=(N, T, D)), rng.uniform(-1, 1, (N, H))
    J = skip_rnn_state_jacobians(X, h0, U, W, W_d, b, d)
    assert J.shape == (N, T + 1, H, H)
    np.testing.assert_array_equal(J[:, 0], np.broadcast_to(np.eye(H), (N, H, H)))
    for n in range(N):
        for t in (1, d, T):
            num = np.stack([numerical_gradient(lambda v: skip_rnn_forward(X[n:n + 1], v, U, W, W_d, b, d)[0, t - 1, i],
                                               h0[n:n + 1].copy())[0] for i in range(H)])
            assert relative_error(J[n, t], num) < TOL


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"d": 0}, "d must be an int >= 1"),
        ({"d": 2.0}, "d must be an int >= 1"),
        ({"W_d": np.zeros((3, 3))}, r"W_d has shape \(3, 3\), expected \(H, H\)"),
    ],
)
def test_skip_rejects_bad_input_naming_the_argument(kwargs, match):
    rng = np.random.default_rng(0)
    U, W, b = params(rng, 2, 4)
    args = {"X": rng.normal(size=(1, 3, 2)), "h0": np.zeros((1, 4)), "U": U, "W": W, "W_d": np.zeros((4, 4)),
            "b": b, "d": 2}
    with pytest.raises(ValueError, match=match):
        skip_rnn_forward(**{**args, **kwargs})
