"""Tests for rnncourse.gradcheck, and the first derivative checks of the forward functions.

Every analytic gradient below is derived by hand in a comment; numerical_gradient
must agree with it to a relative error below 1e-7 in float64 (the threshold of the
course's gradient checks).
"""

import math

import numpy as np
import pytest

from rnncourse import numerical_gradient, relative_error, rnn_step_forward, sequence_cross_entropy

TOL = 1e-7


def close(a, b):
    """relative_error below TOL, plus an elementwise check that does not depend on relative_error."""
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    return relative_error(a, b) < TOL


# ------------------------------------------------------- numerical_gradient


def test_gradient_of_sum_of_squares_is_2x():
    # d/dx sum(x^2) = 2x.
    x = np.random.default_rng(0).normal(size=(3, 4))
    assert close(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x)


def test_gradient_of_sin_with_upstream_is_cos_times_df():
    # d/dx_i sum_j sin(x_j) df_j = cos(x_i) df_i.
    rng = np.random.default_rng(1)
    x, df = rng.normal(size=(5,)), rng.normal(size=(5,))
    assert close(numerical_gradient(np.sin, x, df), np.cos(x) * df)


def test_gradient_of_a_matrix_product():
    # f(A) = A @ B with upstream G: d sum(G * (A B)) / dA = G B^T, and w.r.t. B it is A^T G.
    rng = np.random.default_rng(2)
    A, B, G = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    assert close(numerical_gradient(lambda a: a @ B, A, G), G @ B.T)
    assert close(numerical_gradient(lambda b: A @ b, B, G), A.T @ G)


def test_gradient_of_tanh_of_an_affine_map():
    # h = tanh(x W^T + b), upstream G: da = G (1 - h^2); dW = da^T x, db = sum_n da, dx = da W.
    rng = np.random.default_rng(3)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    G = rng.normal(size=(4, 2))
    h = np.tanh(x @ W.T + b)
    da = G * (1 - h**2)
    assert close(numerical_gradient(lambda w: np.tanh(x @ w.T + b), W, G), da.T @ x)
    assert close(numerical_gradient(lambda c: np.tanh(x @ W.T + c), b, G), da.sum(axis=0))
    assert close(numerical_gradient(lambda v: np.tanh(v @ W.T + b), x, G), da @ W)


def test_gradient_of_a_scalar_variable():
    # 0-d x: d/dx x^3 = 3x^2 = 12 at x = 2.
    g = numerical_gradient(lambda v: v**3, np.array(2.0))
    assert g.shape == ()
    assert abs(g - 12.0) / 12.0 < TOL


def test_gradient_accepts_a_python_float_returned_by_f():
    x = np.array([1.0, -2.0])
    assert close(numerical_gradient(lambda v: float(np.sum(v**2)), x), 2 * x)


def test_x_is_restored_exactly_and_f_may_close_over_it():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 3)) * 3 + 0.1  # entries where (x + eps) - eps != x in floating point
    before = x.copy()
    seen = []

    def f(_):  # ignores its argument and reads the closed-over x, as documented
        seen.append(x[0, 0])
        return np.sum(x**2)

    g = numerical_gradient(f, x)
    assert np.array_equal(x, before)  # bit for bit
    assert close(g, 2 * before)
    assert len(set(seen)) > 1  # the perturbation really happened in place


def test_float32_x_is_perturbed_in_place_and_restored():
    # float32 cannot resolve eps = 1e-6 well; with a larger step the centred difference of a
    # quadratic is exact up to rounding. The gradient comes back as float64.
    x = np.array([0.5, -1.5, 2.0], dtype=np.float32)
    before = x.copy()
    g = numerical_gradient(lambda v: np.sum(v.astype(np.float64) ** 2), x, eps=1e-2)
    assert g.dtype == np.float64
    assert np.array_equal(x, before) and x.dtype == np.float32
    np.testing.assert_allclose(g, 2 * before.astype(float), rtol=1e-5)


def test_numerical_gradient_bad_input():
    x = np.zeros(3)
    with pytest.raises(ValueError, match=r"f must be callable, got a ndarray"):
        numerical_gradient(np.ones(3), x)
    with pytest.raises(ValueError, match=r"x must have a floating-point dtype, got dtype int"):
        numerical_gradient(np.sum, np.arange(3))
    with pytest.raises(ValueError, match=r"x must be a numpy array of floats, got a str"):
        numerical_gradient(np.sum, "x")
    with pytest.raises(ValueError, match=r"eps must be positive, got 0"):
        numerical_gradient(np.sum, x, eps=0)
    with pytest.raises(ValueError, match=r"eps must be positive, got -1e-06"):
        numerical_gradient(np.sum, x, eps=-1e-6)
    with pytest.raises(ValueError, match=r"f returned an array of shape \(3,\); pass df with that shape"):
        numerical_gradient(np.sin, x)
    with pytest.raises(ValueError, match=r"df has shape \(2,\), expected f's output shape \(3,\)"):
        numerical_gradient(np.sin, x, np.ones(2))


def test_x_is_restored_even_after_a_bad_df():
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        numerical_gradient(np.sin, x, np.ones(2))
    # The error is raised while x[0] is perturbed; numerical_gradient must still restore it.
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


# ----------------------------------------------------------- relative_error


def test_relative_error_is_zero_for_two_zero_arrays_and_for_equal_arrays():
    assert relative_error(np.zeros((2, 3)), np.zeros((2, 3))) == 0.0
    assert relative_error(np.zeros(0), np.zeros(0)) == 0.0
    a = np.random.default_rng(5).normal(size=7)
    assert relative_error(a, a.copy()) == 0.0


def test_relative_error_known_values():
    # ||a - b|| / (||a|| + ||b||): against zero it is 1; against -a it is 2||a|| / 2||a|| = 1;
    # for e1 and e2 it is sqrt(2) / 2.
    a = np.array([3.0, 4.0])
    assert relative_error(a, np.zeros(2)) == 1.0
    assert relative_error(a, -a) == 1.0
    e1, e2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert relative_error(e1, e2) == pytest.approx(math.sqrt(2) / 2, rel=1e-15)
    # a = (1,), b = (2,): 1 / 3.
    assert relative_error(np.array([1.0]), np.array([2.0])) == pytest.approx(1 / 3, rel=1e-15)


def test_relative_error_is_symmetric_and_in_unit_interval():
    rng = np.random.default_rng(6)
    for _ in range(50):
        shape = tuple(rng.integers(1, 4, size=rng.integers(0, 3)))
        a, b = rng.normal(size=shape) * 10.0 ** rng.integers(-5, 5), rng.normal(size=shape)
        e = relative_error(a, b)
        assert type(e) is float
        assert 0.0 <= e <= 1.0
        assert e == relative_error(b, a)


@pytest.mark.parametrize("scale", [1e-300, 1e-200, 5e-324, 1e200, 1e300])
def test_relative_error_is_scale_invariant_without_warnings(scale):
    # (1, 2) * s: ||a - b|| / (||a|| + ||b||) = s / 3s = 1/3 for any s, including values whose
    # squares underflow (1e-200) or overflow (1e200). Subnormal 5e-324 cannot represent 2 * s exactly
    # (it is 1e-323 ~ 2 * 4.94e-324), so the tolerance is looser there.
    a, b = np.array([1.0]) * scale, np.array([2.0]) * scale
    assert relative_error(a, b) == pytest.approx(1 / 3, rel=1e-12 if scale > 1e-310 else 0.01)


def test_relative_error_of_tiny_against_zero_is_one():
    assert relative_error(np.array([1e-320]), np.array([0.0])) == 1.0


def test_relative_error_of_non_finite_values_is_nan():
    assert math.isnan(relative_error(np.array([np.inf]), np.array([1.0])))
    assert math.isnan(relative_error(np.array([np.nan]), np.array([1.0])))


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\); expected the same"):
        relative_error(np.zeros(2), np.zeros(3))
    with pytest.raises(ValueError, match=r"a has shape \(2, 3\) but b has shape \(3, 2\)"):
        relative_error(np.zeros((2, 3)), np.zeros((3, 2)))


# ----------------------------- derivatives of the forward functions (chapter 2's foundation)


@pytest.mark.parametrize("N,T,K", [(1, 1, 2), (1, 4, 3), (3, 5, 4), (2, 1, 1)])
def test_softmax_cross_entropy_gradient_is_yhat_minus_y_over_n(N, T, K):
    # The book derives dL/do_t = yhat_t - y_t for L_t = -log softmax(o_t)[y_t]; with the loss summed
    # over t and averaged over n, dL/dO[n, t] = (softmax(O[n, t]) - onehot(Y[n, t])) / N.
    # softmax and one-hot are computed here with exp and eye, not with rnncourse.
    rng = np.random.default_rng(N * 100 + T * 10 + K)
    O, Y = rng.normal(0, 2, (N, T, K)), rng.integers(0, K, (N, T))
    e = np.exp(O)
    expected = (e / e.sum(axis=-1, keepdims=True) - np.eye(K)[Y]) / N
    got = numerical_gradient(lambda o: sequence_cross_entropy(o, Y), O)
    if K == 1:  # the loss is identically 0
        np.testing.assert_allclose(got, 0.0, atol=1e-9)
        np.testing.assert_allclose(expected, 0.0, atol=1e-15)
    else:
        assert close(got, expected)


def test_rnn_step_gradients_match_backprop_through_tanh():
    # h = tanh(a), a = b + h_prev W^T + x U^T, upstream dh. With da = dh * (1 - h^2):
    # dh_prev = da W, dx = da U, dW = da^T h_prev, dU = da^T x, db = sum_n da.
    rng = np.random.default_rng(7)
    N, D, H = 3, 4, 5
    x, h_prev = rng.normal(size=(N, D)), rng.uniform(-1, 1, (N, H))
    U, W, b = rng.normal(0, 0.5, (H, D)), rng.normal(0, 0.5, (H, H)), rng.normal(0, 0.5, H)
    dh = rng.normal(size=(N, H))
    h = rnn_step_forward(x, h_prev, U, W, b)
    da = dh * (1 - h**2)
    checks = {
        "h_prev": (numerical_gradient(lambda v: rnn_step_forward(x, v, U, W, b), h_prev, dh), da @ W),
        "x": (numerical_gradient(lambda v: rnn_step_forward(v, h_prev, U, W, b), x, dh), da @ U),
        "W": (numerical_gradient(lambda v: rnn_step_forward(x, h_prev, U, v, b), W, dh), da.T @ h_prev),
        "U": (numerical_gradient(lambda v: rnn_step_forward(x, h_prev, v, W, b), U, dh), da.T @ x),
        "b": (numerical_gradient(lambda v: rnn_step_forward(x, h_prev, U, W, v), b, dh), da.sum(axis=0)),
    }
    for name, (num, ana) in checks.items():
        assert relative_error(num, ana) < TOL, name


# ----------------------------------------------------------- gradient_errors


def test_gradient_errors_reports_each_parameter():
    from rnncourse import gradient_errors

    rng = np.random.default_rng(0)
    params = {"a": rng.normal(size=(2, 3)), "b": rng.normal(size=4)}
    before = {k: v.copy() for k, v in params.items()}

    def f(p):
        return float(np.sum(p["a"] ** 2) + np.sum(np.sin(p["b"])))

    good = {"a": 2 * params["a"], "b": np.cos(params["b"])}
    errors = gradient_errors(f, params, good)
    assert set(errors) == {"a", "b"} and max(errors.values()) < 1e-9
    # A gradient missing its factor 2 has relative error |2a - a| / (|2a| + |a|) = 1/3.
    errors = gradient_errors(f, params, {"a": params["a"].copy()})
    assert set(errors) == {"a"} and abs(errors["a"] - 1 / 3) < 1e-9
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])  # restored after the check


def test_gradient_errors_bad_input():
    from rnncourse import gradient_errors

    p = {"a": np.zeros(2)}
    with pytest.raises(ValueError, match=r"f must be callable"):
        gradient_errors(1.0, p, p)
    with pytest.raises(ValueError, match=r"grads has keys \['z'\] that params does not have"):
        gradient_errors(lambda q: 0.0, p, {"z": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['a'\] has shape \(3,\), expected params\['a'\]'s shape \(2,\)"):
        gradient_errors(lambda q: 0.0, p, {"a": np.zeros(3)})
    with pytest.raises(ValueError, match=r"params must be a dict"):
        gradient_errors(lambda q: 0.0, [np.zeros(2)], {})


# ----------------------------------------------------------- step_size_errors


def test_step_size_errors_follow_the_closed_forms_and_show_the_tradeoff():
    from rnncourse import numerical_gradient, step_size_errors

    # f(z) = sum a exp(b z): the centred difference is grad sinh(b eps) / (b eps), the one-sided one
    # grad (exp(b eps) - 1) / (b eps); for eps = 0.1 down to 1e-3 truncation dominates.
    rng = np.random.default_rng(0)
    a, b, x = rng.uniform(0.5, 2, (2, 3)), rng.uniform(-1.5, 1.5, (2, 3)), rng.uniform(-1, 1, (2, 3))
    grad = a * b * np.exp(b * x)
    x_before = x.copy()
    steps = 10.0 ** -np.arange(1, 13.5, 0.5)
    centred, one_sided = step_size_errors(lambda z: float(np.sum(a * np.exp(b * z))), x, grad, steps)
    np.testing.assert_array_equal(x, x_before)
    large = steps >= 1e-3
    closed_c = [relative_error(grad * np.sinh(b * e) / (b * e), grad) for e in steps[large]]
    closed_o = [relative_error(grad * np.expm1(b * e) / (b * e), grad) for e in steps[large]]
    np.testing.assert_allclose(centred[large], closed_c, rtol=1e-4)
    np.testing.assert_allclose(one_sided[large], closed_o, rtol=1e-4)
    # truncation: slope 2 for the centred difference, 1 for the one-sided one
    assert 90 < centred[0] / centred[2] < 110 and 9 < one_sided[0] / one_sided[2] < 11
    # rounding: the best steps near eps_mach^(1/3) and eps_mach^(1/2), much worse at 1e-13
    assert 1e-7 <= steps[np.argmin(centred)] <= 1e-4 and 1e-10 <= steps[np.argmin(one_sided)] <= 1e-6
    assert centred[-1] > 100 * centred.min() and one_sided[-1] > 100 * one_sided.min()
    # the centred part is what numerical_gradient computes
    f = lambda z: float(np.sum(a * np.exp(b * z)))  # noqa: E731
    for eps, err in zip(steps[::6], centred[::6]):
        assert relative_error(numerical_gradient(f, x.copy(), eps=eps), grad) == pytest.approx(err, rel=1e-12)


def test_step_size_errors_one_entry_one_step_and_bad_input():
    from rnncourse import step_size_errors

    # f(z) = z^3 at 2: centred 12 + eps^2, one-sided 12 + 6 eps + eps^2
    c, o = step_size_errors(lambda z: float(z[0] ** 3), np.array([2.0]), np.array([12.0]), np.array([0.01]))
    assert c.shape == o.shape == (1,)
    assert c[0] == pytest.approx(1e-4 / 24.0001, rel=1e-6) and o[0] == pytest.approx(0.0601 / 24.0601, rel=1e-6)
    with pytest.raises(ValueError, match=r"f must be callable"):
        step_size_errors(1.0, np.zeros(2), np.zeros(2), np.array([1e-3]))
    with pytest.raises(ValueError, match=r"grad has shape \(3,\), expected the shape of x \(2,\)"):
        step_size_errors(lambda z: 0.0, np.zeros(2), np.zeros(3), np.array([1e-3]))
    with pytest.raises(ValueError, match=r"every step in epsilons must be positive"):
        step_size_errors(lambda z: 0.0, np.zeros(2), np.zeros(2), np.array([1e-3, 0.0]))
