"""Tests for rnncourse.esn: spectral-radius scaling, reservoirs, the ridge readout against
numpy.linalg.lstsq, memory capacity (also against the spectral radius), forecasting, Mackey-Glass, and bad input."""

import numpy as np
import pytest

from rnncourse import (
    esn_forecast,
    esn_states,
    leaky_rnn_forward,
    mackey_glass,
    make_reservoir,
    memory_capacity,
    memory_capacity_by_radius,
    nmse,
    ridge_readout,
    scale_to_spectral_radius,
)


def test_scaling_hits_the_target_radius_and_keeps_eigenvectors():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(6, 6))
    before = W.copy()
    for rho in [0.0, 0.5, 1.3]:
        Ws = scale_to_spectral_radius(W, rho)
        assert np.max(np.abs(np.linalg.eigvals(Ws))) == pytest.approx(rho, abs=1e-12)
    np.testing.assert_array_equal(W, before)
    # A diagonal matrix: the radius is the largest |entry|.
    np.testing.assert_allclose(scale_to_spectral_radius(np.diag([2.0, -4.0]), 0.8), np.diag([0.4, -0.8]))


def test_scaling_bad_input():
    with pytest.raises(ValueError, match="W has shape"):
        scale_to_spectral_radius(np.ones((2, 3)), 0.9)
    with pytest.raises(ValueError, match="rho"):
        scale_to_spectral_radius(np.eye(2), -1.0)
    with pytest.raises(ValueError, match="spectral radius 0"):
        scale_to_spectral_radius(np.array([[0.0, 1.0], [0.0, 0.0]]), 0.9)


def test_make_reservoir():
    p = make_reservoir(20, 3, 0.9, np.random.default_rng(1), input_scale=0.5, density=0.3, bias_scale=0.1)
    assert p["U"].shape == (20, 3) and p["W"].shape == (20, 20) and p["b"].shape == (20,)
    assert np.max(np.abs(np.linalg.eigvals(p["W"]))) == pytest.approx(0.9, abs=1e-12)
    assert np.all(np.abs(p["U"]) <= 0.5) and np.all(np.abs(p["b"]) <= 0.1)
    assert 0.15 < np.mean(p["W"] != 0) < 0.45
    for kwargs, match in [({"H": 0}, "H"), ({"rng": 0}, "rng"), ({"density": 0.0}, "density"), ({"rho": -1}, "rho")]:
        args = {"H": 4, "D": 1, "rho": 0.9, "rng": np.random.default_rng(0), **kwargs}
        with pytest.raises(ValueError, match=match):
            make_reservoir(**args)


def test_esn_states_drop_the_washout():
    rng = np.random.default_rng(2)
    p = make_reservoir(5, 2, 0.8, rng)
    X, h0 = rng.normal(size=(2, 10, 2)), np.zeros((2, 5))
    full = leaky_rnn_forward(X, h0, p["U"], p["W"], p["b"], 2.0)
    np.testing.assert_array_equal(esn_states(X, h0, p["U"], p["W"], p["b"], 2.0, washout=3), full[:, 3:])
    with pytest.raises(ValueError, match="washout"):
        esn_states(X, h0, p["U"], p["W"], p["b"], washout=10)


@pytest.mark.parametrize("T_tr, H, K, mu", [(1, 1, 1, 0.1), (5, 3, 1, 1e-3), (40, 6, 3, 2.0), (8, 12, 2, 0.5)])
def test_ridge_matches_lstsq_on_the_augmented_system(T_tr, H, K, mu):
    rng = np.random.default_rng(T_tr + H)
    S, Y = rng.normal(size=(T_tr, H)), rng.normal(size=(T_tr, K))
    V, c = ridge_readout(S, Y, mu)
    assert V.shape == (K, H) and c.shape == (K,)
    # min ||[S 1] w - Y||^2 + mu ||w_{1:H}||^2 is least squares on [[S, 1], [sqrt(mu) I, 0]] w = [Y; 0].
    A = np.vstack([np.hstack([S, np.ones((T_tr, 1))]), np.hstack([np.sqrt(mu) * np.eye(H), np.zeros((H, 1))])])
    B = np.vstack([Y, np.zeros((H, K))])
    w = np.linalg.lstsq(A, B, rcond=None)[0]
    np.testing.assert_allclose(V, w[:H].T, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(c, w[H], rtol=1e-8, atol=1e-10)


def test_ridge_recovers_an_exact_linear_map():
    rng = np.random.default_rng(4)
    S = rng.normal(size=(200, 4))
    V0, c0 = rng.normal(size=(2, 4)), rng.normal(size=2)
    V, c = ridge_readout(S, S @ V0.T + c0, 1e-10)
    np.testing.assert_allclose(V, V0, atol=1e-8)
    np.testing.assert_allclose(c, c0, atol=1e-8)


def test_ridge_bad_input():
    S = np.zeros((5, 2))
    with pytest.raises(ValueError, match="targets has shape"):
        ridge_readout(S, np.zeros((4, 1)), 1.0)
    with pytest.raises(ValueError, match="mu"):
        ridge_readout(S, np.zeros((5, 1)), 0.0)
    with pytest.raises(ValueError, match="targets must be 2-dimensional"):
        ridge_readout(S, np.zeros(5), 1.0)


def test_memory_capacity_of_a_delay_line():
    # A shift register h_t = (u_t, u_{t-1}, ..., u_{t-4}) recalls delays 1..4 perfectly and nothing beyond.
    rng = np.random.default_rng(5)
    u = rng.uniform(-1, 1, 400)
    states = np.stack([np.roll(u, j) for j in range(5)], axis=1)
    mc, mc_k = memory_capacity(u, states, 8)
    assert mc_k.shape == (8,)
    np.testing.assert_allclose(mc_k[:4], 1.0, atol=1e-6)
    assert np.all(mc_k[4:] < 0.05)
    assert mc == pytest.approx(mc_k.sum())
    with pytest.raises(ValueError, match="states has shape"):
        memory_capacity(u, states[:-1], 8)
    with pytest.raises(ValueError, match="max_delay"):
        memory_capacity(u, states, 398)


def test_memory_capacity_by_radius_of_a_ring_matches_the_closed_form():
    # A ring of 4 units whose wrap-around weight is -1/16: W^4 = -I/16, every eigenvalue has modulus 1/2 and
    # none is real. In the linear range of tanh, delay k is recalled with squared correlation
    # (1 - rho^8) rho^(8 floor(k / 4)) (each turn around the ring multiplies by -rho^4).
    H = 4
    W = np.diag(np.ones(H - 1), -1)
    W[0, H - 1] = -1 / 16
    U = np.zeros((H, 1))
    U[0, 0] = 0.01
    x = np.random.default_rng(3).uniform(-1, 1, 20000)
    rhos = np.array([0.3, 0.7, 0.9])
    W_before = W.copy()
    mc, r2 = memory_capacity_by_radius(x, U, W, np.zeros(H), rhos, 7, 1e-10)
    k = np.arange(1, 8)
    np.testing.assert_allclose(r2, (1 - rhos[:, None] ** 8) * rhos[:, None] ** (8 * (k // 4)), atol=0.01)
    np.testing.assert_allclose(mc, r2.sum(axis=1))
    np.testing.assert_array_equal(W, W_before)
    # the same as scaling, driving and measuring one radius at a time
    rng = np.random.default_rng(4)
    U5, W5, b5 = rng.uniform(-0.5, 0.5, (5, 1)), rng.normal(size=(5, 5)), rng.uniform(-0.2, 0.2, 5)
    _, r2_5 = memory_capacity_by_radius(x[:300], U5, 3 * W5, b5, np.array([1.2, 0.4]), 5)
    for row, rho in zip(r2_5, [1.2, 0.4]):
        states = leaky_rnn_forward(x[None, :300, None], np.zeros((1, 5)), U5, scale_to_spectral_radius(W5, rho), b5,
                                   1.0)[0]
        np.testing.assert_allclose(row, memory_capacity(x[:300], states, 5)[1], rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError, match="rhos"):
        memory_capacity_by_radius(x[:50], U5, W5, b5, np.array([-0.5]), 3)
    with pytest.raises(ValueError, match="spectral radius 0"):
        memory_capacity_by_radius(x[:50], U5, np.zeros((5, 5)), b5, np.array([0.5]), 3)


def test_mackey_glass_and_forecast():
    chi = mackey_glass(1200)
    assert chi.shape == (1200,) and 0.2 < chi.min() < chi.max() < 1.5
    u = (chi - chi.mean()) / chi.std()
    p = make_reservoir(60, 1, 0.9, np.random.default_rng(6), input_scale=0.5, bias_scale=0.2)
    pred = esn_forecast(u, p["U"], p["W"], p["b"], 1.0, 1000, 100, 1e-6)
    assert pred.shape == (200,)
    assert nmse(pred, u[1000:]) < 1e-3
    # Against an independent computation with lstsq on the augmented system.
    S = leaky_rnn_forward(u[None, :, None], np.zeros((1, 60)), p["U"], p["W"], p["b"], 1.0)[0]
    A = np.vstack([np.hstack([S[100:999], np.ones((899, 1))]), np.hstack([1e-3 * np.eye(60), np.zeros((60, 1))])])
    w = np.linalg.lstsq(A, np.concatenate([u[101:1000], np.zeros(60)]), rcond=None)[0]
    np.testing.assert_allclose(pred, S[999:1199] @ w[:60] + w[60], atol=1e-6)
    with pytest.raises(ValueError, match="n_train"):
        esn_forecast(u, p["U"], p["W"], p["b"], 1.0, 1200, 100, 1e-6)


def test_nmse():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert nmse(np.full(4, 2.5), y) == pytest.approx(1.0)
    assert nmse(y, y) == 0.0
    with pytest.raises(ValueError, match="predictions has shape"):
        nmse(y[:3], y)


def test_mackey_glass_keywords_follow_the_notation():
    # delay, rate and exponent are the equation's constants (the book writes them as numbers)
    default = mackey_glass(50, discard=0)
    np.testing.assert_array_equal(mackey_glass(50, delay=17, rate=0.2, decay=0.1, exponent=10, discard=0), default)
    # one Euler step by hand from the constant history 1.2
    first = mackey_glass(1, delay=2, rate=0.3, decay=0.2, exponent=4, x0=1.2, dt=1.0, discard=0)
    assert first[0] == pytest.approx(1.2 + 0.3 * 1.2 / (1 + 1.2**4) - 0.2 * 1.2, rel=1e-14)
    with pytest.raises(ValueError, match="delay >= dt"):
        mackey_glass(10, delay=0.05)
