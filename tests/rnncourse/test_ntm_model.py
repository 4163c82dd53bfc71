"""Tests for rnncourse.ntm_model: the whole NTM's and the LSTM baseline's gradients against centred
finite differences (float64, relative error < 1e-7), the forward pass against the step functions
it is made of, the loss and bit count against direct formulas, shapes, bad input."""

import numpy as np
import pytest

import rnncourse as rc
from rnncourse import ntm_model as nm

TOL = 1e-7
# The loss sums over steps and bits while some gradients (those of the read head, whose reads
# start from a memory of 1e-6) are near 1e-2: a step of 1e-5 keeps the differences' rounding
# error well below the tolerance (at 1e-6 it is about 1e-7 on those entries).
EPS = 1e-5

D, H, S, M, K = 3, 4, 5, 2, 2  # S != M != H and D != K: a transposed product fails; small, for speed


def perturbed_ntm(rng):
    """Parameters away from the initialisation, so that no gate or head output sits at a symmetric point."""
    params = rc.init_ntm_params(D, H, S, M, K, rng)
    return {k: v + 0.5 * rng.normal(size=v.shape) for k, v in params.items()}


def ntm_loss(X, Y, mask, params, S):
    """The loss alone (no backward pass): what the finite differences perturb."""
    return rc.copy_loss(rc.ntm_forward(X, params, S)[0], Y, mask)[0]


def batch(rng, N=2, T=5):
    X = rng.integers(0, 2, (N, T, D)).astype(float)
    Y = rng.integers(0, 2, (N, T, K)).astype(float)
    mask = np.array([False, True, False, True, True])[:T]
    return X, Y, mask


def test_ntm_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    params = perturbed_ntm(rng)
    X, Y, mask = batch(rng)
    _, grads, _ = rc.ntm_loss_and_grads(X, Y, mask, params, S)
    assert set(grads) == set(params)
    for name, value in params.items():
        numeric = rc.numerical_gradient(lambda _: ntm_loss(X, Y, mask, params, S), value, eps=EPS)
        assert grads[name].shape == value.shape
        assert np.abs(numeric).max() > 1e-4, f"{name}: a vanishing gradient would make the check vacuous"
        err = rc.relative_error(grads[name], numeric)
        assert err < TOL, f"d{name}: relative error {err:.1e}"


def test_ntm_gradient_with_a_larger_memory_than_training_and_a_batch_of_one():
    rng = np.random.default_rng(3)
    params = perturbed_ntm(rng)
    X, Y, mask = batch(rng, N=1, T=3)
    _, grads, _ = rc.ntm_loss_and_grads(X, Y, mask, params, S + 3)
    for name in ("c_write", "c_read", "c"):
        numeric = rc.numerical_gradient(lambda _: ntm_loss(X, Y, mask, params, S + 3),
                                        params[name], eps=EPS)
        assert rc.relative_error(grads[name], numeric) < TOL, name


def test_lstm_baseline_gradient_matches_finite_differences():
    rng = np.random.default_rng(4)
    initial = rc.init_lstm_copy_params(D, 6, K, rng)
    params = {k: v + 0.3 * rng.normal(size=v.shape) for k, v in initial.items()}
    X, Y, mask = batch(rng)
    _, grads, _ = rc.lstm_copy_loss_and_grads(X, Y, mask, params)
    for name, value in params.items():
        loss = lambda _: rc.copy_loss(rc.lstm_copy_forward(X, params)[0], Y, mask)[0]  # noqa: E731
        numeric = rc.numerical_gradient(loss, value, eps=EPS)
        err = rc.relative_error(grads[name], numeric)
        assert err < TOL, f"d{name}: relative error {err:.1e}"


def test_ntm_forward_is_the_composition_of_the_step_functions():
    """Replay the cache with the package's functions, one step at a time, and get the same numbers."""
    rng = np.random.default_rng(5)
    params = perturbed_ntm(rng)
    X, _, _ = batch(rng, N=3, T=4)
    O, cache = rc.ntm_forward(X, params, S)
    N, T, _ = X.shape
    assert O.shape == (N, T, K)
    assert cache["memory"].shape == (N, T + 1, S, M) and np.all(cache["memory"][:, 0] == nm.MEMORY_INIT)
    for key, width in (("Hs", H), ("Cs", H), ("Ms", M), ("w_write", S), ("w_read", S)):
        assert cache[key].shape == (N, T, width), key
    np.testing.assert_allclose(cache["w_write"].sum(axis=2), 1.0, atol=1e-12)
    np.testing.assert_allclose(cache["w_read"].sum(axis=2), 1.0, atol=1e-12)
    h, C, m = np.zeros((N, H)), np.zeros((N, H)), np.zeros((N, M))
    w_write = w_read = np.tile(np.eye(S)[0], (N, 1))
    memory = np.full((N, S, M), nm.MEMORY_INIT)
    softplus = lambda a: np.log1p(np.exp(a))  # noqa: E731
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731

    def head(raw):
        shift = np.exp(raw[:, M + 2:M + 5])
        shift /= shift.sum(axis=1, keepdims=True)
        s = np.zeros((N, S))
        s[:, S - 1], s[:, 0], s[:, 1] = shift[:, 0], shift[:, 1], shift[:, 2]  # moves -1, 0, +1
        return raw[:, :M], softplus(raw[:, M]), sig(raw[:, M + 1]), s, 1 + softplus(raw[:, M + 5])

    for t in range(T):
        x_in = np.concatenate([X[:, t], m], axis=1)
        h, C = rc.lstm_step_forward(x_in, h, C, params["U"], params["W"], params["b"])
        raw = h @ params["V_write"].T + params["c_write"]
        w_write = rc.ntm_addressing(memory, *head(raw), w_write)
        memory = rc.memory_write(memory, w_write, sig(raw[:, M + 6:2 * M + 6]), np.tanh(raw[:, 2 * M + 6:]))
        w_read = rc.ntm_addressing(memory, *head(h @ params["V_read"].T + params["c_read"]), w_read)
        m = rc.memory_read(memory, w_read)
        np.testing.assert_allclose(cache["memory"][:, t + 1], memory, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(cache["w_read"][:, t], w_read, rtol=1e-12, atol=1e-15)
        o = np.concatenate([h, m], axis=1) @ params["V"].T + params["c"]
        np.testing.assert_allclose(O[:, t], o, rtol=1e-12)


def test_lstm_baseline_forward_is_lstm_forward_then_the_output_layer():
    rng = np.random.default_rng(6)
    params = rc.init_lstm_copy_params(D, 6, K, rng)
    X, _, _ = batch(rng, N=2, T=4)
    O, _ = rc.lstm_copy_forward(X, params)
    Hs, _ = rc.lstm_forward(X, np.zeros((2, 6)), np.zeros((2, 6)), params["U"], params["W"], params["b"])
    np.testing.assert_allclose(O, Hs @ params["V"].T + params["c"], rtol=1e-13)


def test_copy_loss_and_bit_errors_against_direct_formulas():
    rng = np.random.default_rng(7)
    O = rng.normal(size=(3, 5, K)) * 3
    X, Y, mask = rc.copy_task(3, 2, K, rng)
    loss, dO = rc.copy_loss(O, Y, mask)
    p = 1 / (1 + np.exp(-O))
    direct = -np.sum((Y * np.log(p) + (1 - Y) * np.log(1 - p))[:, mask]) / 3
    assert np.isclose(loss, direct, rtol=1e-12)
    assert np.all(dO[:, ~mask] == 0)
    numeric = rc.numerical_gradient(lambda _: rc.copy_loss(O, Y, mask)[0], O)
    assert rc.relative_error(dO, numeric) < TOL
    wrong = [sum(int((O[n, t, k] > 0) != (Y[n, t, k] == 1)) for t in range(5) if mask[t] for k in range(K))
             for n in range(3)]
    np.testing.assert_array_equal(rc.copy_bit_errors(O, Y, mask), wrong)


def test_parameter_shapes_and_count():
    params = rc.init_ntm_params(7, 32, 32, 8, 6, np.random.default_rng(0))
    H4 = 4 * 32
    expected = {"U": (H4, 15), "W": (H4, 32), "b": (H4,), "V_write": (30, 32), "c_write": (30,),
                "V_read": (14, 32), "c_read": (14,), "V": (6, 40), "c": (6,)}
    assert {k: v.shape for k, v in params.items()} == expected
    assert nm.count_params(params) == sum(int(np.prod(s)) for s in expected.values())
    assert nm.count_params(rc.init_lstm_copy_params(7, 40, 6)) == 4 * 40 * (7 + 40 + 1) + 6 * 41


def test_bad_input_names_the_argument():
    rng = np.random.default_rng(8)
    params = rc.init_ntm_params(D, H, S, M, K, rng)
    X, Y, mask = batch(rng)
    with pytest.raises(ValueError, match="X has shape"):
        rc.ntm_forward(X[:, :, :2], params, S)
    with pytest.raises(ValueError, match="S must be an int"):
        rc.ntm_forward(X, params, 0)
    with pytest.raises(ValueError, match="params has keys"):
        rc.ntm_forward(X, {**params, "extra": np.zeros(1)}, S)
    with pytest.raises(ValueError, match=r"params\['V_write'\] has shape"):
        rc.ntm_forward(X, {**params, "V_write": params["V_write"][:-1]}, S)
    with pytest.raises(ValueError, match="mask must be a bool array"):
        rc.copy_loss(np.zeros_like(Y), Y, mask[:-1])
    with pytest.raises(ValueError, match="Y must hold bits"):
        rc.copy_loss(np.zeros_like(Y), Y + 0.5, mask)
    with pytest.raises(ValueError, match="dO has shape"):
        rc.ntm_backward(np.zeros((2, 5, K + 1)), params, rc.ntm_forward(X, params, S)[1])
    with pytest.raises(ValueError, match="H must be an int"):
        rc.init_ntm_params(D, 0, S, M, K)
    with pytest.raises(ValueError, match="rng must be"):
        rc.init_lstm_copy_params(D, 4, K, rng=3)
    with pytest.raises(ValueError, match="X has shape"):
        rc.lstm_copy_forward(X[:, :, :2], rc.init_lstm_copy_params(D, 4, K))
