"""Tests for rnncourse.bidirectional: the two directions, their alignment in time, BPTT.

The backward direction is checked against a loop written here that walks t = T-1 .. 0 with the
package's *step* functions (no reversed arrays), and on a case small enough to do by hand.
Every gradient is compared with centred differences in float64 (relative error < 1e-7), with
D != H, N > 1, T > 1, for the three cells, and at T = 1, N = 1.
"""

import math

import numpy as np
import pytest

from rnncourse import (
    birnn_backward,
    birnn_forward,
    gru_step_forward,
    lstm_step_forward,
    numerical_gradient,
    relative_error,
    rnn_step_forward,
)

TOL = 1e-7
G = {"rnn": 1, "lstm": 4, "gru": 3}


def params(rng, cell, D, H):
    g = G[cell]
    return {
        "U": rng.normal(0, 0.8, (g * H, D)),
        "W": rng.normal(0, 0.8 / math.sqrt(H), (g * H, H)),
        "b": rng.normal(0, 0.3, g * H),
    }


def case(cell, N, T, D, H, seed=0):
    rng = np.random.default_rng(seed)
    c = {
        "X": rng.normal(size=(N, T, D)),
        "h0_fwd": rng.uniform(-0.5, 0.5, (N, H)),
        "h0_bwd": rng.uniform(-0.5, 0.5, (N, H)),
        "fwd": params(rng, cell, D, H),
        "bwd": params(rng, cell, D, H),
    }
    if cell == "lstm":
        c["C0_fwd"] = rng.normal(0, 0.5, (N, H))
        c["C0_bwd"] = rng.normal(0, 0.5, (N, H))
    return c


def forward(cell, c):
    extra = {"C0_fwd": c["C0_fwd"], "C0_bwd": c["C0_bwd"]} if cell == "lstm" else {}
    out = birnn_forward(c["X"], c["h0_fwd"], c["h0_bwd"], c["fwd"], c["bwd"], cell, **extra)
    return out if cell == "lstm" else (out, None)


def loop_direction(cell, X, h0, C0, p, times):
    """Walk ``times`` with the step functions; return states stored at their time index."""
    N, T, _ = X.shape
    Hs = np.zeros((N, T, h0.shape[1]))
    h, C = h0, C0
    for t in times:
        if cell == "rnn":
            h = rnn_step_forward(X[:, t], h, p["U"], p["W"], p["b"])
        elif cell == "gru":
            h = gru_step_forward(X[:, t], h, p["U"], p["W"], p["b"])
        else:
            h, C = lstm_step_forward(X[:, t], h, C, p["U"], p["W"], p["b"])
        Hs[:, t] = h
    return Hs


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_directions_match_step_loops(cell):
    N, T, D, H = 2, 5, 3, 4
    c = case(cell, N, T, D, H, seed=1)
    Hs, Cs = forward(cell, c)
    assert Hs.shape == (N, T, 2 * H)
    C0f, C0b = (c.get("C0_fwd"), c.get("C0_bwd"))
    want_fwd = loop_direction(cell, c["X"], c["h0_fwd"], C0f, c["fwd"], range(T))
    want_bwd = loop_direction(cell, c["X"], c["h0_bwd"], C0b, c["bwd"], range(T - 1, -1, -1))
    np.testing.assert_allclose(Hs[..., :H], want_fwd, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(Hs[..., H:], want_bwd, rtol=1e-12, atol=1e-14)
    if cell == "lstm":
        assert Cs.shape == (N, T, 2 * H)


def test_backward_direction_by_hand():
    # One unit, U = W = 1, b = 0, zero initial states, x = (1, 0, 0).
    # Forward: tanh(1), tanh(tanh(1)), tanh(tanh(tanh(1))).
    # Backward reads x_3, x_2, x_1 = 0, 0, 1: <-h_3 = 0, <-h_2 = 0, <-h_1 = tanh(1).
    # Aligned with time the backward half is (tanh(1), 0, 0); unreversed it would be (0, 0, tanh(1)).
    one = {"U": np.ones((1, 1)), "W": np.ones((1, 1)), "b": np.zeros(1)}
    X = np.array([[[1.0], [0.0], [0.0]]])
    Hs = birnn_forward(X, np.zeros((1, 1)), np.zeros((1, 1)), one, one)
    t1 = math.tanh(1.0)
    np.testing.assert_allclose(Hs[0, :, 0], [t1, math.tanh(t1), math.tanh(math.tanh(t1))], rtol=1e-15)
    np.testing.assert_allclose(Hs[0, :, 1], [t1, 0.0, 0.0], rtol=1e-15, atol=0)


def test_directions_have_their_own_parameters():
    c = case("rnn", 2, 4, 3, 2, seed=3)
    Hs = birnn_forward(c["X"], c["h0_fwd"], c["h0_bwd"], c["fwd"], c["bwd"])
    bwd2 = {k: v.copy() for k, v in c["bwd"].items()}
    bwd2["W"] += 0.5
    Hs2 = birnn_forward(c["X"], c["h0_fwd"], c["h0_bwd"], c["fwd"], bwd2)
    np.testing.assert_array_equal(Hs[..., :2], Hs2[..., :2])
    assert np.abs(Hs[..., 2:] - Hs2[..., 2:]).max() > 1e-3


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("N, T, D, H", [(2, 4, 3, 2), (3, 3, 2, 5), (1, 1, 2, 3)])
def test_birnn_backward_matches_finite_differences(cell, N, T, D, H):
    c = case(cell, N, T, D, H, seed=N * 100 + T * 10 + D)
    rng = np.random.default_rng(99)
    Hs, Cs = forward(cell, c)
    dHs = rng.normal(size=Hs.shape)
    extra = {"Cs": Cs, "C0_fwd": c["C0_fwd"], "C0_bwd": c["C0_bwd"]} if cell == "lstm" else {}
    out = birnn_backward(dHs, c["X"], c["h0_fwd"], c["h0_bwd"], Hs, c["fwd"], c["bwd"], cell, **extra)
    dX, dh0_fwd, dh0_bwd, dfwd, dbwd = out[:5]

    def f(_):
        return forward(cell, c)[0]

    checks = [("X", dX, c["X"]), ("h0_fwd", dh0_fwd, c["h0_fwd"]), ("h0_bwd", dh0_bwd, c["h0_bwd"])]
    for direction, grads in (("fwd", dfwd), ("bwd", dbwd)):
        assert set(grads) == {"U", "W", "b"}
        checks += [(f"{direction}.{k}", grads[k], c[direction][k]) for k in ("U", "W", "b")]
    if cell == "lstm":
        assert len(out) == 7
        checks += [("C0_fwd", out[5], c["C0_fwd"]), ("C0_bwd", out[6], c["C0_bwd"])]
    else:
        assert len(out) == 5
    for name, analytic, x in checks:
        numeric = numerical_gradient(f, x, dHs)
        assert analytic.shape == x.shape, name
        err = relative_error(analytic, numeric)
        assert err < TOL, f"{name}: relative error {err:.3g}"


def test_gradient_of_last_backward_state_reaches_first_input_only_through_bwd():
    # dL/dx_1 from the backward half at position 1 (the last state that direction computed)
    # is one step of backprop: nonzero only at t = 0; from the backward half at position T,
    # the whole sequence is reached.
    c = case("rnn", 1, 4, 2, 3, seed=5)
    Hs = birnn_forward(c["X"], c["h0_fwd"], c["h0_bwd"], c["fwd"], c["bwd"])
    dHs = np.zeros_like(Hs)
    dHs[:, 0, 3:] = 1.0
    dX = birnn_backward(dHs, c["X"], c["h0_fwd"], c["h0_bwd"], Hs, c["fwd"], c["bwd"])[0]
    assert np.abs(dX[:, 0]).max() > 0
    dHs = np.zeros_like(Hs)
    dHs[:, 3, 3:] = 1.0  # backward state at the last position has only read x_T
    dX = birnn_backward(dHs, c["X"], c["h0_fwd"], c["h0_bwd"], Hs, c["fwd"], c["bwd"])[0]
    np.testing.assert_array_equal(dX[:, :3], 0.0)
    assert np.abs(dX[:, 3]).max() > 0


def test_bad_inputs_name_the_argument():
    c = case("rnn", 2, 3, 2, 4)
    X, hf, hb, fwd, bwd = c["X"], c["h0_fwd"], c["h0_bwd"], c["fwd"], c["bwd"]
    with pytest.raises(ValueError, match="cell"):
        birnn_forward(X, hf, hb, fwd, bwd, cell="transformer")
    with pytest.raises(ValueError, match="h0_bwd"):
        birnn_forward(X, hf, hb[:, :3], fwd, bwd)
    with pytest.raises(ValueError, match="bwd"):
        birnn_forward(X, hf, hb, fwd, {"U": bwd["U"], "W": bwd["W"]})
    with pytest.raises(ValueError, match=r"fwd\['W'\]"):
        birnn_forward(X, hf, hb, {**fwd, "W": fwd["W"][:3]}, bwd)
    with pytest.raises(ValueError, match="bwd direction"):
        birnn_forward(X, hf, hb, fwd, {**bwd, "U": bwd["U"].T})
    with pytest.raises(ValueError, match="C0_fwd"):
        birnn_forward(X, hf, hb, fwd, bwd, "rnn", C0_fwd=hf)
    with pytest.raises(ValueError, match="X"):
        birnn_forward(X[:, :0], hf, hb, fwd, bwd)
    Hs = birnn_forward(X, hf, hb, fwd, bwd)
    with pytest.raises(ValueError, match="dHs"):
        birnn_backward(Hs[..., :4], X, hf, hb, Hs, fwd, bwd)
    with pytest.raises(ValueError, match="Cs"):
        birnn_backward(Hs, X, hf, hb, Hs, fwd, bwd, "rnn", Cs=Hs)
    lc = case("lstm", 2, 3, 2, 4)
    Hs, Cs = forward("lstm", lc)
    with pytest.raises(ValueError, match="Cs"):
        birnn_backward(Hs, lc["X"], lc["h0_fwd"], lc["h0_bwd"], Hs, lc["fwd"], lc["bwd"], "lstm")
