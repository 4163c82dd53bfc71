"""Tests for rnncourse.training: loss and gradients, truncated BPTT, sampling."""

import numpy as np
import pytest

from rnncourse import (
    gradient_errors,
    hello_example,
    init_rnn_params,
    one_hot,
    output_backward,
    output_forward,
    rnn_backward,
    rnn_forward,
    rnn_loss_and_grads,
    sample,
    sequence_cross_entropy,
    sequence_cross_entropy_backward,
    train_truncated_bptt,
)


def problem(seed, N=2, T=6, D=3, H=4, K=3):
    rng = np.random.default_rng(seed)
    p = init_rnn_params(D, H, K, rng=rng)
    p["b"] = rng.normal(0, 0.3, H)
    p["c"] = rng.normal(0, 0.3, K)
    return p, rng.normal(size=(N, T, D)), rng.integers(0, K, (N, T)), rng.uniform(-1, 1, (N, H))


def full_bptt_grads(p, X, Y, h0):
    """Full BPTT assembled from the pieces, independently of rnn_loss_and_grads."""
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    O = output_forward(Hs, p["V"], p["c"])
    dHs, dV, dc = output_backward(sequence_cross_entropy_backward(O, Y), Hs, p["V"])
    _, _, dU, dW, db = rnn_backward(dHs, X, h0, Hs, p["U"], p["W"])
    return sequence_cross_entropy(O, Y), {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}


@pytest.mark.parametrize("N, T, D, H, K", [(1, 1, 1, 1, 2), (2, 6, 3, 4, 3), (3, 2, 2, 1, 4)])
def test_rnn_loss_and_grads_matches_finite_differences_of_the_loss(N, T, D, H, K):
    p, X, Y, h0 = problem(N + T + D + H + K, N, T, D, H, K)
    loss, grads, h_last = rnn_loss_and_grads(p, X, Y, h0)

    def f(params):
        return sequence_cross_entropy(output_forward(rnn_forward(X, h0, params["U"], params["W"], params["b"]),
                                                     params["V"], params["c"]), Y)

    assert loss == f(p)
    assert set(grads) == {"U", "W", "b", "V", "c"}
    errors = gradient_errors(f, p, grads)
    assert max(errors.values()) < 1e-7, errors
    np.testing.assert_array_equal(h_last, rnn_forward(X, h0, p["U"], p["W"], p["b"])[:, -1])


def test_rnn_loss_and_grads_bad_params():
    p, X, Y, h0 = problem(0)
    del p["c"]
    with pytest.raises(ValueError, match=r"params is missing \['c'\]"):
        rnn_loss_and_grads(p, X, Y, h0)


@pytest.mark.parametrize("chunk_length", [6, 7, 100])
def test_truncated_bptt_with_chunks_at_least_t_is_full_bptt_exactly(chunk_length):
    p, X, Y, h0 = problem(1)
    q = {k: v.copy() for k, v in p.items()}
    losses = train_truncated_bptt(p, X, Y, chunk_length, lr=0.1, n_steps=5, h0=h0)
    expected = []
    for _ in range(5):
        loss, grads = full_bptt_grads(q, X, Y, h0)
        expected.append(loss / X.shape[1])
        for k in q:
            q[k] -= 0.1 * grads[k]
    np.testing.assert_array_equal(losses, expected)
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])


def test_truncated_bptt_chunks_carry_the_state_and_restart():
    # chunk_length 4 on T = 6: chunks [0, 4), [4, 6), then [0, 4) again from h0.
    p, X, Y, h0 = problem(2)
    q = {k: v.copy() for k, v in p.items()}
    losses = train_truncated_bptt(p, X, Y, 4, lr=0.05, n_steps=3, h0=h0)
    h = h0
    expected = []
    for start, end in [(0, 4), (4, 6), (0, 4)]:
        if start == 0:
            h = h0
        loss, grads = full_bptt_grads(q, X[:, start:end], Y[:, start:end], h)
        h = rnn_forward(X[:, start:end], h, q["U"], q["W"], q["b"])[:, -1]  # state before the update
        expected.append(loss / (end - start))
        for k in q:
            q[k] -= 0.05 * grads[k]
    np.testing.assert_allclose(losses, expected, rtol=1e-14)
    for k in p:
        np.testing.assert_allclose(p[k], q[k], rtol=1e-14)


def test_truncated_bptt_learns_hello(capsys):
    vocab, inputs, targets = hello_example()
    X, Y = one_hot(inputs, 4)[None], targets[None]
    p = init_rnn_params(4, 8, 4, rng=np.random.default_rng(0))
    losses = train_truncated_bptt(p, X, Y, chunk_length=4, lr=0.5, n_steps=300, print_every=100)
    assert losses[-1] < 0.05 < losses[0]
    out = capsys.readouterr().out
    assert out.count("\n") == 3 and "update   300/300" in out


def test_train_truncated_bptt_bad_input():
    p, X, Y, h0 = problem(3)
    with pytest.raises(ValueError, match=r"chunk_length must be a positive int, got 0"):
        train_truncated_bptt(p, X, Y, 0, 0.1, 1)
    with pytest.raises(ValueError, match=r"n_steps must be a positive int, got 2.0"):
        train_truncated_bptt(p, X, Y, 2, 0.1, 2.0)
    with pytest.raises(ValueError, match=r"lr must be a positive number"):
        train_truncated_bptt(p, X, Y, 2, -0.1, 2)
    with pytest.raises(ValueError, match=r"Y has shape \(2, 5\), expected \(N, T\) = \(2, 6\)"):
        train_truncated_bptt(p, X, Y[:, :5], 2, 0.1, 2)
    with pytest.raises(ValueError, match=r"h0 has shape \(1, 4\), expected \(N, H\) = \(2, 4\)"):
        train_truncated_bptt(p, X, Y, 2, 0.1, 2, h0=h0[:1])
    with pytest.raises(ValueError, match=r"print_every must be an int >= 0"):
        train_truncated_bptt(p, X, Y, 2, 0.1, 2, print_every=-1)


def test_sample_follows_a_deterministic_model_and_is_reproducible():
    # A hand-made model whose logits after symbol i put all mass on (i + 1) mod K.
    K, H = 3, 3
    params = {"U": 5 * np.eye(H, K), "W": np.zeros((H, H)), "b": np.zeros(H),
              "V": 50 * np.roll(np.eye(K, H), 1, axis=0), "c": np.zeros(K)}
    out = sample(params, np.zeros(H), 0, 7, np.random.default_rng(0))
    assert out.dtype == np.int64 and out.shape == (7,)
    np.testing.assert_array_equal(out, [1, 2, 0, 1, 2, 0, 1])
    p, *_ = problem(4, D=3, K=3)
    a = sample(p, np.zeros(4), 1, 20, np.random.default_rng(5), temperature=2.0)
    b = sample(p, np.zeros(4), 1, 20, np.random.default_rng(5), temperature=2.0)
    np.testing.assert_array_equal(a, b)
    assert sample(p, np.zeros(4), 1, 0, np.random.default_rng(5)).shape == (0,)


def test_sample_low_temperature_is_greedy():
    p, *_ = problem(6, D=3, K=3)
    out = sample(p, np.zeros(4), 0, 30, np.random.default_rng(1), temperature=1e-3)
    h = np.zeros((1, 4))
    x = 0
    for t in range(30):
        h = rnn_forward(one_hot(np.array([[x]]), 3), h, p["U"], p["W"], p["b"])[:, -1]
        x = int(np.argmax(output_forward(h, p["V"], p["c"])))
        assert out[t] == x


def test_sample_bad_input():
    p, *_ = problem(7, D=3, K=3)
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"first_index must be an int in \[0, 3\), got 3"):
        sample(p, np.zeros(4), 3, 5, rng)
    with pytest.raises(ValueError, match=r"h0 has shape \(3,\), expected \(H,\) = \(4,\)"):
        sample(p, np.zeros(3), 0, 5, rng)
    with pytest.raises(ValueError, match=r"temperature must be a positive number, got 0"):
        sample(p, np.zeros(4), 0, 5, rng, temperature=0)
    with pytest.raises(ValueError, match=r"rng must be a numpy.random.Generator"):
        sample(p, np.zeros(4), 0, 5, 42)
    with pytest.raises(ValueError, match=r"n must be an int >= 0, got -1"):
        sample(p, np.zeros(4), 0, -1, rng)
    q, *_ = problem(8, D=2, K=3)
    with pytest.raises(ValueError, match=r"U has shape \(4, 2\), expected \(H, K\) = \(4, 3\)"):
        sample(q, np.zeros(4), 0, 5, rng)
