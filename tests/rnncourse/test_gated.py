"""Tests for rnncourse.gated: LSTM, peephole and coupled LSTMs, GRU (both reset placements).

Forward values are compared with a deliberately naive implementation written here: one
example at a time, column vectors, one matrix per gate taken from the stacked parameters by
the gate's *name* in the notation table's order, and math.exp-based sigmoids. It shares no
code with the package, so it also checks the stacking order (i, f, omega, C_tilde) and
(r, z, h_tilde). Every backward pass is compared with centred differences of the forward
(float64, relative error < 1e-7) for every input and parameter, at sizes with D != H and
N > 1, and at the edges N = 1 and T = 1.
"""

import math

import numpy as np
import pytest

import rnncourse.gated as gated_module
from rnncourse import (
    cell_gradient_decay_rate,
    coupled_lstm_forward,
    coupled_lstm_step_forward,
    gru_backward,
    gru_cho_step_forward,
    gru_forward,
    gru_step_backward,
    gru_step_forward,
    lstm_backward,
    lstm_forward,
    lstm_gradient_norms_through_time,
    lstm_step_backward,
    lstm_step_forward,
    numerical_gradient,
    peephole_lstm_backward,
    peephole_lstm_forward,
    peephole_lstm_step_backward,
    peephole_lstm_step_forward,
    relative_error,
)

TOL = 1e-7
LSTM_ORDER = ("i", "f", "omega", "C_tilde")
COUPLED_ORDER = ("f", "omega", "C_tilde")
GRU_ORDER = ("r", "z", "h_tilde")


# ------------------------------------------------------------ naive reference


def blocks(U, W, b, order):
    """Per-gate matrices: {name: (U^g, W^g, b^g)}, block k of the stacked rows is order[k]."""
    H = W.shape[1]
    return {g: (U[k * H : (k + 1) * H], W[k * H : (k + 1) * H], b[k * H : (k + 1) * H]) for k, g in enumerate(order)}


def sig(v):
    return np.array([1.0 / (1.0 + math.exp(-float(e))) for e in v])


def tanh(v):
    return np.array([math.tanh(float(e)) for e in v])


def pre(p, g, x, h):
    U, W, b = p[g]
    return b + U @ x + W @ h  # column vectors: a^g = b^g + U^g x + W^g h


def naive_lstm_step(x, h, C, U, W, b, peep=None):
    """One example, column vectors; peep = (pi_i, pi_f, pi_omega) or None."""
    p = blocks(U, W, b, LSTM_ORDER)
    pi_i, pi_f, pi_omega = peep if peep is not None else (0.0, 0.0, 0.0)
    i = sig(pre(p, "i", x, h) + pi_i * C)
    f = sig(pre(p, "f", x, h) + pi_f * C)
    C_tilde = tanh(pre(p, "C_tilde", x, h))
    C_new = f * C + i * C_tilde
    omega = sig(pre(p, "omega", x, h) + pi_omega * C_new)
    return omega * tanh(C_new), C_new


def naive_coupled_step(x, h, C, U, W, b):
    p = blocks(U, W, b, COUPLED_ORDER)
    f = sig(pre(p, "f", x, h))
    omega = sig(pre(p, "omega", x, h))
    C_new = f * C + (1 - f) * tanh(pre(p, "C_tilde", x, h))
    return omega * tanh(C_new), C_new


def naive_gru_step(x, h, U, W, b, cho=False):
    p = blocks(U, W, b, GRU_ORDER)
    r = sig(pre(p, "r", x, h))
    z = sig(pre(p, "z", x, h))
    U_h, W_h, b_h = p["h_tilde"]
    if cho:
        h_tilde = tanh(b_h + U_h @ x + W_h @ (r * h))
    else:
        h_tilde = tanh(b_h + U_h @ x + r * (W_h @ h))
    return (1 - z) * h + z * h_tilde


def naive_lstm_sequence(X, h0, C0, U, W, b, step=naive_lstm_step, **kw):
    N, T, _ = X.shape
    Hs, Cs = np.empty((N, T, h0.shape[1])), np.empty((N, T, h0.shape[1]))
    for n in range(N):
        h, C = h0[n], C0[n]
        for t in range(T):
            h, C = step(X[n, t], h, C, U, W, b, **kw)
            Hs[n, t], Cs[n, t] = h, C
    return Hs, Cs


def naive_gru_sequence(X, h0, U, W, b):
    N, T, _ = X.shape
    Hs = np.empty((N, T, h0.shape[1]))
    for n in range(N):
        h = h0[n]
        for t in range(T):
            h = naive_gru_step(X[n, t], h, U, W, b)
            Hs[n, t] = h
    return Hs


# ------------------------------------------------------------------ helpers


def make(rng, N, T, D, H, G):
    return {
        "X": rng.normal(size=(N, T, D)),
        "h0": rng.uniform(-1, 1, (N, H)),
        "C0": rng.normal(0, 1, (N, H)),
        "U": rng.normal(0, 1, (G * H, D)),
        "W": rng.normal(0, 1 / math.sqrt(H), (G * H, H)),
        "b": rng.normal(0, 0.5, G * H),
        "pi": [rng.normal(0, 0.5, H) for _ in range(3)],
    }


def assert_grad(name, analytic, numeric):
    assert analytic.shape == numeric.shape, f"{name}: shape {analytic.shape}, expected {numeric.shape}"
    err = relative_error(analytic, numeric)
    assert err < TOL, f"{name}: relative error {err:.3g} against finite differences"


STEP_SIZES = [(1, 1, 1), (1, 3, 2), (4, 2, 3), (3, 5, 2)]  # (N, D, H)
SEQ_SIZES = [(1, 1, 1, 1), (1, 1, 3, 2), (2, 1, 2, 3), (1, 4, 2, 3), (3, 4, 3, 2), (2, 5, 4, 3)]  # (N, T, D, H)


# ------------------------------------------------------------ forward values


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
def test_lstm_forward_matches_naive(N, T, D, H):
    p = make(np.random.default_rng(N * 1000 + T * 100 + D * 10 + H), N, T, D, H, 4)
    args = (p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    Hs, Cs = lstm_forward(*args)
    Hs_ref, Cs_ref = naive_lstm_sequence(*args)
    np.testing.assert_allclose(Hs, Hs_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Cs, Cs_ref, rtol=1e-12, atol=1e-14)
    h, C = lstm_step_forward(p["X"][:, 0], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    np.testing.assert_allclose(h, Hs_ref[:, 0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(C, Cs_ref[:, 0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
def test_peephole_lstm_forward_matches_naive(N, T, D, H):
    p = make(np.random.default_rng(7 + N * 1000 + T * 100 + D * 10 + H), N, T, D, H, 4)
    args = (p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    Hs, Cs = peephole_lstm_forward(*args, *p["pi"])
    Hs_ref, Cs_ref = naive_lstm_sequence(*args, peep=p["pi"])
    np.testing.assert_allclose(Hs, Hs_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Cs, Cs_ref, rtol=1e-12, atol=1e-14)
    h, C = peephole_lstm_step_forward(p["X"][:, 0], p["h0"], p["C0"], p["U"], p["W"], p["b"], *p["pi"])
    np.testing.assert_allclose(h, Hs_ref[:, 0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(C, Cs_ref[:, 0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
def test_coupled_lstm_forward_matches_naive(N, T, D, H):
    p = make(np.random.default_rng(11 + N * 1000 + T * 100 + D * 10 + H), N, T, D, H, 3)
    args = (p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    Hs, Cs = coupled_lstm_forward(*args)
    Hs_ref, Cs_ref = naive_lstm_sequence(*args, step=naive_coupled_step)
    np.testing.assert_allclose(Hs, Hs_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Cs, Cs_ref, rtol=1e-12, atol=1e-14)
    h, C = coupled_lstm_step_forward(p["X"][:, 0], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    np.testing.assert_allclose(h, Hs_ref[:, 0], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(C, Cs_ref[:, 0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
def test_gru_forward_matches_naive(N, T, D, H):
    p = make(np.random.default_rng(13 + N * 1000 + T * 100 + D * 10 + H), N, T, D, H, 3)
    args = (p["X"], p["h0"], p["U"], p["W"], p["b"])
    Hs = gru_forward(*args)
    np.testing.assert_allclose(Hs, naive_gru_sequence(*args), rtol=1e-12, atol=1e-14)
    x, h0 = p["X"][:, 0], p["h0"]
    want = np.array([naive_gru_step(x[n], h0[n], p["U"], p["W"], p["b"]) for n in range(N)])
    np.testing.assert_allclose(gru_step_forward(x, h0, p["U"], p["W"], p["b"]), want, rtol=1e-12, atol=1e-14)
    want_cho = np.array([naive_gru_step(x[n], h0[n], p["U"], p["W"], p["b"], cho=True) for n in range(N)])
    np.testing.assert_allclose(gru_cho_step_forward(x, h0, p["U"], p["W"], p["b"]), want_cho, rtol=1e-12, atol=1e-14)


def test_lstm_stacking_order_by_hand():
    # U = W = 0: each gate is sigma or tanh of its own bias block, so the order shows directly.
    H = 1
    b = np.array([0.3, -1.2, 2.0, 0.7])  # (a^i, a^f, a^omega, a^C~)
    s = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    h, C = lstm_step_forward(np.ones((1, 2)), np.ones((1, H)), np.array([[1.5]]), np.zeros((4, 2)), np.zeros((4, 1)), b)
    C_want = s(-1.2) * 1.5 + s(0.3) * math.tanh(0.7)
    assert math.isclose(C[0, 0], C_want, rel_tol=1e-14)
    assert math.isclose(h[0, 0], s(2.0) * math.tanh(C_want), rel_tol=1e-14)


def test_gru_stacking_order_and_update_convention_by_hand():
    # U = 0 and W^h~ h_prev = w h_prev: r scales the recurrent term, z is the candidate's share.
    b = np.array([-0.4, 1.1, 0.2])  # (a^r, a^z, a^h~)
    W = np.array([[0.0], [0.0], [0.8]])
    h_prev = 0.5
    s = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    r, z = s(-0.4), s(1.1)
    h_tilde = math.tanh(0.2 + r * 0.8 * h_prev)
    got = gru_step_forward(np.zeros((1, 3)), np.array([[h_prev]]), np.zeros((3, 3)), W, b)
    assert math.isclose(got[0, 0], (1 - z) * h_prev + z * h_tilde, rel_tol=1e-14)


# ----------------------------------------------------------- step backwards


def lstm_step_loss_f(x, h_prev, C_prev, U, W, b, dh, dC, pis=None):
    if pis is None:
        return lambda _: (lambda r: r[0] * dh + r[1] * dC)(lstm_step_forward(x, h_prev, C_prev, U, W, b))
    return lambda _: (lambda r: r[0] * dh + r[1] * dC)(peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, *pis))


@pytest.mark.parametrize("N, D, H", STEP_SIZES)
def test_lstm_step_backward_matches_finite_differences(N, D, H):
    rng = np.random.default_rng(N * 100 + D * 10 + H)
    p = make(rng, N, 1, D, H, 4)
    x, h_prev, C_prev, U, W, b = p["X"][:, 0], p["h0"], p["C0"], p["U"], p["W"], p["b"]
    dh, dC = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    grads = lstm_step_backward(dh, dC, x, h_prev, C_prev, U, W, b)
    f = lstm_step_loss_f(x, h_prev, C_prev, U, W, b, dh, dC)
    ones = np.ones((N, H))
    for name, g, arr in zip(["dx", "dh_prev", "dC_prev", "dU", "dW", "db"], grads, [x, h_prev, C_prev, U, W, b]):
        assert_grad(name, g, numerical_gradient(f, arr, ones))


@pytest.mark.parametrize("N, D, H", STEP_SIZES)
def test_peephole_lstm_step_backward_matches_finite_differences(N, D, H):
    rng = np.random.default_rng(1 + N * 100 + D * 10 + H)
    p = make(rng, N, 1, D, H, 4)
    x, h_prev, C_prev, U, W, b = p["X"][:, 0], p["h0"], p["C0"], p["U"], p["W"], p["b"]
    dh, dC = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    grads = peephole_lstm_step_backward(dh, dC, x, h_prev, C_prev, U, W, b, *p["pi"])
    f = lstm_step_loss_f(x, h_prev, C_prev, U, W, b, dh, dC, pis=p["pi"])
    names = ["dx", "dh_prev", "dC_prev", "dU", "dW", "db", "dpi_i", "dpi_f", "dpi_omega"]
    ones = np.ones((N, H))
    for name, g, arr in zip(names, grads, [x, h_prev, C_prev, U, W, b, *p["pi"]]):
        assert_grad(name, g, numerical_gradient(f, arr, ones))


@pytest.mark.parametrize("N, D, H", STEP_SIZES)
def test_gru_step_backward_matches_finite_differences(N, D, H):
    rng = np.random.default_rng(2 + N * 100 + D * 10 + H)
    p = make(rng, N, 1, D, H, 3)
    x, h_prev, U, W, b = p["X"][:, 0], p["h0"], p["U"], p["W"], p["b"]
    dh = rng.normal(size=(N, H))
    grads = gru_step_backward(dh, x, h_prev, U, W, b)
    f = lambda _: gru_step_forward(x, h_prev, U, W, b)  # noqa: E731
    for name, g, arr in zip(["dx", "dh_prev", "dU", "dW", "db"], grads, [x, h_prev, U, W, b]):
        assert_grad(name, g, numerical_gradient(f, arr, dh))


# ------------------------------------------------------- sequence backwards


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
@pytest.mark.parametrize("peephole", [False, True])
def test_lstm_backward_matches_finite_differences(N, T, D, H, peephole):
    rng = np.random.default_rng(3 + N * 1000 + T * 100 + D * 10 + H)
    p = make(rng, N, T, D, H, 4)
    X, h0, C0, U, W, b = p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"]
    pis = p["pi"] if peephole else []
    forward = peephole_lstm_forward if peephole else lstm_forward
    backward = peephole_lstm_backward if peephole else lstm_backward
    dHs, dC_T = rng.normal(size=(N, T, H)), rng.normal(size=(N, H))
    Hs, Cs = forward(X, h0, C0, U, W, b, *pis)
    grads = backward(dHs, X, h0, C0, Hs, Cs, U, W, b, *pis, dC_T=dC_T)

    def loss(_):
        Hs, Cs = forward(X, h0, C0, U, W, b, *pis)
        return np.sum(Hs * dHs) + np.sum(Cs[:, -1] * dC_T)

    names = ["dX", "dh0", "dC0", "dU", "dW", "db", "dpi_i", "dpi_f", "dpi_omega"]
    for name, g, arr in zip(names, grads, [X, h0, C0, U, W, b, *pis]):
        assert_grad(name, g, numerical_gradient(loss, arr))
    assert len(grads) == 6 + len(pis)


@pytest.mark.parametrize("N, T, D, H", SEQ_SIZES)
def test_gru_backward_matches_finite_differences(N, T, D, H):
    rng = np.random.default_rng(4 + N * 1000 + T * 100 + D * 10 + H)
    p = make(rng, N, T, D, H, 3)
    X, h0, U, W, b = p["X"], p["h0"], p["U"], p["W"], p["b"]
    dHs = rng.normal(size=(N, T, H))
    Hs = gru_forward(X, h0, U, W, b)
    grads = gru_backward(dHs, X, h0, Hs, U, W, b)
    f = lambda _: gru_forward(X, h0, U, W, b)  # noqa: E731
    for name, g, arr in zip(["dX", "dh0", "dU", "dW", "db"], grads, [X, h0, U, W, b]):
        assert_grad(name, g, numerical_gradient(f, arr, dHs))


def test_lstm_backward_without_dC_T_equals_zero_dC_T():
    rng = np.random.default_rng(5)
    p = make(rng, 2, 3, 4, 3, 4)
    args = (p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    Hs, Cs = lstm_forward(*args)
    dHs = rng.normal(size=Hs.shape)
    a = lstm_backward(dHs, *args[:3], Hs, Cs, *args[3:])
    z = lstm_backward(dHs, *args[:3], Hs, Cs, *args[3:], dC_T=np.zeros((2, 3)))
    for u, v in zip(a, z):
        np.testing.assert_array_equal(u, v)


# ---------------------------------------------------------- gradient flow


def test_conveyor_belt_cell_gradient_passes_unchanged():
    # Forget gate ~ 1 and input gate ~ 0 at every step (large bias blocks), generic weights
    # elsewhere: the gradient put on C_T reaches C_0 unchanged after T = 50 steps.
    rng = np.random.default_rng(6)
    N, T, D, H = 3, 50, 4, 5
    p = make(rng, N, T, D, H, 4)
    b = p["b"].copy()
    b[:H] = -40.0  # a^i: i ~ 1e-17
    b[H : 2 * H] = 40.0  # a^f: f = 1 to double precision
    Hs, Cs = lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], b)
    g = rng.normal(size=(N, H))
    _, _, dC0, *_ = lstm_backward(np.zeros((N, T, H)), p["X"], p["h0"], p["C0"], Hs, Cs, p["U"], p["W"], b, dC_T=g)
    assert relative_error(dC0, g) < 1e-12, f"dC0 differs from dC_T by {relative_error(dC0, g):.3g}"
    # The cell itself is carried along: C_T = C_0.
    np.testing.assert_allclose(Cs[:, -1], p["C0"], rtol=1e-12, atol=1e-14)


def test_cell_gradient_scales_by_the_forget_gate_per_step():
    # With U = W = 0 every gate is a constant; i ~ 0, so dC_0 = f^T dC_T exactly.
    N, T, D, H = 2, 20, 3, 4
    b = np.zeros(4 * H)
    b[:H] = -40.0
    b[H : 2 * H] = 2.0  # f = sigma(2) = 0.881
    X = np.random.default_rng(7).normal(size=(N, T, D))
    h0, C0 = np.zeros((N, H)), np.ones((N, H))
    U, W = np.zeros((4 * H, D)), np.zeros((4 * H, H))
    Hs, Cs = lstm_forward(X, h0, C0, U, W, b)
    g = np.ones((N, H))
    _, _, dC0, *_ = lstm_backward(np.zeros((N, T, H)), X, h0, C0, Hs, Cs, U, W, b, dC_T=g)
    f = 1 / (1 + math.exp(-2.0))
    np.testing.assert_allclose(dC0, f**T * g, rtol=1e-12)


# --------------------------------------------------- reset placement (GRU)


def test_reset_placement_changes_the_result_generically():
    p = make(np.random.default_rng(8), 3, 1, 4, 5, 3)
    x, h, U, W, b = p["X"][:, 0], p["h0"], p["U"], p["W"], p["b"]
    diff = np.abs(gru_step_forward(x, h, U, W, b) - gru_cho_step_forward(x, h, U, W, b)).max()
    assert diff > 1e-3, f"the two reset placements agree to {diff:.3g}; expected a visible difference"


def test_reset_placement_is_irrelevant_when_r_is_one():
    p = make(np.random.default_rng(9), 3, 1, 4, 5, 3)
    x, h, U, W, b = p["X"][:, 0], p["h0"], p["U"], p["W"], p["b"].copy()
    b[:5] = 60.0  # a^r large: r = 1 to double precision
    np.testing.assert_allclose(gru_step_forward(x, h, U, W, b), gru_cho_step_forward(x, h, U, W, b), rtol=0, atol=1e-15)


# ------------------------------------------------------ sequence vs steps


def test_sequence_backward_at_T1_equals_step_backward():
    rng = np.random.default_rng(10)
    p = make(rng, 3, 1, 4, 2, 4)
    X, h0, C0, U, W, b = p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"]
    dh, dC = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    Hs, Cs = lstm_forward(X, h0, C0, U, W, b)
    seq = lstm_backward(dh[:, None], X, h0, C0, Hs, Cs, U, W, b, dC_T=dC)
    step = lstm_step_backward(dh, dC, X[:, 0], h0, C0, U, W, b)
    for name, u, v in zip(["dx", "dh0", "dC0", "dU", "dW", "db"], seq, step):
        np.testing.assert_allclose(u.reshape(v.shape), v, rtol=1e-12, atol=1e-14, err_msg=name)
    q = make(rng, 3, 1, 4, 2, 3)
    Hs = gru_forward(q["X"], q["h0"], q["U"], q["W"], q["b"])
    seq = gru_backward(dh[:, None], q["X"], q["h0"], Hs, q["U"], q["W"], q["b"])
    step = gru_step_backward(dh, q["X"][:, 0], q["h0"], q["U"], q["W"], q["b"])
    for name, u, v in zip(["dx", "dh0", "dU", "dW", "db"], seq, step):
        np.testing.assert_allclose(u.reshape(v.shape), v, rtol=1e-12, atol=1e-14, err_msg=name)


# --------------------------------------------------------------- float32


def _all_calls(p, p3, dHs, dh):
    X, h0, C0, U, W, b, pis = p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"], p["pi"]
    x = X[:, 0]
    Hs, Cs = lstm_forward(X, h0, C0, U, W, b)
    Hp, Cp = peephole_lstm_forward(X, h0, C0, U, W, b, *pis)
    Hg = gru_forward(p3["X"], p3["h0"], p3["U"], p3["W"], p3["b"])
    return {
        "lstm_step_forward": lstm_step_forward(x, h0, C0, U, W, b),
        "lstm_step_backward": lstm_step_backward(dh, dh, x, h0, C0, U, W, b),
        "lstm_forward": (Hs, Cs),
        "lstm_backward": lstm_backward(dHs, X, h0, C0, Hs, Cs, U, W, b, dC_T=dh),
        "peephole_lstm_step_forward": peephole_lstm_step_forward(x, h0, C0, U, W, b, *pis),
        "peephole_lstm_step_backward": peephole_lstm_step_backward(dh, dh, x, h0, C0, U, W, b, *pis),
        "peephole_lstm_forward": (Hp, Cp),
        "peephole_lstm_backward": peephole_lstm_backward(dHs, X, h0, C0, Hp, Cp, U, W, b, *pis, dC_T=dh),
        "coupled_lstm_step_forward": coupled_lstm_step_forward(x, h0, C0, p3["U"], p3["W"], p3["b"]),
        "coupled_lstm_forward": coupled_lstm_forward(X, h0, C0, p3["U"], p3["W"], p3["b"]),
        "gru_step_forward": (gru_step_forward(x, h0, p3["U"], p3["W"], p3["b"]),),
        "gru_cho_step_forward": (gru_cho_step_forward(x, h0, p3["U"], p3["W"], p3["b"]),),
        "gru_step_backward": gru_step_backward(dh, x, h0, p3["U"], p3["W"], p3["b"]),
        "gru_forward": (Hg,),
        "gru_backward": gru_backward(dHs, p3["X"], p3["h0"], Hg, p3["U"], p3["W"], p3["b"]),
    }


def test_float32_in_float32_out_everywhere_and_close_to_float64():
    rng = np.random.default_rng(11)
    N, T, D, H = 3, 6, 4, 5
    p, p3 = make(rng, N, T, D, H, 4), make(rng, N, T, D, H, 3)
    p3["X"], p3["h0"] = p["X"], p["h0"]
    dHs, dh = rng.normal(size=(N, T, H)), rng.normal(size=(N, H))
    f32 = lambda d: {k: ([a.astype(np.float32) for a in v] if k == "pi" else v.astype(np.float32)) for k, v in d.items()}  # noqa: E731
    out64 = _all_calls(p, p3, dHs, dh)
    out32 = _all_calls(f32(p), f32(p3), dHs.astype(np.float32), dh.astype(np.float32))
    for name in out64:
        for k, (a32, a64) in enumerate(zip(out32[name], out64[name])):
            assert a32.dtype == np.float32, f"{name} output {k} has dtype {a32.dtype}, expected float32"
            assert a64.dtype == np.float64
            np.testing.assert_allclose(a32, a64, rtol=1e-3, atol=1e-4, err_msg=f"{name} output {k}")


# ------------------------------------------ checked once, not at every step


def test_sequence_functions_check_their_inputs_once_not_per_step(monkeypatch):
    calls = []
    real = gated_module.as_float_array
    monkeypatch.setattr(gated_module, "as_float_array", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    counts = {}
    for T in (1, 20):
        p = make(np.random.default_rng(12), 2, T, 3, 4, 4)
        p3 = make(np.random.default_rng(12), 2, T, 3, 4, 3)
        args = (p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
        for name, run in [
            ("lstm", lambda: lstm_backward(np.ones((2, T, 4)), *args[:3], *lstm_forward(*args), *args[3:])),
            ("peephole", lambda: peephole_lstm_backward(
                np.ones((2, T, 4)), *args[:3], *peephole_lstm_forward(*args, *p["pi"]), *args[3:], *p["pi"])),
            ("coupled", lambda: coupled_lstm_forward(p3["X"], p3["h0"], p3["C0"], p3["U"], p3["W"], p3["b"])),
            ("gru", lambda: gru_backward(np.ones((2, T, 4)), p3["X"], p3["h0"],
                                         gru_forward(p3["X"], p3["h0"], p3["U"], p3["W"], p3["b"]),
                                         p3["U"], p3["W"], p3["b"])),
        ]:
            calls.clear()
            run()
            counts[name, T] = len(calls)
    for name in ("lstm", "peephole", "coupled", "gru"):
        assert counts[name, 1] == counts[name, 20], f"{name}: {counts[name, 1]} checks at T = 1, {counts[name, 20]} at T = 20"


# ---------------------------------------------------------------- bad input


def test_bad_shapes_and_dtypes_name_the_argument():
    p = make(np.random.default_rng(13), 2, 3, 4, 5, 4)
    X, h0, C0, U, W, b = p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"]
    x = X[:, 0]
    cases = [
        (lambda: lstm_step_forward(x, h0, C0, U.T, W, b), r"U has shape \(4, 20\), expected \(4H, D\) = \(20, 4\)"),
        (lambda: lstm_step_forward(x, h0, C0, U, W.T, b), r"W has shape \(5, 20\), expected \(4H, H\) = \(20, 5\)"),
        (lambda: lstm_step_forward(x, h0, C0, U, W, b[:5]), r"b has shape \(5,\), expected \(4H,\) = \(20,\)"),
        (lambda: lstm_step_forward(x, h0, C0[:1], U, W, b), r"C_prev has shape \(1, 5\), expected \(N, H\) = \(2, 5\)"),
        (lambda: lstm_step_forward(x, h0, C0, U.astype(int), W, b), r"U must have a floating-point dtype, got dtype int"),
        (lambda: lstm_forward(x, h0, C0, U, W, b), r"X must be 3-dimensional, got shape \(2, 4\)"),
        (lambda: lstm_forward(X[:, :0], h0, C0, U, W, b), r"expected at least one time step"),
        (lambda: lstm_forward(X.astype(np.int64), h0, C0, U, W, b), r"X must have a floating-point dtype"),
        (lambda: lstm_forward(X, h0[:, :3], C0[:, :3], U, W, b), r"W has shape \(20, 5\), expected \(4H, H\) = \(12, 3\)"),
        (lambda: lstm_forward(X, h0, C0, U[:, :3], W, b), r"U has shape \(20, 3\), expected \(4H, D\) = \(20, 4\)"),
        (lambda: lstm_forward(X, h0, C0[:, :3], U, W, b), r"C0 has shape \(2, 3\), expected \(N, H\) = \(2, 5\)"),
        (lambda: lstm_backward(np.ones((2, 3, 4)), X, h0, C0, np.ones((2, 3, 5)), np.ones((2, 3, 5)), U, W, b),
         r"dHs has shape \(2, 3, 4\), expected \(N, T, H\) = \(2, 3, 5\)"),
        (lambda: lstm_backward(np.ones((2, 3, 5)), X, h0, C0, np.ones((2, 3, 5)), np.ones((2, 2, 5)), U, W, b),
         r"Cs has shape \(2, 2, 5\), expected \(N, T, H\) = \(2, 3, 5\)"),
        (lambda: lstm_backward(np.ones((2, 3, 5)), X, h0, C0, np.ones((2, 3, 5)), np.ones((2, 3, 5)), U, W, b,
                               dC_T=np.ones((5,))), r"dC_T must be 2-dimensional"),
        (lambda: lstm_step_backward(np.ones((2, 4)), np.ones((2, 5)), x, h0, C0, U, W, b),
         r"dh_next has shape \(2, 4\), expected \(N, H\) = \(2, 5\)"),
        (lambda: peephole_lstm_step_forward(x, h0, C0, U, W, b, np.ones(5), np.ones(4), np.ones(5)),
         r"pi_f has shape \(4,\), expected \(H,\) = \(5,\)"),
        (lambda: peephole_lstm_forward(X, h0, C0, U, W, b, np.ones(5), np.ones(5), [1, 2]),
         r"pi_omega has shape \(2,\), expected \(H,\) = \(5,\)"),
        (lambda: coupled_lstm_step_forward(x, h0, C0, U, W, b), r"W has shape \(20, 5\), expected \(3H, H\) = \(15, 5\)"),
        (lambda: gru_step_forward(x, h0, U, W, b), r"W has shape \(20, 5\), expected \(3H, H\) = \(15, 5\)"),
        (lambda: gru_cho_step_forward(x, h0, U[:15], W[:15], b[:12]), r"b has shape \(12,\), expected \(3H,\) = \(15,\)"),
        (lambda: gru_forward(X, h0.astype(bool), U[:15], W[:15], b[:15]), r"h0 must have a floating-point dtype"),
        (lambda: gru_backward(np.ones((2, 3, 5)), X, h0, np.ones((3, 2, 5)), U[:15], W[:15], b[:15]),
         r"Hs has shape \(3, 2, 5\), expected \(N, T, H\) = \(2, 3, 5\)"),
        (lambda: gru_step_backward(np.ones((2, 5)), x, h0, U[:15], W[:15], "b"), r"b must be a numpy array of floats"),
    ]
    for call, pattern in cases:
        with pytest.raises(ValueError, match=pattern):
            call()


# ------------------------------------------------- gradient norms through time


def _loss_from_step(p, dHs, t, h_t, C_t):
    """L restricted to the terms that depend on the state (h_t, C_t) after step t:
    <dHs_t, h_t> + sum over s > t of <dHs_s, h_s>, running the naive cell from (h_t, C_t)."""
    loss = np.sum(dHs[:, t] * h_t)
    if t + 1 < dHs.shape[1]:
        Hs, _ = naive_lstm_sequence(p["X"][:, t + 1 :], h_t, C_t, p["U"], p["W"], p["b"])
        loss += np.sum(dHs[:, t + 1 :] * Hs)
    return loss


@pytest.mark.parametrize("N, T, D, H", [(1, 1, 1, 1), (2, 4, 3, 2), (3, 6, 2, 3)])
def test_lstm_gradient_norms_through_time_match_finite_differences(N, T, D, H):
    rng = np.random.default_rng(40 + T)
    p = make(rng, N, T, D, H, 4)
    dHs = rng.normal(size=(N, T, H))
    Hs, Cs = lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    h_norms, C_norms = lstm_gradient_norms_through_time(dHs, p["X"], p["h0"], p["C0"], Hs, Cs, p["U"], p["W"], p["b"])
    assert h_norms.shape == C_norms.shape == (N, T)
    H_ = H
    for t in range(T):
        h_prev = Hs[:, t - 1] if t else p["h0"]
        a_omega = (p["X"][:, t] @ p["U"].T + h_prev @ p["W"].T + p["b"])[:, 2 * H_ : 3 * H_]
        omega = 1 / (1 + np.exp(-a_omega))
        # dL/dh_t with C_t held fixed; dL/dC_t with h_t = omega_t * tanh(C_t) following C_t.
        dh = numerical_gradient(lambda h: _loss_from_step(p, dHs, t, h, Cs[:, t]), Hs[:, t].copy())
        dC = numerical_gradient(lambda C: _loss_from_step(p, dHs, t, omega * np.tanh(C), C), Cs[:, t].copy())
        np.testing.assert_allclose(h_norms[:, t], np.linalg.norm(dh, axis=1), rtol=1e-7)
        np.testing.assert_allclose(C_norms[:, t], np.linalg.norm(dC, axis=1), rtol=1e-7)


def test_lstm_gradient_norms_keep_their_size_when_the_forget_gate_is_one():
    # Forget gates saturated at 1 and input gates at 0: the cell gradient put on the last
    # step arrives at the first step unchanged in norm, T = 60 steps back.
    rng = np.random.default_rng(8)
    N, T, D, H = 2, 60, 3, 4
    p = make(rng, N, T, D, H, 4)
    b = p["b"].copy()
    b[:H], b[H : 2 * H], b[2 * H : 3 * H] = -40.0, 40.0, -40.0  # i ~ 0, f = 1, omega ~ 0
    Hs, Cs = lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], b)
    dHs = np.zeros((N, T, H))
    dHs[:, -1] = rng.normal(size=(N, H))
    h_norms, C_norms = lstm_gradient_norms_through_time(dHs, p["X"], p["h0"], p["C0"], Hs, Cs, p["U"], p["W"], b)
    # omega ~ 1e-17 lets almost nothing into the cell from h_T; what does enter is carried whole.
    np.testing.assert_allclose(C_norms[:, 0], C_norms[:, -1], rtol=1e-12)
    assert np.all(h_norms[:, :-1] < 1e-10)


def test_lstm_gradient_norms_reject_wrong_stored_shapes():
    rng = np.random.default_rng(9)
    p = make(rng, 2, 3, 2, 4, 4)
    Hs, Cs = lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    with pytest.raises(ValueError, match="Cs"):
        lstm_gradient_norms_through_time(np.zeros((2, 3, 4)), p["X"], p["h0"], p["C0"], Hs, Cs[:, :2], p["U"], p["W"], p["b"])


# ------------------------------------------------------- forward caches


@pytest.mark.parametrize("N, T, D, H", [(1, 1, 1, 1), (3, 5, 2, 4)])
def test_lstm_backward_with_the_forward_cache_equals_recomputing(N, T, D, H):
    rng = np.random.default_rng(50 + T)
    p = make(rng, N, T, D, H, 4)
    Hs, Cs, cache = lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"], return_cache=True)
    Hs2, Cs2 = lstm_forward(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    np.testing.assert_array_equal(Hs, Hs2)
    np.testing.assert_array_equal(Cs, Cs2)
    # The cache holds the gates: i, f, omega by sigma and C_tilde by tanh of the stacked a_t.
    h_prev = np.concatenate([p["h0"][:, None], Hs[:, :-1]], axis=1)
    A = p["X"] @ p["U"].T + h_prev @ p["W"].T + p["b"]
    np.testing.assert_allclose(cache[..., : 3 * H], 1 / (1 + np.exp(-A[..., : 3 * H])), rtol=1e-12)
    np.testing.assert_allclose(cache[..., 3 * H :], np.tanh(A[..., 3 * H :]), rtol=1e-12)
    dHs = rng.normal(size=(N, T, H))
    args = (dHs, p["X"], p["h0"], p["C0"], Hs, Cs, p["U"], p["W"], p["b"])
    for g_cached, g_recomputed in zip(lstm_backward(*args, cache=cache), lstm_backward(*args)):
        np.testing.assert_allclose(g_cached, g_recomputed, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match=r"cache.*\(N, T, 4H\)"):
        lstm_backward(*args, cache=cache[..., :-1])


@pytest.mark.parametrize("N, T, D, H", [(1, 1, 1, 1), (3, 5, 2, 4)])
def test_gru_backward_with_the_forward_cache_equals_recomputing(N, T, D, H):
    rng = np.random.default_rng(60 + T)
    p = make(rng, N, T, D, H, 3)
    Hs, cache = gru_forward(p["X"], p["h0"], p["U"], p["W"], p["b"], return_cache=True)
    np.testing.assert_array_equal(Hs, gru_forward(p["X"], p["h0"], p["U"], p["W"], p["b"]))
    h_prev = np.concatenate([p["h0"][:, None], Hs[:, :-1]], axis=1)
    np.testing.assert_allclose(cache[..., 3 * H :], h_prev @ p["W"][2 * H :].T, rtol=1e-12)
    dHs = rng.normal(size=(N, T, H))
    args = (dHs, p["X"], p["h0"], Hs, p["U"], p["W"], p["b"])
    for g_cached, g_recomputed in zip(gru_backward(*args, cache=cache), gru_backward(*args)):
        np.testing.assert_allclose(g_cached, g_recomputed, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match=r"cache.*\(N, T, 4H\)"):
        gru_backward(*args, cache=cache[:, :-1])


# ------------------------------------------- decay rate of the cell's gradient


def test_cell_gradient_decay_rate_is_log_f_for_one_forget_gate_value():
    # W = 0 and forget-gate rows of U zero: f = sigmoid(beta) at every unit and step, and the
    # cell's own path is the only one, so both rates are log f exactly.
    rng = np.random.default_rng(50)
    N, T, D, H, beta = 3, 9, 2, 4, 0.7
    p = make(rng, N, T, D, H, 4)
    W = np.zeros_like(p["W"])
    U, b = p["U"].copy(), p["b"].copy()
    U[H : 2 * H], b[H : 2 * H] = 0.0, beta
    measured, predicted = cell_gradient_decay_rate(p["X"], p["h0"], p["C0"], U, W, b)
    assert type(measured) is float and type(predicted) is float
    np.testing.assert_allclose([measured, predicted], math.log(1 / (1 + math.exp(-beta))), rtol=1e-12)


@pytest.mark.parametrize("N, T, D, H", [(1, 2, 1, 1), (2, 5, 3, 2)])
def test_cell_gradient_decay_rate_matches_finite_differences_and_naive_gates(N, T, D, H):
    rng = np.random.default_rng(51 + T)
    p = make(rng, N, T, D, H, 4)
    Hs, Cs = naive_lstm_sequence(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    dHs = np.zeros((N, T, H))
    dHs[:, -1] = 1.0
    fb = blocks(p["U"], p["W"], p["b"], LSTM_ORDER)
    log_norm = np.zeros((N, T))
    for t in range(T):
        h_prev = Hs[:, t - 1] if t else p["h0"]
        omega = np.stack([sig(pre(fb, "omega", p["X"][n, t], h_prev[n])) for n in range(N)])
        dC = numerical_gradient(lambda C: _loss_from_step(p, dHs, t, omega * np.tanh(C), C), Cs[:, t].copy())
        log_norm[:, t] = np.log(np.linalg.norm(dC, axis=1))
    slope = np.polyfit(np.arange(T), log_norm[:, ::-1].mean(axis=0), 1)[0]
    log_f = [np.log(sig(pre(fb, "f", p["X"][n, t], Hs[n, t - 1]))) for n in range(N) for t in range(1, T)]
    measured, predicted = cell_gradient_decay_rate(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    np.testing.assert_allclose(measured, slope, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(predicted, np.mean(log_f), rtol=1e-12)


def test_a_larger_forget_gate_bias_slows_the_decay():
    rng = np.random.default_rng(52)
    N, T, D, H = 2, 20, 3, 4
    p = make(rng, N, T, D, H, 4)
    rates = []
    for shift in (0.0, 1.0, 2.0, 3.0):
        b = p["b"].copy()
        b[H : 2 * H] += shift
        rates.append(cell_gradient_decay_rate(p["X"], p["h0"], p["C0"], p["U"], p["W"], b))
    measured, predicted = np.array(rates).T
    assert np.all(np.diff(measured) > 0) and np.all(np.diff(predicted) > 0)
    assert np.all(measured < 0) and np.all(predicted < 0)


def test_cell_gradient_decay_rate_needs_two_steps():
    rng = np.random.default_rng(53)
    p = make(rng, 2, 1, 2, 3, 4)
    with pytest.raises(ValueError, match=r"T >= 2"):
        cell_gradient_decay_rate(p["X"], p["h0"], p["C0"], p["U"], p["W"], p["b"])
    with pytest.raises(ValueError, match=r"W has shape"):
        cell_gradient_decay_rate(np.ones((2, 4, 2)), p["h0"], p["C0"], p["U"], p["W"][:9], p["b"])
