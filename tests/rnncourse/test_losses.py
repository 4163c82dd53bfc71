"""Tests for rnncourse.losses: cross_entropy and sequence_cross_entropy.

Expected values: the uniform-logit closed form (each step costs log K), and
explicit loops over n and t with the ``math`` module written here.
"""

import math

import numpy as np
import pytest

from rnncourse import cross_entropy, sequence_cross_entropy


def nll_by_hand(logits, target):
    """-log softmax(logits)[target] for one row of moderate logits, with math.exp."""
    return -math.log(math.exp(logits[target]) / sum(math.exp(v) for v in logits))


# ------------------------------------------------------------ cross_entropy


def test_cross_entropy_of_uniform_logits_is_log_k():
    # softmax of equal logits is 1/K, so every row costs -log(1/K) = log K, and so does the mean.
    y = np.array([0, 3, 2])
    assert cross_entropy(np.zeros((3, 5)), y) == pytest.approx(math.log(5), rel=1e-15)


def test_cross_entropy_averages_rows():
    # Row 0: logits (0, log 3), target 1 -> -log(3/4). Row 1: same logits, target 0 -> -log(1/4).
    o = np.array([[0.0, math.log(3)], [0.0, math.log(3)]])
    expected = (-math.log(0.75) - math.log(0.25)) / 2
    assert cross_entropy(o, np.array([1, 0])) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_matches_loop_and_returns_python_float():
    rng = np.random.default_rng(0)
    o, y = rng.normal(0, 2, (6, 4)), rng.integers(0, 4, 6)
    expected = sum(nll_by_hand(o[n], y[n]) for n in range(6)) / 6
    got = cross_entropy(o, y)
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_with_one_class_is_zero():
    # K = 1: the only class has probability 1, log 1 = 0.
    assert cross_entropy(np.array([[3.0], [-2.0]]), np.array([0, 0])) == 0.0


def test_cross_entropy_is_finite_for_logits_of_plus_minus_1000():
    # Target class 1 with logits (1000, -1000): -log yhat_1 = 1000 - (-1000) + log(1 + e^-2000) = 2000.
    # Target class 0 with the same logits costs log(1 + e^-2000) = 0.
    o = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])
    assert cross_entropy(o, np.array([1, 1])) == 2000.0
    assert cross_entropy(o, np.array([0, 0])) == 0.0


def test_cross_entropy_accepts_float32():
    # float32 logits: the result is still a Python float; uniform logits give log K.
    got = cross_entropy(np.zeros((2, 3), dtype=np.float32), np.array([0, 2]))
    assert type(got) is float
    assert got == pytest.approx(math.log(3), rel=1e-6)


def test_cross_entropy_bad_input():
    o = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"o must be 2-dimensional, got shape \(3,\)"):
        cross_entropy(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match=r"o must have a floating-point dtype"):
        cross_entropy(np.zeros((2, 3), dtype=int), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"y must hold integer class indices, got dtype float64"):
        cross_entropy(o, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"y must hold integer class indices, got dtype bool"):
        cross_entropy(o, np.array([True, False]))
    with pytest.raises(ValueError, match=r"y must be 1-dimensional, got shape \(2, 1\)"):
        cross_entropy(o, np.array([[0], [1]]))
    with pytest.raises(ValueError, match=r"y must hold indices in \[0, 3\), got values from 0 to 3"):
        cross_entropy(o, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"y must hold indices in \[0, 3\), got values from -1 to 1"):
        cross_entropy(o, np.array([-1, 1]))
    with pytest.raises(ValueError, match=r"y has shape \(3,\), expected \(N,\) = \(2,\) to match o"):
        cross_entropy(o, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"o has shape \(0, 3\), expected \(N, K\) with at least one row"):
        cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


# --------------------------------------------------- sequence_cross_entropy


@pytest.mark.parametrize("N,T,K", [(1, 1, 1), (1, 1, 2), (2, 3, 4), (5, 7, 10)])
def test_sequence_cross_entropy_of_uniform_logits_is_t_log_k(N, T, K):
    # Each of the T steps costs log K; summed over time that is T log K per sequence, and the
    # mean over N sequences is the same. (K = 1 gives 0.)
    Y = np.random.default_rng(N + T + K).integers(0, K, (N, T))
    assert sequence_cross_entropy(np.zeros((N, T, K)), Y) == pytest.approx(T * math.log(K), rel=1e-14, abs=0)


def test_sequence_cross_entropy_matches_explicit_loop():
    rng = np.random.default_rng(1)
    N, T, K = 3, 4, 5
    O, Y = rng.normal(0, 2, (N, T, K)), rng.integers(0, K, (N, T))
    expected = sum(nll_by_hand(O[n, t], Y[n, t]) for n in range(N) for t in range(T)) / N
    got = sequence_cross_entropy(O, Y)
    assert type(got) is float
    assert got == pytest.approx(expected, rel=1e-13)


def test_sequence_cross_entropy_sums_over_time_and_averages_over_batch():
    # Summing over time: the loss of a sequence is the sum of its single-step losses.
    # Averaging over the batch: a batch of two copies of a sequence costs as much as one copy.
    rng = np.random.default_rng(2)
    O, Y = rng.normal(size=(1, 5, 3)), rng.integers(0, 3, (1, 5))
    per_step = [sequence_cross_entropy(O[:, t : t + 1], Y[:, t : t + 1]) for t in range(5)]
    assert sequence_cross_entropy(O, Y) == pytest.approx(sum(per_step), rel=1e-14)
    twice = sequence_cross_entropy(np.concatenate([O, O]), np.concatenate([Y, Y]))
    assert twice == pytest.approx(sequence_cross_entropy(O, Y), rel=1e-14)


def test_sequence_cross_entropy_is_finite_for_logits_of_plus_minus_1000():
    # Step 1: logits (1000, 0), target 1 -> cost 1000 + log(1 + e^-1000) = 1000.
    # Step 2: logits (-1000, 1000), target 0 -> cost 2000. Step 3: target is the big logit -> 0.
    O = np.array([[[1000.0, 0.0], [-1000.0, 1000.0], [1000.0, -1000.0]]])
    Y = np.array([[1, 0, 0]])
    assert sequence_cross_entropy(O, Y) == 3000.0


def test_sequence_cross_entropy_accepts_float32():
    got = sequence_cross_entropy(np.zeros((2, 3, 4), dtype=np.float32), np.zeros((2, 3), dtype=int))
    assert type(got) is float
    assert got == pytest.approx(3 * math.log(4), rel=1e-6)  # T log K, float32 precision


def test_sequence_cross_entropy_accepts_int32_targets():
    Y = np.array([[0, 1]], dtype=np.int32)
    assert sequence_cross_entropy(np.zeros((1, 2, 2)), Y) == pytest.approx(2 * math.log(2), rel=1e-15)


def test_sequence_cross_entropy_bad_input():
    O = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match=r"O must be 3-dimensional, got shape \(3, 4\)"):
        sequence_cross_entropy(np.zeros((3, 4)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match=r"O must have a floating-point dtype, got dtype int"):
        sequence_cross_entropy(np.zeros((2, 3, 4), dtype=int), np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match=r"Y must hold integer class indices, got dtype float64"):
        sequence_cross_entropy(O, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"Y must be 2-dimensional, got shape \(6,\)"):
        sequence_cross_entropy(O, np.zeros(6, dtype=int))
    with pytest.raises(ValueError, match=r"Y must hold indices in \[0, 4\), got values from 0 to 4"):
        sequence_cross_entropy(O, np.array([[0, 1, 2], [3, 4, 0]]))
    with pytest.raises(ValueError, match=r"Y has shape \(3, 2\), expected \(N, T\) = \(2, 3\) to match O"):
        sequence_cross_entropy(O, np.zeros((3, 2), dtype=int))
    with pytest.raises(ValueError, match=r"Y has shape \(2, 4\), expected \(N, T\) = \(2, 3\)"):
        sequence_cross_entropy(O, np.zeros((2, 4), dtype=int))
    with pytest.raises(ValueError, match=r"O has shape \(0, 3, 4\), expected \(N, T, K\) with at least one"):
        sequence_cross_entropy(np.zeros((0, 3, 4)), np.zeros((0, 3), dtype=int))


# ---------------------------------------------- sequence_cross_entropy_backward


@pytest.mark.parametrize("N, T, K", [(1, 1, 1), (1, 1, 3), (1, 4, 2), (3, 1, 5), (2, 5, 4)])
def test_sequence_cross_entropy_backward_matches_finite_differences(N, T, K):
    from rnncourse import numerical_gradient, relative_error, sequence_cross_entropy_backward

    rng = np.random.default_rng(N * 100 + T * 10 + K)
    O, Y = rng.normal(0, 2, (N, T, K)), rng.integers(0, K, (N, T))
    dO = sequence_cross_entropy_backward(O, Y)
    assert dO.shape == (N, T, K)
    num = numerical_gradient(lambda o: sequence_cross_entropy(o, Y), O)
    assert relative_error(dO, num) < 1e-7


def test_sequence_cross_entropy_backward_hand_values_and_large_logits():
    from rnncourse import sequence_cross_entropy_backward

    # Probabilities (1/4, 3/4), target 1: yhat - y = (1/4, -1/4); two identical sequences: /2 each.
    O = np.array([[[0.0, np.log(3.0)]], [[0.0, np.log(3.0)]]])
    dO = sequence_cross_entropy_backward(O, np.array([[1], [1]]))
    np.testing.assert_allclose(dO, [[[0.125, -0.125]], [[0.125, -0.125]]], rtol=1e-15)
    # A confident wrong prediction: finite, yhat - y = (-1, 1).
    dO = sequence_cross_entropy_backward(np.array([[[0.0, 800.0]]]), np.array([[0]]))
    np.testing.assert_allclose(dO, [[[-1.0, 1.0]]], atol=1e-300)
    # Every step's gradient sums to zero over the classes.
    rng = np.random.default_rng(0)
    dO = sequence_cross_entropy_backward(rng.normal(size=(3, 4, 5)), rng.integers(0, 5, (3, 4)))
    np.testing.assert_allclose(dO.sum(axis=-1), 0.0, atol=1e-16)


def test_sequence_cross_entropy_backward_bad_input():
    from rnncourse import sequence_cross_entropy_backward

    with pytest.raises(ValueError, match=r"Y has shape \(2, 2\), expected \(N, T\) = \(2, 3\) to match O"):
        sequence_cross_entropy_backward(np.zeros((2, 3, 4)), np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match=r"Y must hold indices in \[0, 4\)"):
        sequence_cross_entropy_backward(np.zeros((1, 1, 4)), np.array([[4]]))
    with pytest.raises(ValueError, match=r"O must be 3-dimensional"):
        sequence_cross_entropy_backward(np.zeros((2, 4)), np.zeros((2, 1), dtype=int))
    with pytest.raises(ValueError, match=r"Y must hold integer class indices"):
        sequence_cross_entropy_backward(np.zeros((1, 1, 4)), np.array([[0.0]]))
