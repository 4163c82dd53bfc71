"""Tests for rnncourse.ntm: values against independent computations (the notation registry's
worked example, explicit loops), every backward pass against centred finite differences
(float64, relative error < 1e-7), the edge cases of the addressing, bad input."""

import math

import numpy as np
import pytest

import rnncourse as rc
from rnncourse import numerical_gradient, relative_error

TOL = 1e-7

# The worked example of the notation registry (section 5), computed by hand there.
W_G = np.array([[0.1, 0.6, 0.2, 0.0, 0.1]])
S_EX = np.array([[0.2, 0.7, 0.0, 0.0, 0.1]])


def onehot(k, S):
    return np.eye(S)[[k]]


def simplex(rng, N, S, low=0.05):
    w = rng.uniform(low, 1.0, (N, S))
    return w / w.sum(axis=1, keepdims=True)


def case(rng, N, S, M):
    """Random inputs of one head's addressing, every entry away from the boundaries."""
    return {
        "memory": rng.normal(size=(N, S, M)),
        "q": rng.normal(size=(N, M)),
        "beta": rng.uniform(0.5, 5.0, N),
        "zeta": rng.uniform(0.1, 0.9, N),
        "s": simplex(rng, N, S),
        "xi": rng.uniform(1.2, 3.0, N),
        "w_prev": simplex(rng, N, S),
    }


# ------------------------------------------------------------------ the worked example (registry §5)

def test_shift_worked_example():
    np.testing.assert_allclose(rc.circular_shift(W_G, S_EX), [[0.15, 0.21, 0.46, 0.15, 0.03]], rtol=0, atol=1e-15)


@pytest.mark.parametrize("k, expected", [(1, [0.1, 0.1, 0.6, 0.2, 0.0]), (4, [0.6, 0.2, 0.0, 0.1, 0.1]),
                                         (0, [0.1, 0.6, 0.2, 0.0, 0.1])])
def test_pure_shifts_of_the_worked_example(k, expected):
    np.testing.assert_allclose(rc.circular_shift(W_G, onehot(k, 5)), [expected], rtol=0, atol=1e-15)


def test_shift_equals_weighted_rolls_and_the_explicit_sum():
    np.testing.assert_allclose(rc.circular_shift(W_G, S_EX),
                               0.2 * W_G + 0.7 * np.roll(W_G, 1, axis=1) + 0.1 * np.roll(W_G, -1, axis=1), atol=1e-15)
    rng = np.random.default_rng(0)
    w, s = simplex(rng, 3, 7), simplex(rng, 3, 7)
    loop = np.array([[sum(w[n, j] * s[n, (i - j) % 7] for j in range(7)) for i in range(7)] for n in range(3)])
    np.testing.assert_allclose(rc.circular_shift(w, s), loop, rtol=1e-14)


def test_shift_by_a_few_rolls_equals_the_full_circular_convolution():
    # circular_shift sums rolls when only a few shifts have weight: both routes must agree.
    rng = np.random.default_rng(13)
    S = 9
    w = simplex(rng, 2, S)
    s = np.zeros((2, S))
    s[:, [0, 1, S - 1]] = simplex(rng, 2, 3)
    loop = np.array([[sum(w[n, j] * s[n, (i - j) % S] for j in range(S)) for i in range(S)] for n in range(2)])
    np.testing.assert_allclose(rc.circular_shift(w, s), loop, rtol=1e-14)


def test_sharpen_worked_example():
    w_tilde = np.array([[0.15, 0.21, 0.46, 0.15, 0.03]])
    np.testing.assert_allclose(rc.sharpen(w_tilde, np.array([2.0])), np.array([[225, 441, 2116, 225, 9]]) / 3016,
                               rtol=1e-13)


def test_interpolation_worked_example():
    np.testing.assert_allclose(rc.interpolate_weights(onehot(2, 5), W_G, np.array([0.25])),
                               [[0.075, 0.45, 0.40, 0.0, 0.075]], rtol=0, atol=1e-15)


# ------------------------------------------------------------------ forward values by independent routes

def test_content_addressing_against_loops():
    rng = np.random.default_rng(1)
    memory, q, beta = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 3)), np.array([0.7, 4.0])
    expected = np.zeros((2, 4))
    for n in range(2):
        cos = [float(memory[n, i] @ q[n]) / (math.hypot(*memory[n, i]) * math.hypot(*q[n])) for i in range(4)]
        e = [math.exp(beta[n] * c) for c in cos]
        expected[n] = [x / sum(e) for x in e]
    np.testing.assert_allclose(rc.content_addressing(memory, q, beta), expected, rtol=1e-12)
    cos = rc.cosine_similarity(memory, q)
    assert cos.shape == (2, 4) and np.all(np.abs(cos) <= 1)


def test_read_and_write_against_loops():
    rng = np.random.default_rng(2)
    N, S, M = 2, 5, 3
    memory, w = rng.normal(size=(N, S, M)), simplex(rng, N, S)
    u, v = rng.uniform(0, 1, (N, M)), rng.normal(size=(N, M))
    m = rc.memory_read(memory, w)
    np.testing.assert_allclose(m, [sum(w[n, i] * memory[n, i] for i in range(S)) for n in range(N)], rtol=1e-13)
    new = rc.memory_write(memory, w, u, v)
    for n in range(N):
        for i in range(S):
            erased = memory[n, i] * (1 - w[n, i] * u[n])
            np.testing.assert_allclose(new[n, i], erased + w[n, i] * v[n], rtol=1e-13)


def test_write_with_one_hot_weight_and_full_erase_replaces_one_slot():
    rng = np.random.default_rng(3)
    memory, v = rng.normal(size=(1, 4, 3)), rng.normal(size=(1, 3))
    new = rc.memory_write(memory, onehot(2, 4), np.ones((1, 3)), v)
    np.testing.assert_array_equal(new[0, [0, 1, 3]], memory[0, [0, 1, 3]])
    np.testing.assert_allclose(new[0, 2], v[0], rtol=0, atol=1e-15)
    before = memory.copy()
    rc.memory_write(memory, onehot(2, 4), np.ones((1, 3)), v)
    np.testing.assert_array_equal(memory, before)  # not modified in place


def test_addressing_is_the_composition_of_the_four_steps():
    rng = np.random.default_rng(4)
    c = case(rng, 3, 6, 4)
    w_c = rc.content_addressing(c["memory"], c["q"], c["beta"])
    w = rc.sharpen(rc.circular_shift(rc.interpolate_weights(w_c, c["w_prev"], c["zeta"]), c["s"]), c["xi"])
    np.testing.assert_array_equal(rc.ntm_addressing(**c), w)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=1e-14)


# ------------------------------------------------------------------ edge cases

def test_beta_zero_gives_the_uniform_weighting():
    rng = np.random.default_rng(5)
    w = rc.content_addressing(rng.normal(size=(2, 7, 3)), rng.normal(size=(2, 3)), np.zeros(2))
    np.testing.assert_allclose(w, np.full((2, 7), 1 / 7), rtol=1e-15)


def test_large_beta_does_not_overflow_and_picks_the_best_slot():
    memory = np.array([[[1.0, 0.0], [0.6, 0.8], [-1.0, 0.0], [1.0, 0.0]]])
    q = np.array([[0.6, 0.8]])
    w = rc.content_addressing(memory, q, np.array([1e300]))
    np.testing.assert_array_equal(w, [[0.0, 1.0, 0.0, 0.0]])
    # Two slots equally similar share the weight equally.
    w = rc.content_addressing(memory, np.array([[1.0, 0.0]]), np.array([1e300]))
    np.testing.assert_array_equal(w, [[0.5, 0.0, 0.0, 0.5]])
    d = rc.content_addressing_backward(np.array([[0.3, -1.0, 2.0, 0.5]]), memory, q, np.array([1e300]))
    assert all(np.all(np.isfinite(g)) for g in d)


def test_zero_key_and_zero_slots_have_similarity_zero():
    rng = np.random.default_rng(6)
    memory = rng.normal(size=(2, 4, 3))
    memory[1, 2] = 0.0
    cos = rc.cosine_similarity(memory, np.array([[0.0, 0.0, 0.0], [1.0, 2.0, -1.0]]))
    np.testing.assert_array_equal(cos[0], 0.0)
    assert cos[1, 2] == 0.0
    w = rc.content_addressing(memory, np.zeros((2, 3)), np.array([3.0, 3.0]))
    np.testing.assert_allclose(w, 0.25, rtol=1e-15)
    grads = rc.content_addressing_backward(rng.normal(size=(2, 4)), memory, np.zeros((2, 3)), np.array([3.0, 3.0]))
    assert all(np.all(np.isfinite(g)) for g in grads)


def test_memory_of_one_slot():
    rng = np.random.default_rng(7)
    c = case(rng, 2, 1, 3)
    c["s"], c["w_prev"] = np.ones((2, 1)), np.ones((2, 1))
    np.testing.assert_array_equal(rc.ntm_addressing(**c), np.ones((2, 1)))
    np.testing.assert_allclose(rc.memory_read(c["memory"], np.ones((2, 1))), c["memory"][:, 0], rtol=1e-15)
    grads = rc.ntm_addressing_backward(rng.normal(size=(2, 1)), **c)
    assert all(np.all(np.isfinite(g)) for g in grads)
    np.testing.assert_allclose(grads[1], 0.0, atol=1e-15)  # the key cannot change a weight that is always 1


def test_uniform_and_one_hot_weightings():
    S = 6
    uniform = np.full((1, S), 1 / S)
    rng = np.random.default_rng(8)
    s = simplex(rng, 1, S)
    np.testing.assert_allclose(rc.circular_shift(uniform, s), uniform, rtol=1e-14)  # nothing to move
    np.testing.assert_allclose(rc.sharpen(uniform, np.array([5.0])), uniform, rtol=1e-14)  # no largest entry
    for k in range(S):
        np.testing.assert_array_equal(rc.sharpen(onehot(k, S), np.array([3.0])), onehot(k, S))
        np.testing.assert_array_equal(rc.circular_shift(onehot(k, S), onehot(1, S)), onehot((k + 1) % S, S))
    memory = rng.normal(size=(1, S, 3))
    np.testing.assert_array_equal(rc.memory_read(memory, onehot(4, S)), memory[:, 4])


def test_sharpening_near_zero_weights_gives_no_nan():
    # A naive w ** xi / sum underflows to 0 / 0 here; sharpening is scale invariant, so the
    # result must equal that of the same weighting scaled back up.
    w = np.array([[0.2, 0.5, 0.3, 0.0]])
    xi = np.array([3.0])
    with np.errstate(all="ignore"):
        naive = (1e-200 * w) ** 3 / ((1e-200 * w) ** 3).sum()
    assert np.isnan(naive).all()
    np.testing.assert_allclose(rc.sharpen(1e-200 * w, xi), rc.sharpen(w, xi), rtol=1e-12)
    np.testing.assert_allclose(rc.sharpen(w, xi), w**3 / np.sum(w**3), rtol=1e-13)
    assert rc.sharpen(w, xi)[0, 3] == 0.0
    # The gradient scales like 1/c and stays finite (the zero entry gets 0 for xi > 1).
    dw = np.array([[0.3, -0.2, 1.0, 0.7]])
    small = rc.sharpen_backward(dw, 1e-200 * w, xi)
    big = rc.sharpen_backward(dw, w, xi)
    np.testing.assert_allclose(small[0] * 1e-200, big[0], rtol=1e-12)
    np.testing.assert_allclose(small[1], big[1], rtol=1e-12)
    assert small[0][0, 3] == 0.0


def test_sharpen_backward_at_a_zero_weight_with_xi_one():
    # xi = 1 only renormalises: d w_i / d w~_i = 1 / sum(w~) - w~_i / sum^2, also where w~_i = 0.
    w_tilde, dw = np.array([[0.5, 0.0, 1.5]]), np.array([[1.0, 2.0, -1.0]])
    Z = w_tilde.sum()
    expected = (dw - np.sum(dw * w_tilde / Z)) / Z
    np.testing.assert_allclose(rc.sharpen_backward(dw, w_tilde, np.array([1.0]))[0], expected, rtol=1e-14)


# ------------------------------------------------------------------ backward passes against finite differences

@pytest.mark.parametrize("N, S, M", [(1, 1, 1), (1, 5, 3), (3, 4, 6), (2, 8, 2)])
def test_content_addressing_backward(N, S, M):
    rng = np.random.default_rng(10 * N + S)
    c = case(rng, N, S, M)
    memory, q, beta = c["memory"], c["q"], c["beta"]
    dw = rng.normal(size=(N, S))
    grads = rc.content_addressing_backward(dw, memory, q, beta)
    f = lambda _: rc.content_addressing(memory, q, beta)  # noqa: E731
    for name, got, var in zip(["dmemory", "dq", "dbeta"], grads, [memory, q, beta]):
        assert got.shape == var.shape, name
        assert relative_error(got, numerical_gradient(f, var, dw)) < TOL, name


@pytest.mark.parametrize("scale, eps", [(1e-3, 1e-9), (1e-5, 1e-11)])
def test_content_addressing_backward_at_small_norms(scale, eps):
    # Small slots and a small key: the cosine's gradient grows like 1/norm, and is still exact.
    rng = np.random.default_rng(11)
    memory, q, beta = rng.normal(size=(2, 4, 3)), scale * rng.normal(size=(2, 3)), np.array([2.0, 6.0])
    memory[0, 1] *= scale
    memory[1] *= scale
    dw = rng.normal(size=(2, 4))
    grads = rc.content_addressing_backward(dw, memory, q, beta)
    f = lambda _: rc.content_addressing(memory, q, beta)  # noqa: E731
    # The step must be small against the small norms (memory, q), not against beta.
    for name, got, var, step in zip(["dmemory", "dq", "dbeta"], grads, [memory, q, beta], [eps, eps, 1e-6]):
        assert relative_error(got, numerical_gradient(f, var, dw, eps=step)) < TOL, name


def test_content_addressing_backward_at_a_zero_slot_and_a_zero_key():
    # The guarded norm sqrt(||x||^2 + 1e-16) is smooth at 0, so the gradient there is a limit
    # that differences with a step well below 1e-8 reproduce.
    rng = np.random.default_rng(12)
    memory, beta = rng.normal(size=(2, 4, 3)), np.array([2.0, 6.0])
    memory[0, 1] = 0.0
    q = rng.normal(size=(2, 3))
    q[1] = 0.0
    dw = rng.normal(size=(2, 4))
    grads = rc.content_addressing_backward(dw, memory, q, beta)
    f = lambda _: rc.content_addressing(memory, q, beta)  # noqa: E731
    for name, got, var in zip(["dmemory", "dq"], grads, [memory, q]):
        assert np.all(np.isfinite(got))
        assert relative_error(got, numerical_gradient(f, var, dw, eps=1e-13)) < TOL, name


@pytest.mark.parametrize("N, S", [(1, 1), (2, 5), (4, 3)])
def test_interpolate_and_shift_backward(N, S):
    rng = np.random.default_rng(20 + N * S)
    w_c, w_prev, s, zeta = simplex(rng, N, S), simplex(rng, N, S), simplex(rng, N, S), rng.uniform(0.1, 0.9, N)
    dout = rng.normal(size=(N, S))
    grads = rc.interpolate_weights_backward(dout, w_c, w_prev, zeta)
    f = lambda _: rc.interpolate_weights(w_c, w_prev, zeta)  # noqa: E731
    for name, got, var in zip(["dw_c", "dw_prev", "dzeta"], grads, [w_c, w_prev, zeta]):
        assert got.shape == var.shape and relative_error(got, numerical_gradient(f, var, dout)) < TOL, name
    grads = rc.circular_shift_backward(dout, w_c, s)
    f = lambda _: rc.circular_shift(w_c, s)  # noqa: E731
    for name, got, var in zip(["dw_g", "ds"], grads, [w_c, s]):
        assert got.shape == var.shape and relative_error(got, numerical_gradient(f, var, dout)) < TOL, name


@pytest.mark.parametrize("N, S, low", [(1, 1, 0.05), (2, 5, 0.05), (3, 6, 1e-3)])
def test_sharpen_backward(N, S, low):
    rng = np.random.default_rng(30 + S)
    w_tilde, xi = simplex(rng, N, S, low=low), rng.uniform(1.0, 4.0, N)
    dw = rng.normal(size=(N, S))
    grads = rc.sharpen_backward(dw, w_tilde, xi)
    f = lambda _: rc.sharpen(w_tilde, xi)  # noqa: E731
    # A step small against the smallest weight for w_tilde; the usual step for xi.
    for name, got, var, eps in zip(["dw_tilde", "dxi"], grads, [w_tilde, xi], [1e-6 * low, 1e-6]):
        assert got.shape == var.shape and relative_error(got, numerical_gradient(f, var, dw, eps=eps)) < TOL, name


@pytest.mark.parametrize("N, S, M", [(1, 1, 2), (1, 5, 3), (3, 4, 2), (2, 7, 5)])
def test_ntm_addressing_backward(N, S, M):
    rng = np.random.default_rng(40 + N + S + M)
    c = case(rng, N, S, M)
    dw = rng.normal(size=(N, S))
    grads = rc.ntm_addressing_backward(dw, **c)
    f = lambda _: rc.ntm_addressing(**c)  # noqa: E731
    for name, got in zip(["memory", "q", "beta", "zeta", "s", "xi", "w_prev"], grads):
        assert got.shape == c[name].shape, name
        assert relative_error(got, numerical_gradient(f, c[name], dw)) < TOL, name


@pytest.mark.parametrize("N, S, M", [(1, 1, 1), (2, 5, 3), (3, 4, 6)])
def test_read_and_write_backward(N, S, M):
    rng = np.random.default_rng(50 + S)
    memory, w = rng.normal(size=(N, S, M)), simplex(rng, N, S)
    u, v = rng.uniform(0.1, 0.9, (N, M)), rng.normal(size=(N, M))
    dm = rng.normal(size=(N, M))
    f = lambda _: rc.memory_read(memory, w)  # noqa: E731
    for name, got, var in zip(["dmemory", "dw"], rc.memory_read_backward(dm, memory, w), [memory, w]):
        assert got.shape == var.shape and relative_error(got, numerical_gradient(f, var, dm)) < TOL, name
    dnew = rng.normal(size=(N, S, M))
    f = lambda _: rc.memory_write(memory, w, u, v)  # noqa: E731
    for name, got, var in zip(["dmemory", "dw", "du", "dv"], rc.memory_write_backward(dnew, memory, w, u, v),
                              [memory, w, u, v]):
        assert got.shape == var.shape and relative_error(got, numerical_gradient(f, var, dnew)) < TOL, name


def test_float32_stays_float32():
    rng = np.random.default_rng(9)
    c = {k: v.astype(np.float32) for k, v in case(rng, 2, 4, 3).items()}
    assert rc.ntm_addressing(**c).dtype == np.float32
    assert all(g.dtype == np.float32 for g in rc.ntm_addressing_backward(np.ones((2, 4), np.float32), **c))
    assert rc.memory_read(c["memory"], c["w_prev"]).dtype == np.float32


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("change, match", [
    ({"beta": np.array([-1.0, 1.0])}, "beta"),
    ({"beta": np.ones(3)}, "beta"),
    ({"zeta": np.array([0.5, 1.5])}, "zeta"),
    ({"xi": np.array([0.5, 2.0])}, "xi"),
    ({"q": np.ones((2, 4))}, "q"),
    ({"s": np.ones((2, 3))}, "s"),
    ({"s": np.array([[0.5, 0.7, 0, 0, -0.2], [1.0, 0, 0, 0, 0]])}, "s must be >= 0"),
    ({"w_prev": np.ones((3, 5))}, "w_prev"),
    ({"memory": np.ones((2, 5))}, "memory"),
    ({"memory": np.full((2, 5, 3), np.nan)}, "memory"),
    ({"q": np.ones((2, 3), dtype=int)}, "q"),
])
def test_bad_addressing_input_names_the_argument(change, match):
    rng = np.random.default_rng(0)
    c = {**case(rng, 2, 5, 3), **change}
    with pytest.raises(ValueError, match=match):
        rc.ntm_addressing(**c)


def test_negative_shift_weights_are_refused_forward_and_backward():
    w, s = np.full((1, 4), 0.25), np.array([[1.2, -0.2, 0.0, 0.0]])
    with pytest.raises(ValueError, match="s must be >= 0"):
        rc.circular_shift(w, s)
    with pytest.raises(ValueError, match="s must be >= 0"):
        rc.circular_shift_backward(np.ones((1, 4)), w, s)


def test_bad_sharpen_read_write_input():
    with pytest.raises(ValueError, match="w_tilde"):
        rc.sharpen(np.array([[0.5, -0.1, 0.6]]), np.array([2.0]))
    with pytest.raises(ValueError, match="w_tilde"):
        rc.sharpen(np.zeros((1, 3)), np.array([2.0]))
    with pytest.raises(ValueError, match="u"):
        rc.memory_write(np.zeros((1, 2, 3)), np.ones((1, 2)) / 2, np.full((1, 3), 2.0), np.ones((1, 3)))
    with pytest.raises(ValueError, match="v"):
        rc.memory_write(np.zeros((1, 2, 3)), np.ones((1, 2)) / 2, np.ones((1, 3)), np.ones((1, 2)))
    with pytest.raises(ValueError, match="w"):
        rc.memory_read(np.zeros((1, 2, 3)), np.ones((1, 3)))
    with pytest.raises(ValueError, match="dm"):
        rc.memory_read_backward(np.ones((1, 2)), np.zeros((1, 2, 3)), np.ones((1, 2)))


# ------------------------------------------------------------------ copy tasks

def test_copy_task_layout():
    X, Y, mask = rc.copy_task(3, 4, width=5, rng=np.random.default_rng(0))
    assert X.shape == (3, 9, 6) and Y.shape == (3, 9, 5) and mask.shape == (9,)
    np.testing.assert_array_equal(Y[:, 5:], X[:, :4, :5])
    np.testing.assert_array_equal(X[:, 4], np.tile([0, 0, 0, 0, 0, 1.0], (3, 1)))
    assert not X[:, 5:].any() and not Y[:, :5].any() and not X[:, :4, 5].any()
    np.testing.assert_array_equal(mask, [False] * 5 + [True] * 4)
    assert set(np.unique(X)) <= {0.0, 1.0}


def test_repeat_copy_task_layout():
    X, Y, mask = rc.repeat_copy_task(2, 3, 2, width=4, rng=np.random.default_rng(1))
    T = 3 + 1 + 2 * 3 + 1
    assert X.shape == (2, T, 6) and Y.shape == (2, T, 5) and mask.shape == (T,)
    seq = X[:, :3, :4]
    np.testing.assert_array_equal(Y[:, 4:7, :4], seq)
    np.testing.assert_array_equal(Y[:, 7:10, :4], seq)
    np.testing.assert_array_equal(Y[:, -1], np.tile([0, 0, 0, 0, 1.0], (2, 1)))
    assert X[0, 3, 4] == 1.0 and X[0, 3, 5] == 2.0 and not X[:, 4:].any()
    assert mask.sum() == T - 4 and not mask[:4].any()


@pytest.mark.parametrize("kwargs, match", [({"n": 0}, "n"), ({"length": 1.5}, "length"), ({"width": -1}, "width"),
                                           ({"rng": 3}, "rng")])
def test_copy_task_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rc.copy_task(**{"n": 2, "length": 3, **kwargs})
    with pytest.raises(ValueError, match="repeats"):
        rc.repeat_copy_task(2, 3, 0)
