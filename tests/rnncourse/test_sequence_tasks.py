"""Tests for rnncourse.data.first_symbol_recall and rnncourse.sequence_tasks.

The recall generator's labels are recovered from its inputs by a loop over examples; the
classifiers' logits are recomputed step by step with the package's *step* functions and a
cross-entropy written here; every gradient of the new loss (readout V, c and the recurrence's
U, W, b, for all three kinds) is compared with centred differences in float64.
"""

import math

import numpy as np
import pytest

from rnncourse import (
    classifier_accuracy,
    classifier_logits,
    classifier_loss_and_grads,
    first_symbol_recall,
    gradient_errors,
    gru_step_forward,
    init_classifier_params,
    lstm_step_forward,
    rnn_step_forward,
    train_classifier,
)

KINDS = ("rnn", "lstm", "gru")


# ------------------------------------------------------------ generator


def test_recall_labels_are_the_first_symbol_recovered_by_a_loop():
    K, K_d, T, n = 3, 5, 7, 40
    X, y = first_symbol_recall(n, T, K, K_d, rng=np.random.default_rng(3))
    assert X.shape == (n, T, K + K_d) and y.shape == (n,) and X.dtype == np.float64
    for i in range(n):
        for t in range(T):
            row = list(X[i, t])
            assert sorted(row) == [0.0] * (K + K_d - 1) + [1.0]  # exactly one symbol per step
            k = row.index(1.0)
            if t == 0:
                assert k < K and k == y[i]
            else:
                assert k >= K  # distractors never use a class symbol
    assert set(y.tolist()) == set(range(K))
    assert set(np.argmax(X[:, 1:], axis=2).ravel().tolist()) == set(range(K, K + K_d))


def test_recall_is_reproducible_and_T1_is_just_the_symbol():
    X1, y1 = first_symbol_recall(5, 4, rng=np.random.default_rng(0))
    X2, y2 = first_symbol_recall(5, 4, rng=np.random.default_rng(0))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    X, y = first_symbol_recall(6, 1, K=2, n_distractors=1, rng=np.random.default_rng(1))
    assert X.shape == (6, 1, 3)
    assert np.array_equal(X[:, 0, :2], np.eye(2)[y]) and not X[:, 0, 2].any()


@pytest.mark.parametrize(
    "kwargs, word",
    [({"n": 0}, "n"), ({"T": 0}, "T"), ({"K": 1}, "K"), ({"n_distractors": 0}, "n_distractors"), ({"T": 2.0}, "T"), ({"rng": 3}, "rng")],
)
def test_recall_rejects_bad_arguments(kwargs, word):
    args = {"n": 2, "T": 3, "K": 2, "n_distractors": 2, "rng": None} | kwargs
    with pytest.raises(ValueError, match=word):
        first_symbol_recall(**args)


# ------------------------------------------------------------ parameters


@pytest.mark.parametrize("kind, G", [("rnn", 1), ("lstm", 4), ("gru", 3)])
def test_init_shapes(kind, G):
    p = init_classifier_params(kind, 5, 3, 4, rng=np.random.default_rng(0))
    assert {k: v.shape for k, v in p.items()} == {"U": (G * 3, 5), "W": (G * 3, 3), "b": (G * 3,), "V": (4, 3), "c": (4,)}


@pytest.mark.parametrize("forget_bias", [0.0, 1.0, 3.0])
def test_lstm_and_gru_keep_sigma_of_the_forget_bias_per_step(forget_bias):
    # With zero weights the candidates are tanh(0) = 0, so one step multiplies the memory
    # (the LSTM's cell, the GRU's state) by exactly the fraction kept.
    H, D = 3, 2
    keep = 1 / (1 + math.exp(-forget_bias))
    x = np.ones((1, D))
    memory = np.array([[0.5, -1.0, 2.0]])
    lstm = init_classifier_params("lstm", D, H, 2, forget_bias=forget_bias)
    _, C_next = lstm_step_forward(x, np.zeros((1, H)), memory, 0 * lstm["U"], 0 * lstm["W"], lstm["b"])
    np.testing.assert_allclose(C_next, keep * memory, rtol=1e-14)
    gru = init_classifier_params("gru", D, H, 2, forget_bias=forget_bias)
    h_next = gru_step_forward(x, memory, 0 * gru["U"], 0 * gru["W"], gru["b"])
    np.testing.assert_allclose(h_next, keep * memory, rtol=1e-14)
    assert not init_classifier_params("rnn", D, H, 2, forget_bias=forget_bias)["b"].any()


# ------------------------------------------------------------ loss and gradients


def _logits_step_by_step(kind, p, X):
    N, T, _ = X.shape
    H = p["W"].shape[1]
    h, C = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T):
        if kind == "rnn":
            h = rnn_step_forward(X[:, t], h, p["U"], p["W"], p["b"])
        elif kind == "lstm":
            h, C = lstm_step_forward(X[:, t], h, C, p["U"], p["W"], p["b"])
        else:
            h = gru_step_forward(X[:, t], h, p["U"], p["W"], p["b"])
    return h @ p["V"].T + p["c"]


def _random_params(kind, D, H, K, seed):
    rng = np.random.default_rng(seed)
    p = init_classifier_params(kind, D, H, K, rng=rng)
    p["b"] = rng.normal(0, 0.5, p["b"].shape)
    p["c"] = rng.normal(0, 0.5, p["c"].shape)
    return p


@pytest.mark.parametrize("kind", KINDS)
def test_logits_and_loss_match_a_step_by_step_forward(kind):
    X, y = first_symbol_recall(4, 5, K=3, n_distractors=2, rng=np.random.default_rng(1))
    p = _random_params(kind, 5, 4, 3, 2)
    o = _logits_step_by_step(kind, p, X)
    np.testing.assert_allclose(classifier_logits(kind, p, X), o, rtol=1e-12, atol=1e-14)
    expected = -np.mean([o[n, y[n]] - math.log(sum(math.exp(v) for v in o[n])) for n in range(4)])
    loss, _ = classifier_loss_and_grads(kind, p, X, y)
    assert loss == pytest.approx(expected, rel=1e-12)
    assert classifier_accuracy(kind, p, X, y) == np.mean([np.argmax(o[n]) == y[n] for n in range(4)])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("N, T, D, H, K", [(3, 4, 5, 3, 2), (1, 1, 2, 4, 3)])
def test_gradients_match_finite_differences(kind, N, T, D, H, K):
    rng = np.random.default_rng(7)
    p = _random_params(kind, D, H, K, 8)
    X = rng.normal(size=(N, T, D))
    y = rng.integers(0, K, size=N)
    _, grads = classifier_loss_and_grads(kind, p, X, y)
    errors = gradient_errors(lambda q: classifier_loss_and_grads(kind, q, X, y)[0], p, grads)
    assert max(errors.values()) < 1e-7, errors


# ------------------------------------------------------------ training


@pytest.mark.parametrize("kind", KINDS)
def test_training_lowers_the_loss_on_a_short_recall(kind):
    p = init_classifier_params(kind, 4, 8, 2, rng=np.random.default_rng(0))
    task = lambda n, rng: first_symbol_recall(n, 3, K=2, n_distractors=2, rng=rng)  # noqa: E731
    losses = train_classifier(kind, p, task, 150, 16, np.random.default_rng(1), lr=0.02)
    assert losses.shape == (150,)
    assert losses[-10:].mean() < 0.25 * losses[:10].mean()
    X, y = first_symbol_recall(200, 3, K=2, n_distractors=2, rng=np.random.default_rng(2))
    assert classifier_accuracy(kind, p, X, y) == 1.0


def test_training_stops_early_once_the_loss_is_low():
    p = init_classifier_params("gru", 4, 8, 2, rng=np.random.default_rng(0))
    task = lambda n, rng: first_symbol_recall(n, 2, K=2, n_distractors=2, rng=rng)  # noqa: E731
    losses = train_classifier("gru", p, task, 500, 16, np.random.default_rng(1), lr=0.02, stop_below=0.05)
    assert 10 <= len(losses) < 500
    assert losses[-10:].mean() < 0.05 and losses[-11:-1].mean() >= 0.05


def test_training_draws_from_the_given_generator_and_updates_in_place():
    p = init_classifier_params("rnn", 4, 3, 2, rng=np.random.default_rng(0))
    W = p["W"]
    task = lambda n, rng: first_symbol_recall(n, 3, K=2, n_distractors=2, rng=rng)  # noqa: E731
    a = train_classifier("rnn", p, task, 5, 4, np.random.default_rng(1))
    q = init_classifier_params("rnn", 4, 3, 2, rng=np.random.default_rng(0))
    b = train_classifier("rnn", q, task, 5, 4, np.random.default_rng(1))
    assert p["W"] is W and np.array_equal(a, b) and np.array_equal(p["W"], q["W"])


def test_bad_arguments_name_what_is_wrong():
    p = init_classifier_params("lstm", 3, 2, 2)
    X, y = first_symbol_recall(2, 3, K=2, n_distractors=1)
    with pytest.raises(ValueError, match="kind"):
        classifier_loss_and_grads("elman", p, X, y)
    with pytest.raises(ValueError, match=r"\(3H, H\)"):
        classifier_loss_and_grads("gru", p, X, y)
    with pytest.raises(ValueError, match="y"):
        classifier_loss_and_grads("lstm", p, X, y[:1])
    with pytest.raises(ValueError, match="missing"):
        classifier_logits("lstm", {"U": p["U"]}, X)
    with pytest.raises(ValueError, match="task"):
        train_classifier("lstm", p, None, 1, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="stop_below"):
        train_classifier("lstm", p, lambda n, r: (X, y), 1, 2, np.random.default_rng(0), stop_below=0)
    with pytest.raises(ValueError, match=r"\(K, H\)"):
        classifier_logits("lstm", p | {"V": np.zeros((2, 3))}, X)
    with pytest.raises(ValueError, match=r"\(K,\)"):
        classifier_logits("lstm", p | {"c": np.zeros(3)}, X)
    with pytest.raises(ValueError, match="forget_bias"):
        init_classifier_params("lstm", 3, 2, 2, forget_bias="1")
