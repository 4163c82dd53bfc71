"""Tests for the chapter-4 parts of rnncourse.grading: leaky units and echo state networks.

The reference passes every check silently; realistic mistakes fail with a message
that names the function, the case and what differs.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse import esn, leaky
from rnncourse.grading.chapters import TASKS
from rnncourse.grading import check_against_reference, check_forecast_error, check_gradients_numerically
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

NAMES = ["leaky_rnn_forward", "leaky_rnn_backward", "ridge_readout", "memory_capacity", "memory_capacity_by_radius",
         "esn_forecast"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("seed", [0, 1])
def test_reference_leaky_backward_passes_the_numerical_check(seed, capfd):
    assert check_gradients_numerically("leaky_rnn_backward", rnncourse.leaky_rnn_backward, seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_reference_forecast_reaches_the_threshold(capfd):
    assert check_forecast_error("esn_forecast", rnncourse.esn_forecast) is None
    assert capfd.readouterr() == ("", "")


def test_cases_cover_n_1_t_1_and_per_unit_gamma():
    shapes = [kw["X"].shape for _, kw in CASES["leaky_rnn_forward"](np.random.default_rng(0))]
    assert any(s[0] == 1 for s in shapes) and any(s[1] == 1 for s in shapes)
    gammas = [kw["gamma"] for _, kw in CASES["leaky_rnn_backward"](np.random.default_rng(0))]
    assert any(isinstance(g, np.ndarray) for g in gammas) and any(g == 1.0 for g in gammas if isinstance(g, float))


def forward_without_leak(X, h0, U, W, b, gamma):
    return rnncourse.rnn_forward(X, h0, U, W, b)


def backward_without_leak_path(dHs, X, h0, Hs, U, W, gamma):
    g = np.asarray(gamma, dtype=float)
    N, T, _ = X.shape
    dX, dU, dW, db = np.zeros_like(X), np.zeros_like(U), np.zeros_like(W), np.zeros(W.shape[0])
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        s = g * (Hs[:, t] - (1 - 1 / g) * h_prev)
        da = (dHs[:, t] + dh_next) / g * (1 - s * s)
        dX[:, t], dU, dW, db = da @ U, dU + da.T @ X[:, t], dW + da.T @ h_prev, db + da.sum(0)
        dh_next = da @ W  # forgets the (1 - 1/gamma) dh path
    return dX, dh_next, dU, dW, db


def ridge_penalising_the_bias(states, targets, mu):
    Z = np.hstack([states, np.ones((states.shape[0], 1))])
    w = np.linalg.solve(Z.T @ Z + mu * np.eye(Z.shape[1]), Z.T @ targets)
    return w[:-1].T.copy(), w[-1].copy()


def _by_radius(x, U, W, b, rhos, max_delay, mu, radius):
    mc, r2 = np.zeros(len(rhos)), np.zeros((len(rhos), max_delay))
    for i, rho in enumerate(rhos):
        states = rnncourse.leaky_rnn_forward(x[None, :, None], np.zeros((1, W.shape[0])), U, W * (rho / radius), b,
                                             1.0)[0]
        mc[i], r2[i] = esn.memory_capacity(x, states, max_delay, mu)
    return mc, r2


def by_radius_scaled_by_the_largest_entry(x, U, W, b, rhos, max_delay, mu=1e-6):
    return _by_radius(x, U, W, b, rhos, max_delay, mu, np.max(np.abs(W)))


def by_radius_scaled_by_the_largest_real_part(x, U, W, b, rhos, max_delay, mu=1e-6):
    return _by_radius(x, U, W, b, rhos, max_delay, mu, np.max(np.linalg.eigvals(W).real))


def forecast_persistence(x, U, W, b, gamma, n_train, washout, mu):
    return x[n_train - 1:-1].copy()  # predicts "no change"


def forecast_trained_on_the_washout(x, U, W, b, gamma, n_train, washout, mu):
    states = rnncourse.leaky_rnn_forward(x[None, :, None], np.zeros((1, W.shape[0])), U, W, b, gamma)[0]
    V, c = rnncourse.ridge_readout(states[:n_train - 1], x[1:n_train, None], mu)  # ignores the washout
    return states[n_train - 1:-1] @ V[0] + c[0]


@pytest.mark.parametrize("name, func, message", [
    ("leaky_rnn_forward", forward_without_leak, r"leaky_rnn_forward, case 2 of 4 .*entries differ"),
    ("leaky_rnn_backward", backward_without_leak_path, r"leaky_rnn_backward, case 2 of 5 .*output dh0"),
    ("ridge_readout", ridge_penalising_the_bias, r"ridge_readout, case 1 of 4 .*output V"),
    ("memory_capacity_by_radius", by_radius_scaled_by_the_largest_entry, r"memory_capacity_by_radius, case 2 of 5 .*output mc"),
    ("memory_capacity_by_radius", by_radius_scaled_by_the_largest_real_part,
     r"memory_capacity_by_radius, case [12] of 5 .*output mc"),
    ("esn_forecast", forecast_persistence, r"esn_forecast, case 1 of 3"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func)


def test_numerical_check_catches_a_missing_leak_path():
    with raises_message(r"leaky_rnn_backward, case 2 of 4 .*output dh0: relative error"):
        check_gradients_numerically("leaky_rnn_backward", backward_without_leak_path)


def test_forecast_check_rejects_persistence_and_names_the_error():
    with raises_message(r"normalised mean squared error .* expected at most .*twice what the method reaches"):
        check_forecast_error("esn_forecast", forecast_persistence)
    # the held-out check is meaningful: a forecaster that also trains on the washout states fails it
    with raises_message(r"held-out .* Mackey-Glass series .* expected at most"):
        check_forecast_error("esn_forecast", forecast_trained_on_the_washout)
    with raises_message("not implemented"):
        check_forecast_error("esn_forecast", lambda *a, **kw: (_ for _ in ()).throw(NotImplementedError()))


def test_memory_capacity_cases_are_not_degenerate():
    values = [esn.memory_capacity(**kw)[0] for _, kw in CASES["memory_capacity"](np.random.default_rng(0))]
    assert max(values) > 2.0 and min(values) > 0.1
    assert leaky  # the module the cases use


def test_by_radius_cases_cover_one_unit_complex_eigenvalues_and_silent_states():
    cases = CASES["memory_capacity_by_radius"](np.random.default_rng(0))
    assert any(kw["W"].shape == (1, 1) and len(kw["rhos"]) == 1 for _, kw in cases)
    # a W whose eigenvalues are all complex: taking the largest real part for the radius fails there
    assert any(np.all(np.abs(np.linalg.eigvals(kw["W"]).imag) > 0.1) for _, kw in cases)
    assert any(not np.any(kw["U"]) and not np.any(kw["b"]) for _, kw in cases)
    values = [esn.memory_capacity_by_radius(**kw)[0] for _, kw in cases]
    assert max(v.max() for v in values) > 2.0  # the cases measure real memory, not only noise
