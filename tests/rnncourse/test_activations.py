"""Tests for rnncourse.activations: sigmoid, softmax, log_softmax.

Expected values come from closed forms (sigmoid(0) = 1/2, softmax of equal
logits = 1/K, ...) or from scalar formulas evaluated with the ``math`` module,
never from the functions under test.
"""

import math

import numpy as np
import pytest

from rnncourse import log_softmax, sigmoid, softmax


def softmax_by_hand(row):
    """Softmax of one list of moderate logits with math.exp (no shift needed for |o| < 50)."""
    e = [math.exp(v) for v in row]
    return [v / sum(e) for v in e]


# ----------------------------------------------------------------- sigmoid


def test_sigmoid_of_zero_is_one_half():
    # sigma(0) = 1 / (1 + e^0) = 1/2.
    assert sigmoid(np.array(0.0)) == 0.5
    assert sigmoid(0.0) == 0.5


def test_sigmoid_of_log_three_is_three_quarters():
    # sigma(log 3) = 1 / (1 + 1/3) = 3/4; sigma(-log 3) = 1 / (1 + 3) = 1/4.
    np.testing.assert_allclose(sigmoid(np.array([math.log(3), -math.log(3)])), [0.75, 0.25], rtol=1e-15)


def test_sigmoid_matches_scalar_formula_and_keeps_shape():
    a = np.random.default_rng(0).normal(0, 4, size=(2, 3, 4))
    expected = np.vectorize(lambda v: 1 / (1 + math.exp(-v)))(a)
    got = sigmoid(a)
    assert got.shape == a.shape
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_sigmoid_symmetry_and_tanh_identity():
    # sigma(a) + sigma(-a) = 1 and 2 sigma(2a) - 1 = tanh(a), both exact identities.
    a = np.linspace(-8, 8, 33)
    np.testing.assert_allclose(sigmoid(a) + sigmoid(-a), 1.0, rtol=1e-15)
    np.testing.assert_allclose(2 * sigmoid(2 * a) - 1, np.tanh(a), atol=1e-15)


def test_sigmoid_is_finite_and_saturates_for_huge_inputs():
    # exp(-1000) underflows to 0 in float64, so sigma(1000) = 1 and sigma(-1000) = 0 exactly;
    # no RuntimeWarning (pytest turns them into errors).
    got = sigmoid(np.array([1000.0, -1000.0, 1e308, -1e308]))
    np.testing.assert_array_equal(got, [1.0, 0.0, 1.0, 0.0])


def test_sigmoid_keeps_precision_in_the_negative_tail():
    # For a = -30, sigma(a) = e^-30 / (1 + e^-30), far below float64's 1 - eps resolution;
    # a naive 1 - sigma(-a) would give 0.
    expected = math.exp(-30) / (1 + math.exp(-30))
    np.testing.assert_allclose(sigmoid(np.array([-30.0])), [expected], rtol=1e-14)


def test_sigmoid_keeps_float32():
    got = sigmoid(np.zeros(3, dtype=np.float32))
    assert got.dtype == np.float32  # dtype preserved, not promoted to float64
    np.testing.assert_array_equal(got, 0.5)


def test_sigmoid_accepts_a_python_list():
    np.testing.assert_array_equal(sigmoid([0.0, 0.0]), [0.5, 0.5])


@pytest.mark.parametrize("bad", [np.array([1, 2]), np.array([True, False])])
def test_sigmoid_refuses_integer_and_boolean_arrays(bad):
    with pytest.raises(ValueError, match=r"a must have a floating-point dtype, got dtype"):
        sigmoid(bad)


def test_sigmoid_refuses_non_numeric_input():
    with pytest.raises(ValueError, match=r"a must be a numpy array of floats, got a str"):
        sigmoid("0.5")


# ----------------------------------------------------------------- softmax


@pytest.mark.parametrize("K", [1, 2, 5])
def test_softmax_of_equal_logits_is_uniform(K):
    # All exp(o_k) are equal, so each probability is 1/K (K = 1 gives exactly 1).
    np.testing.assert_allclose(softmax(np.full((3, K), 2.5)), np.full((3, K), 1 / K), rtol=1e-15)


def test_softmax_of_zero_and_log_three():
    # exp(0) = 1, exp(log 3) = 3: probabilities 1/4 and 3/4.
    np.testing.assert_allclose(softmax(np.array([[0.0, math.log(3)]])), [[0.25, 0.75]], rtol=1e-15)


def test_softmax_matches_scalar_formula_on_each_row_of_a_3d_array():
    o = np.random.default_rng(1).normal(0, 2, size=(2, 3, 4))
    got = softmax(o)
    assert got.shape == o.shape
    for n in range(2):
        for t in range(3):
            np.testing.assert_allclose(got[n, t], softmax_by_hand(o[n, t]), rtol=1e-13)


def test_softmax_of_a_1d_vector():
    o = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax(o), softmax_by_hand(o), rtol=1e-14)


def test_softmax_is_invariant_to_adding_a_constant():
    o = np.random.default_rng(2).normal(size=(4, 6))
    np.testing.assert_allclose(softmax(o + 123.0), softmax(o), rtol=1e-12)


def test_softmax_is_finite_and_correct_for_logits_of_plus_minus_1000():
    # Row [1000, -1000, 0, 999]: subtracting the max 1000 gives exponents [0, -2000, -1000, -1],
    # i.e. weights [1, 0, 0, e^-1] (the middle two underflow to exactly 0).
    got = softmax(np.array([[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -1000.0, -1000.0, -1000.0]]))
    e1 = math.exp(-1)
    np.testing.assert_allclose(got[0], [1 / (1 + e1), 0.0, 0.0, e1 / (1 + e1)], rtol=1e-15, atol=0)
    np.testing.assert_allclose(got[1], [0.25] * 4, rtol=1e-15)  # equal logits, however negative
    assert np.all(np.isfinite(got))


def test_softmax_keeps_float32():
    got = softmax(np.zeros((2, 4), dtype=np.float32))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, 0.25)


def test_softmax_refuses_integer_logits():
    with pytest.raises(ValueError, match=r"o must have a floating-point dtype, got dtype int"):
        softmax(np.array([[1, 2]]))


def test_softmax_refuses_a_scalar():
    with pytest.raises(ValueError, match=r"o must be at least 1-dimensional, got shape \(\)"):
        softmax(np.array(1.0))


def test_softmax_refuses_zero_classes():
    with pytest.raises(ValueError, match=r"o has shape \(2, 0\), expected at least one class"):
        softmax(np.zeros((2, 0)))


# ------------------------------------------------------------- log_softmax


@pytest.mark.parametrize("K", [1, 3, 7])
def test_log_softmax_of_equal_logits_is_minus_log_k(K):
    np.testing.assert_allclose(log_softmax(np.zeros((2, K))), np.full((2, K), -math.log(K)), atol=1e-15)


def test_log_softmax_matches_log_of_scalar_softmax():
    o = np.random.default_rng(3).normal(0, 3, size=(3, 5))
    got = log_softmax(o)
    for n in range(3):
        np.testing.assert_allclose(got[n], np.log(softmax_by_hand(o[n])), rtol=1e-12, atol=1e-14)


def test_log_softmax_is_finite_for_logits_of_plus_minus_1000():
    # log yhat = o - max - log(sum exp(o - max)); for [1000, 0, -1000] the shifted exponents are
    # [0, -1000, -2000] and log(1 + e^-1000 + e^-2000) = 0 in float64: result [0, -1000, -2000].
    got = log_softmax(np.array([[1000.0, 0.0, -1000.0]]))
    np.testing.assert_array_equal(got, [[0.0, -1000.0, -2000.0]])


def test_log_softmax_keeps_float32():
    got = log_softmax(np.zeros((1, 2), dtype=np.float32))
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, -math.log(2), rtol=1e-6)


def test_log_softmax_refuses_bad_input():
    with pytest.raises(ValueError, match=r"o must have a floating-point dtype"):
        log_softmax(np.array([[0, 1]]))
    with pytest.raises(ValueError, match=r"o has shape \(3, 0\), expected at least one class"):
        log_softmax(np.zeros((3, 0)))
