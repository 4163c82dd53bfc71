"""Tests for rnncourse.rnn: the vanilla RNN forward passes.

The expected values are explicit Python loops over units and time written here,
a_i = b[i] + sum_j U[i, j] x[j] + sum_j W[i, j] h[j], h_i = tanh(a_i), so they do
not share the implementation's matrix products or transposes. Random W are never
symmetric, so using W instead of W.T would be caught.
"""

import math

import numpy as np
import pytest

from rnncourse import (
    init_rnn_params,
    many_to_one_forward,
    output_forward,
    rnn_forward,
    rnn_step_forward,
    stacked_rnn_forward,
)


def step_by_loops(x, h, U, W, b):
    N, D = x.shape
    H = W.shape[0]
    out = np.empty((N, H))
    for n in range(N):
        for i in range(H):
            a = b[i]
            a += sum(U[i, j] * x[n, j] for j in range(D))
            a += sum(W[i, j] * h[n, j] for j in range(H))
            out[n, i] = math.tanh(a)
    return out


def sequence_by_loops(X, h0, U, W, b):
    N, T, _ = X.shape
    Hs = np.empty((N, T, W.shape[0]))
    h = h0
    for t in range(T):
        h = step_by_loops(X[:, t], h, U, W, b)
        Hs[:, t] = h
    return Hs


def output_by_loops(h, V, c):
    N, H = h.shape
    K = V.shape[0]
    return np.array([[c[k] + sum(V[k, j] * h[n, j] for j in range(H)) for k in range(K)] for n in range(N)])


def random_case(seed, N, T, D, H, K=2):
    rng = np.random.default_rng(seed)
    p = {
        "U": rng.normal(0, 1, (H, D)),
        "W": rng.normal(0, 1 / math.sqrt(H), (H, H)),
        "b": rng.normal(0, 0.5, H),
        "V": rng.normal(0, 1, (K, H)),
        "c": rng.normal(0, 0.5, K),
    }
    if H > 1:
        assert not np.allclose(p["W"], p["W"].T)
    return rng.normal(0, 1, (N, T, D)), rng.uniform(-1, 1, (N, H)), p


SIZES = [(1, 1, 1, 1), (1, 3, 2, 1), (2, 1, 3, 4), (3, 5, 2, 3), (4, 4, 5, 2)]  # (N, T, D, H)


# ---------------------------------------------------------- init_rnn_params


def test_init_rnn_params_shapes_and_zero_biases():
    p = init_rnn_params(3, 4, 5)
    assert {k: v.shape for k, v in p.items()} == {"U": (4, 3), "W": (4, 4), "b": (4,), "V": (5, 4), "c": (5,)}
    assert all(v.dtype == np.float64 for v in p.values())
    np.testing.assert_array_equal(p["b"], 0.0)
    np.testing.assert_array_equal(p["c"], 0.0)


def test_init_rnn_params_is_deterministic_by_default_and_follows_the_generator():
    a, b = init_rnn_params(2, 3, 2), init_rnn_params(2, 3, 2)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    c = init_rnn_params(2, 3, 2, rng=np.random.default_rng(1))
    d = init_rnn_params(2, 3, 2, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(c["W"], d["W"])
    assert not np.array_equal(a["W"], c["W"])


def test_init_rnn_params_fan_in_scale():
    # Default std is 1/sqrt(fan_in): 1/sqrt(D) = 0.1 for U (D = 100), 1/sqrt(H) = 1/sqrt(200) for W and V.
    # With 20000-40000 samples the sample std is within 2% of the true one (its relative sd is ~0.5%).
    p = init_rnn_params(100, 200, 150, rng=np.random.default_rng(0))
    assert p["U"].std() == pytest.approx(0.1, rel=0.02)
    assert p["W"].std() == pytest.approx(1 / math.sqrt(200), rel=0.02)
    assert p["V"].std() == pytest.approx(1 / math.sqrt(200), rel=0.02)


def test_init_rnn_params_explicit_scale():
    assert np.all(init_rnn_params(2, 3, 4, scale=0.0)["W"] == 0.0)
    p = init_rnn_params(100, 200, 2, rng=np.random.default_rng(0), scale=0.5)
    assert p["U"].std() == pytest.approx(0.5, rel=0.02)


@pytest.mark.parametrize(
    "args,match",
    [
        ((0, 3, 2), r"D must be a positive int, got 0"),
        ((2, 2.5, 2), r"H must be a positive int, got 2.5"),
        ((2, 3, "4"), r"K must be a positive int, got '4'"),
    ],
)
def test_init_rnn_params_refuses_bad_sizes(args, match):
    with pytest.raises(ValueError, match=match):
        init_rnn_params(*args)


def test_init_rnn_params_refuses_a_seed_instead_of_a_generator():
    with pytest.raises(ValueError, match=r"rng must be a numpy.random.Generator"):
        init_rnn_params(2, 3, 2, rng=0)


# --------------------------------------------------------- rnn_step_forward


@pytest.mark.parametrize("N,T,D,H", SIZES)
def test_rnn_step_forward_matches_loops_over_units(N, T, D, H):
    X, h0, p = random_case(N * 100 + D * 10 + H, N, T, D, H)
    got = rnn_step_forward(X[:, 0], h0, p["U"], p["W"], p["b"])
    assert got.shape == (N, H)
    expected = step_by_loops(X[:, 0], h0, p["U"], p["W"], p["b"])
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def test_rnn_step_forward_closed_forms():
    # U = I, W = 0, b = 0: h = tanh(x). U = 0, W = 0: every row is tanh(b).
    x, h = np.array([[0.5, -2.0]]), np.array([[0.3, 0.1]])
    I, Z = np.eye(2), np.zeros((2, 2))
    np.testing.assert_allclose(rnn_step_forward(x, h, I, Z, np.zeros(2)), [[math.tanh(0.5), math.tanh(-2.0)]])
    b = np.array([1.0, -0.25])
    np.testing.assert_allclose(rnn_step_forward(x, h, Z, Z, b), [[math.tanh(1.0), math.tanh(-0.25)]])


def test_rnn_step_forward_float32():
    _, h0, p = random_case(0, 2, 1, 3, 4)
    x = np.random.default_rng(5).normal(size=(2, 3))
    args32 = [a.astype(np.float32) for a in (x, h0, p["U"], p["W"], p["b"])]
    got = rnn_step_forward(*args32)
    assert got.dtype == np.float32  # all-float32 arguments give a float32 state
    np.testing.assert_allclose(got, step_by_loops(*[a.astype(float) for a in args32]), rtol=1e-5, atol=1e-6)


def test_rnn_step_forward_bad_input():
    rng = np.random.default_rng(0)
    x, h = rng.normal(size=(2, 4)), rng.normal(size=(2, 3))
    U, W, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 3)), np.zeros(3)
    with pytest.raises(ValueError, match=r"x must be 2-dimensional, got shape \(4,\)"):
        rnn_step_forward(x[0], h, U, W, b)
    with pytest.raises(ValueError, match=r"x must have a floating-point dtype, got dtype int"):
        rnn_step_forward(x.astype(int), h, U, W, b)
    with pytest.raises(ValueError, match=r"U has shape \(4, 3\), expected \(H, D\) = \(3, 4\)"):
        rnn_step_forward(x, h, U.T, W, b)
    with pytest.raises(ValueError, match=r"W has shape \(3, 4\), expected \(H, H\) = \(3, 3\)"):
        rnn_step_forward(x, h, U, np.zeros((3, 4)), b)
    with pytest.raises(ValueError, match=r"W must be 2-dimensional"):
        rnn_step_forward(x, h, U, np.zeros(3), b)
    with pytest.raises(ValueError, match=r"b has shape \(2,\), expected \(H,\) = \(3,\)"):
        rnn_step_forward(x, h, U, W, np.zeros(2))
    with pytest.raises(ValueError, match=r"b must be 1-dimensional, got shape \(1, 3\)"):
        rnn_step_forward(x, h, U, W, np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"h_prev has shape \(1, 3\), expected \(N, H\) = \(2, 3\)"):
        rnn_step_forward(x, h[:1], U, W, b)
    with pytest.raises(ValueError, match=r"h_prev has shape \(2, 2\), expected \(N, H\) = \(2, 3\)"):
        rnn_step_forward(x, h[:, :2], U, W, b)
    with pytest.raises(ValueError, match=r"h_prev must have a floating-point dtype"):
        rnn_step_forward(x, np.zeros((2, 3), dtype=int), U, W, b)


# -------------------------------------------------------------- rnn_forward


@pytest.mark.parametrize("N,T,D,H", SIZES)
def test_rnn_forward_matches_loops_over_time(N, T, D, H):
    X, h0, p = random_case(N * 1000 + T * 100 + D * 10 + H, N, T, D, H)
    got = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    assert got.shape == (N, T, H)
    np.testing.assert_allclose(got, sequence_by_loops(X, h0, p["U"], p["W"], p["b"]), rtol=1e-12, atol=1e-14)


def test_rnn_forward_equals_repeated_steps_and_excludes_h0():
    X, h0, p = random_case(7, 2, 6, 3, 4)
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    h = h0
    for t in range(6):
        h = rnn_step_forward(X[:, t], h, p["U"], p["W"], p["b"])
        np.testing.assert_array_equal(Hs[:, t], h)
    assert not np.allclose(Hs[:, 0], h0)


def test_rnn_forward_t_equals_one_is_one_step():
    X, h0, p = random_case(8, 3, 1, 2, 5)
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    np.testing.assert_array_equal(Hs[:, 0], rnn_step_forward(X[:, 0], h0, p["U"], p["W"], p["b"]))


def test_rnn_forward_is_causal():
    # Changing the input at t = 3 leaves h_0..h_2 unchanged and changes h_3.
    X, h0, p = random_case(9, 2, 5, 3, 4)
    Hs = rnn_forward(X, h0, p["U"], p["W"], p["b"])
    X2 = X.copy()
    X2[:, 3] += 1.0
    Hs2 = rnn_forward(X2, h0, p["U"], p["W"], p["b"])
    np.testing.assert_array_equal(Hs2[:, :3], Hs[:, :3])
    assert not np.allclose(Hs2[:, 3], Hs[:, 3])


def test_rnn_forward_does_not_modify_its_arguments():
    X, h0, p = random_case(10, 2, 3, 2, 3)
    copies = [a.copy() for a in (X, h0, p["U"], p["W"], p["b"])]
    rnn_forward(X, h0, p["U"], p["W"], p["b"])
    for before, after in zip(copies, (X, h0, p["U"], p["W"], p["b"])):
        np.testing.assert_array_equal(before, after)


def test_rnn_forward_dtypes():
    X, h0, p = random_case(11, 2, 3, 2, 3)
    args = [X, h0, p["U"], p["W"], p["b"]]
    assert rnn_forward(*[a.astype(np.float32) for a in args]).dtype == np.float32
    # One float64 argument promotes the result, as numpy's arithmetic would.
    mixed = [X.astype(np.float32), h0, p["U"], p["W"], p["b"]]
    Hs = rnn_forward(*mixed)
    assert Hs.dtype == np.float64
    expected = sequence_by_loops(X.astype(np.float32).astype(float), *args[1:])
    np.testing.assert_allclose(Hs, expected, rtol=1e-12)


def test_rnn_forward_accepts_lists():
    # Lists are converted like every other float argument (they used to crash in np.result_type).
    X = [[[1.0], [0.0]]]
    Hs = rnn_forward(X, [[0.0]], [[1.0]], [[0.5]], [0.0])
    # h1 = tanh(1), h2 = tanh(0.5 tanh(1)).
    np.testing.assert_allclose(Hs, [[[math.tanh(1.0)], [math.tanh(0.5 * math.tanh(1.0))]]], rtol=1e-15)


def test_rnn_forward_bad_input():
    X, h0, p = random_case(12, 2, 3, 4, 3)
    U, W, b = p["U"], p["W"], p["b"]
    with pytest.raises(ValueError, match=r"X must be 3-dimensional, got shape \(2, 4\)"):
        rnn_forward(X[:, 0], h0, U, W, b)
    with pytest.raises(ValueError, match=r"X must have a floating-point dtype"):
        rnn_forward(X.astype(int), h0, U, W, b)
    with pytest.raises(ValueError, match=r"expected at least one time step \(T >= 1\)"):
        rnn_forward(X[:, :0], h0, U, W, b)
    with pytest.raises(ValueError, match=r"h0 has shape \(1, 3\), expected \(N, H\) = \(2, 3\)"):
        rnn_forward(X, h0[:1], U, W, b)
    with pytest.raises(ValueError, match=r"h0 must be 2-dimensional, got shape \(3,\)"):
        rnn_forward(X, h0[0], U, W, b)
    with pytest.raises(ValueError, match=r"h0 must have a floating-point dtype"):
        rnn_forward(X, np.zeros((2, 3), dtype=int), U, W, b)
    with pytest.raises(ValueError, match=r"U has shape \(4, 3\), expected \(H, D\) = \(3, 4\)"):
        rnn_forward(X, h0, U.T, W, b)
    with pytest.raises(ValueError, match=r"W has shape \(3, 2\), expected \(H, H\)"):
        rnn_forward(X, h0, U, W[:, :2], b)
    with pytest.raises(ValueError, match=r"b has shape \(4,\), expected \(H,\) = \(3,\)"):
        rnn_forward(X, h0, U, W, np.zeros(4))


# ----------------------------------------------------------- output_forward


def test_output_forward_matches_loops_for_3d_and_2d_states():
    rng = np.random.default_rng(13)
    Hs, V, c = rng.uniform(-1, 1, (2, 3, 4)), rng.normal(size=(5, 4)), rng.normal(size=5)
    O = output_forward(Hs, V, c)
    assert O.shape == (2, 3, 5)
    for t in range(3):
        np.testing.assert_allclose(O[:, t], output_by_loops(Hs[:, t], V, c), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(output_forward(Hs[:, 1], V, c), output_by_loops(Hs[:, 1], V, c), rtol=1e-12)


def test_output_forward_with_k_and_h_equal_to_one():
    # o = c + V h with scalars: 0.5 + 2 * 0.25 = 1.
    got = output_forward(np.array([[[0.25]]]), np.array([[2.0]]), np.array([0.5]))
    np.testing.assert_allclose(got, [[[1.0]]])


def test_output_forward_bad_input():
    rng = np.random.default_rng(14)
    Hs, V, c = rng.uniform(-1, 1, (2, 3, 4)), rng.normal(size=(5, 4)), rng.normal(size=5)
    with pytest.raises(ValueError, match=r"V has shape \(4, 5\), expected \(K, H\) with H = 4"):
        output_forward(Hs, V.T, c)
    with pytest.raises(ValueError, match=r"c has shape \(4,\), expected \(K,\) = \(5,\)"):
        output_forward(Hs, V, c[:4])
    with pytest.raises(ValueError, match=r"Hs must be 2 or 3-dimensional, got shape \(4,\)"):
        output_forward(Hs[0, 0], V, c)
    with pytest.raises(ValueError, match=r"V must be 2-dimensional"):
        output_forward(Hs, V[0], c)
    with pytest.raises(ValueError, match=r"Hs must have a floating-point dtype"):
        output_forward(np.zeros((2, 4), dtype=int), V, c)


# ------------------------------------------------------ many_to_one_forward


@pytest.mark.parametrize("N,T,D,H", SIZES)
def test_many_to_one_forward_is_output_layer_on_last_state(N, T, D, H):
    X, h0, p = random_case(N + T + D + H, N, T, D, H, K=3)
    o = many_to_one_forward(X, h0, **p)
    assert o.shape == (N, 3)
    last = sequence_by_loops(X, h0, p["U"], p["W"], p["b"])[:, -1]
    np.testing.assert_allclose(o, output_by_loops(last, p["V"], p["c"]), rtol=1e-12, atol=1e-13)
    np.testing.assert_array_equal(
        o, output_forward(rnn_forward(X, h0, p["U"], p["W"], p["b"])[:, -1], p["V"], p["c"])
    )


def test_many_to_one_forward_bad_input():
    X, h0, p = random_case(15, 2, 3, 4, 3, K=2)
    with pytest.raises(ValueError, match=r"V has shape \(3, 2\), expected \(K, H\) with H = 3"):
        many_to_one_forward(X, h0, p["U"], p["W"], p["b"], p["V"].T, p["c"])
    with pytest.raises(ValueError, match=r"c has shape \(3,\), expected \(K,\) = \(2,\)"):
        many_to_one_forward(X, h0, p["U"], p["W"], p["b"], p["V"], np.zeros(3))
    with pytest.raises(ValueError, match=r"U has shape \(4, 3\), expected \(H, D\) = \(3, 4\)"):
        many_to_one_forward(X, h0, p["U"].T, p["W"], p["b"], p["V"], p["c"])
    with pytest.raises(ValueError, match=r"h0 has shape"):
        many_to_one_forward(X, h0[:, :2], p["U"], p["W"], p["b"], p["V"], p["c"])


# ------------------------------------------------------ stacked_rnn_forward


def make_stack(seed, N, T, sizes):
    """sizes = [D, H_1, ..., H_L]."""
    rng = np.random.default_rng(seed)
    layers = [
        {"U": rng.normal(0, 1, (h, d)), "W": rng.normal(0, 0.5, (h, h)), "b": rng.normal(0, 0.5, h)}
        for d, h in zip(sizes[:-1], sizes[1:])
    ]
    h0s = [rng.uniform(-1, 1, (N, h)) for h in sizes[1:]]
    return rng.normal(size=(N, T, sizes[0])), h0s, layers


@pytest.mark.parametrize("N,T,sizes", [(1, 1, [1, 1]), (2, 4, [3, 5, 2]), (3, 2, [2, 4, 4, 1])])
def test_stacked_rnn_forward_layer_reads_the_previous_layer(N, T, sizes):
    X, h0s, layers = make_stack(sum(sizes) + N + T, N, T, sizes)
    Hs_list = stacked_rnn_forward(X, h0s, layers)
    assert [Hs.shape for Hs in Hs_list] == [(N, T, h) for h in sizes[1:]]
    inputs = X
    for l, layer in enumerate(layers):
        expected = sequence_by_loops(inputs, h0s[l], layer["U"], layer["W"], layer["b"])
        np.testing.assert_allclose(Hs_list[l], expected, rtol=1e-12, atol=1e-14)
        np.testing.assert_array_equal(Hs_list[l], rnn_forward(inputs, h0s[l], **layer))
        inputs = Hs_list[l]


def test_stacked_rnn_forward_bad_input():
    X, h0s, layers = make_stack(16, 2, 3, [3, 4, 5])
    with pytest.raises(ValueError, match=r"h0s has 1 initial states but layers has 2 layers"):
        stacked_rnn_forward(X, h0s[:1], layers)
    with pytest.raises(ValueError, match=r"layers is empty, expected at least one layer"):
        stacked_rnn_forward(X, [], [])
    with pytest.raises(ValueError, match=r"layers\[1\] is missing \['W'\], expected keys U, W, b"):
        stacked_rnn_forward(X, h0s, [layers[0], {"U": layers[1]["U"], "b": layers[1]["b"]}])
    bad = [layers[0], dict(layers[1], U=layers[1]["U"].T)]
    with pytest.raises(ValueError, match=r"layer 1: U has shape \(4, 5\), expected \(H, D\) = \(5, 4\)"):
        stacked_rnn_forward(X, h0s, bad)
    with pytest.raises(ValueError, match=r"layer 0: h0 has shape \(2, 5\), expected \(N, H\) = \(2, 4\)"):
        stacked_rnn_forward(X, h0s[::-1], layers)
    with pytest.raises(ValueError, match=r"layer 0: X must be 3-dimensional"):
        stacked_rnn_forward(X[:, 0], h0s, layers)


def test_rnn_forward_checks_once_and_does_not_call_the_checking_step(monkeypatch):
    import rnncourse.rnn as rnn_module

    def refuse(*args, **kwargs):
        raise AssertionError("rnn_forward called the checking rnn_step_forward inside its loop")

    monkeypatch.setattr(rnn_module, "rnn_step_forward", refuse)
    rng = np.random.default_rng(0)
    p = init_rnn_params(3, 4, 2, rng=rng)
    X = rng.normal(size=(2, 7, 3))
    Hs = rnn_forward(X, np.zeros((2, 4)), p["U"], p["W"], p["b"])
    np.testing.assert_allclose(Hs, sequence_by_loops(X, np.zeros((2, 4)), p["U"], p["W"], p["b"]), rtol=1e-12, atol=1e-14)
    X32 = X.astype(np.float32)
    p32 = {k: v.astype(np.float32) for k, v in p.items()}
    assert rnn_forward(X32, np.zeros((2, 4), np.float32), p32["U"], p32["W"], p32["b"]).dtype == np.float32
