"""Tests for rnncourse.bptt: every backward pass against centred finite differences.

Each gradient is compared with ``numerical_gradient`` of the corresponding
*forward* function (float64, relative error < 1e-7) for every input and
parameter, on several shapes including N = 1, T = 1 and H = 1. The upstream
gradient is random, so the check covers the whole Jacobian, not one direction.
"""

import math

import numpy as np
import pytest

from rnncourse import (
    numerical_gradient,
    output_backward,
    output_forward,
    relative_error,
    rnn_backward,
    rnn_forward,
    rnn_step_backward,
    rnn_step_forward,
    stacked_rnn_backward,
    stacked_rnn_forward,
)

TOL = 1e-7


def params(rng, D, H, K=2):
    return {
        "U": rng.normal(0, 1, (H, D)),
        "W": rng.normal(0, 1 / math.sqrt(H), (H, H)),
        "b": rng.normal(0, 0.5, H),
        "V": rng.normal(0, 1, (K, H)),
        "c": rng.normal(0, 0.5, K),
    }


def assert_grad(name, analytic, numeric):
    assert analytic.shape == numeric.shape, f"{name}: shape {analytic.shape}, expected {numeric.shape}"
    err = relative_error(analytic, numeric)
    assert err < TOL, f"{name}: relative error {err:.3g} against finite differences"


STEP_SIZES = [(1, 1, 1), (1, 3, 2), (4, 2, 3), (3, 5, 1)]  # (N, D, H)
SEQ_SIZES = [(1, 1, 1, 1), (1, 1, 3, 2), (2, 1, 2, 3), (1, 5, 2, 3), (3, 4, 3, 1), (2, 6, 3, 4)]  # (N, T, D, H)


# ---------------------------------------------------------- rnn_step_backward


@pytest.mark.parametrize("N, D, H", STEP_SIZES)
def test_rnn_step_backward_matches_finite_differences(N, D, H):
    rng = np.random.default_rng(N * 100 + D * 10 + H)
    p = params(rng, D, H)
    x, h_prev = rng.normal(size=(N, D)), rng.uniform(-1, 1, (N, H))
    U, W, b = p["U"], p["W"], p["b"]
    h = rnn_step_forward(x, h_prev, U, W, b)
    dh = rng.normal(size=(N, H))
    dx, dh_prev, dU, dW, db = rnn_step_backward(dh, x, h_prev, h, U, W)
    f = lambda _: rnn_step_forward(x, h_prev, U, W, b)  # noqa: E731  (closes over the perturbed arrays)
    assert_grad("dx", dx, numerical_gradient(f, x, dh))
    assert_grad("dh_prev", dh_prev, numerical_gradient(f, h_prev, dh))
    assert_grad("dU", dU, numerical_gradient(f, U, dh))
    assert_grad("dW", dW, numerical_gradient(f, W, dh))
    assert_grad("db", db, numerical_gradient(f, b, dh))


def test_rnn_step_backward_hand_computed_scalar_case():
    # D = H = 1: h = tanh(b + w h_prev + u x); dL/da = dh (1 - h^2).
    x, h_prev, u, w, b = 2.0, 0.3, 0.5, -1.0, 0.1
    h = math.tanh(b + w * h_prev + u * x)
    da = 1.0 * (1 - h**2)
    out = rnn_step_backward(np.array([[1.0]]), np.array([[x]]), np.array([[h_prev]]), np.array([[h]]),
                            np.array([[u]]), np.array([[w]]))
    expected = [u * da, w * da, x * da, h_prev * da, da]
    for name, got, want in zip(["dx", "dh_prev", "dU", "dW", "db"], out, expected):
        assert math.isclose(float(np.ravel(got)[0]), want, rel_tol=1e-14), name


def test_rnn_step_backward_shapes_and_float32():
    rng = np.random.default_rng(0)
    N, D, H = 3, 4, 5
    args = [rng.normal(size=(N, H)), rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.uniform(-1, 1, (N, H)),
            rng.normal(size=(H, D)), rng.normal(size=(H, H))]
    out = rnn_step_backward(*args)
    assert [o.shape for o in out] == [(N, D), (N, H), (H, D), (H, H), (H,)]
    out32 = rnn_step_backward(*[a.astype(np.float32) for a in args])
    assert all(o.dtype == np.float32 for o in out32)


def test_rnn_step_backward_bad_input():
    rng = np.random.default_rng(0)
    dh, x, hp, h = np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((2, 3))
    U, W = rng.normal(size=(3, 4)), rng.normal(size=(3, 3))
    with pytest.raises(ValueError, match=r"U has shape \(4, 3\), expected \(H, D\) = \(3, 4\)"):
        rnn_step_backward(dh, x, hp, h, U.T, W)
    with pytest.raises(ValueError, match=r"dh has shape \(2, 4\), expected \(N, H\) = \(2, 3\)"):
        rnn_step_backward(np.zeros((2, 4)), x, hp, h, U, W)
    with pytest.raises(ValueError, match=r"h has shape \(1, 3\), expected \(N, H\) = \(2, 3\)"):
        rnn_step_backward(dh, x, hp, np.zeros((1, 3)), U, W)
    with pytest.raises(ValueError, match=r"h_prev must be 2-dimensional"):
        rnn_step_backward(dh, x, np.zeros(3), h, U, W)
    with pytest.raises(ValueError, match=r"x must have a floating-point dtype"):
        rnn_step_backward(dh, np.zeros((2, 4), dtype=int), hp, h, U, W)


# ---------------------------------------------------------- rnn_backward


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
def test_rnn_backward_matches_finite_differences(N, T, D, H):
    rng = np.random.default_rng(1000 * N + 100 * T + 10 * D + H)
    p = params(rng, D, H)
    X, h0 = rng.normal(size=(N, T, D)), rng.uniform(-1, 1, (N, H))
    U, W, b = p["U"], p["W"], p["b"]
    Hs = rnn_forward(X, h0, U, W, b)
    dHs = rng.normal(size=(N, T, H))
    dX, dh0, dU, dW, db = rnn_backward(dHs, X, h0, Hs, U, W)
    f = lambda _: rnn_forward(X, h0, U, W, b)  # noqa: E731
    for name, got, var in [("dX", dX, X), ("dh0", dh0, h0), ("dU", dU, U), ("dW", dW, W), ("db", db, b)]:
        assert_grad(name, got, numerical_gradient(f, var, dHs))


def test_rnn_backward_with_t_equal_one_is_one_step_backward():
    rng = np.random.default_rng(3)
    p = params(rng, 2, 3)
    X, h0 = rng.normal(size=(2, 1, 2)), rng.normal(size=(2, 3))
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    dHs = rng.normal(size=(2, 1, 3))
    seq = rnn_backward(dHs, X, h0, Hs, p["U"], p["W"])
    step = rnn_step_backward(dHs[:, 0], X[:, 0], h0, Hs[:, 0], p["U"], p["W"])
    np.testing.assert_array_equal(seq[0][:, 0], step[0])
    for a, b in zip(seq[1:], step[1:]):
        np.testing.assert_array_equal(a, b)


def test_rnn_backward_gradient_only_at_the_last_step_reaches_every_input():
    # dL/dh_T alone still reaches x_1 through the recurrence (W != 0), and not at all when W = 0.
    rng = np.random.default_rng(4)
    p = params(rng, 2, 3)
    X, h0 = rng.normal(size=(1, 5, 2)), np.zeros((1, 3))
    dHs = np.zeros((1, 5, 3))
    dHs[:, -1] = 1.0
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    dX = rnn_backward(dHs, X, h0, Hs, p["U"], p["W"])[0]
    assert np.all(np.abs(dX[0, 0]) > 0)
    Z = np.zeros((3, 3))
    Hs0 = rnn_forward(X, h0, p["U"], Z, p["b"])
    dX0 = rnn_backward(dHs, X, h0, Hs0, p["U"], Z)[0]
    np.testing.assert_array_equal(dX0[0, :-1], 0.0)


def test_rnn_backward_does_not_modify_its_arguments():
    rng = np.random.default_rng(5)
    p = params(rng, 2, 3)
    X, h0 = rng.normal(size=(2, 4, 2)), rng.normal(size=(2, 3))
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    args = [rng.normal(size=(2, 4, 3)), X, h0, Hs, p["U"], p["W"]]
    copies = [a.copy() for a in args]
    rnn_backward(*args)
    for a, c in zip(args, copies):
        np.testing.assert_array_equal(a, c)


def test_rnn_backward_bad_input():
    rng = np.random.default_rng(6)
    N, T, D, H = 2, 3, 4, 5
    dHs, X, h0, Hs = np.zeros((N, T, H)), np.zeros((N, T, D)), np.zeros((N, H)), np.zeros((N, T, H))
    U, W = rng.normal(size=(H, D)), rng.normal(size=(H, H))
    with pytest.raises(ValueError, match=r"dHs has shape \(2, 3, 4\), expected \(N, T, H\) = \(2, 3, 5\)"):
        rnn_backward(np.zeros((N, T, D)), X, h0, Hs, U, W)
    with pytest.raises(ValueError, match=r"Hs has shape \(2, 2, 5\), expected \(N, T, H\) = \(2, 3, 5\)"):
        rnn_backward(dHs, X, h0, np.zeros((N, 2, H)), U, W)
    with pytest.raises(ValueError, match=r"h0 has shape \(1, 5\), expected \(N, H\) = \(2, 5\)"):
        rnn_backward(dHs, X, np.zeros((1, H)), Hs, U, W)
    with pytest.raises(ValueError, match=r"X must be 3-dimensional"):
        rnn_backward(dHs, X[:, 0], h0, Hs, U, W)
    with pytest.raises(ValueError, match=r"at least one time step"):
        rnn_backward(dHs[:, :0], X[:, :0], h0, Hs[:, :0], U, W)
    with pytest.raises(ValueError, match=r"U has shape \(4, 5\), expected \(H, D\) = \(5, 4\)"):
        rnn_backward(dHs, X, h0, Hs, U.T, W)


# ---------------------------------------------------------- output_backward


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (1, 3, 2, 4), (3, 1, 4, 2), (2, 5, 3, 3), (4, None, 3, 2)])
def test_output_backward_matches_finite_differences(shape):
    N, T, H, K = shape
    rng = np.random.default_rng(sum(s or 0 for s in shape))
    Hs = rng.uniform(-1, 1, (N, H) if T is None else (N, T, H))
    V, c = rng.normal(size=(K, H)), rng.normal(size=K)
    dO = rng.normal(size=Hs.shape[:-1] + (K,))
    dHs, dV, dc = output_backward(dO, Hs, V)
    f = lambda _: output_forward(Hs, V, c)  # noqa: E731
    assert_grad("dHs", dHs, numerical_gradient(f, Hs, dO))
    assert_grad("dV", dV, numerical_gradient(f, V, dO))
    assert_grad("dc", dc, numerical_gradient(f, c, dO))


def test_output_backward_bad_input():
    Hs, V, dO = np.zeros((2, 3, 4)), np.zeros((5, 4)), np.zeros((2, 3, 5))
    with pytest.raises(ValueError, match=r"V has shape \(4, 5\), expected \(K, H\) with H = 4.*transposed"):
        output_backward(dO, Hs, V.T)
    with pytest.raises(ValueError, match=r"dO has shape \(2, 3, 4\), expected \(N, T, K\) = \(2, 3, 5\)"):
        output_backward(np.zeros((2, 3, 4)), Hs, V)
    with pytest.raises(ValueError, match=r"dO must be 2 or 3-dimensional"):
        output_backward(np.zeros(5), Hs, V)


# ---------------------------------------------------------- stacked_rnn_backward


@pytest.mark.parametrize("N, T, sizes", [(1, 1, [2, 1, 1]), (2, 4, [3, 4, 2]), (1, 3, [2, 3, 3, 2])])
def test_stacked_rnn_backward_matches_finite_differences(N, T, sizes):
    rng = np.random.default_rng(N + T + len(sizes))
    D = sizes[0]
    layers = [
        {"U": rng.normal(0, 1, (h, h_in)), "W": rng.normal(0, 0.5, (h, h)), "b": rng.normal(0, 0.5, h)}
        for h_in, h in zip(sizes[:-1], sizes[1:])
    ]
    X = rng.normal(size=(N, T, D))
    h0s = [rng.uniform(-1, 1, (N, h)) for h in sizes[1:]]
    Hs_list = stacked_rnn_forward(X, h0s, layers)
    dHs = rng.normal(size=Hs_list[-1].shape)
    dX, dh0s, grads = stacked_rnn_backward(dHs, X, h0s, Hs_list, layers)
    f = lambda _: stacked_rnn_forward(X, h0s, layers)[-1]  # noqa: E731
    assert_grad("dX", dX, numerical_gradient(f, X, dHs))
    for l, layer in enumerate(layers):
        assert_grad(f"dh0s[{l}]", dh0s[l], numerical_gradient(f, h0s[l], dHs))
        for k in ("U", "W", "b"):
            assert_grad(f"layer {l} d{k}", grads[l][k], numerical_gradient(f, layer[k], dHs))


def test_stacked_rnn_backward_one_layer_is_rnn_backward():
    rng = np.random.default_rng(8)
    p = params(rng, 2, 3)
    layer = {k: p[k] for k in ("U", "W", "b")}
    X, h0 = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 3))
    Hs = rnn_forward(X, h0, **layer)
    dHs = rng.normal(size=Hs.shape)
    dX, dh0s, grads = stacked_rnn_backward(dHs, X, [h0], [Hs], [layer])
    ref = rnn_backward(dHs, X, h0, Hs, p["U"], p["W"])
    np.testing.assert_array_equal(dX, ref[0])
    np.testing.assert_array_equal(dh0s[0], ref[1])
    for k, r in zip(("U", "W", "b"), ref[2:]):
        np.testing.assert_array_equal(grads[0][k], r)


def test_stacked_rnn_backward_bad_input():
    X, h0 = np.zeros((1, 2, 3)), np.zeros((1, 2))
    layer = {"U": np.zeros((2, 3)), "W": np.zeros((2, 2)), "b": np.zeros(2)}
    Hs = np.zeros((1, 2, 2))
    with pytest.raises(ValueError, match=r"layers is empty"):
        stacked_rnn_backward(Hs, X, [], [], [])
    with pytest.raises(ValueError, match=r"h0s has 2 and Hs_list has 1 entries but layers has 1 layers"):
        stacked_rnn_backward(Hs, X, [h0, h0], [Hs], [layer])
    with pytest.raises(ValueError, match=r"layers\[0\] is missing \['W'\]"):
        stacked_rnn_backward(Hs, X, [h0], [Hs], [{"U": layer["U"], "b": layer["b"]}])
    with pytest.raises(ValueError, match=r"layer 0: U has shape \(3, 2\)"):
        stacked_rnn_backward(Hs, X, [h0], [Hs], [{**layer, "U": np.zeros((3, 2))}])
