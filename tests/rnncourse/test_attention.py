"""Tests for rnncourse.attention: scores, weights, context, the decoder step, the full model.

Forward values are compared with loops written here over (n, t, j), one score at a time, with
math.tanh/math.exp. Shapes are all different (N = 2, T_y = 3, T_x = 4, H_q = 5, H_k = 6,
H_a = 2 ...), so a softmax over the wrong axis or a transposed weight fails. Every backward is
compared with centred differences in float64 (relative error < 1e-7).
"""

import math

import numpy as np
import pytest

from rnncourse import (
    additive_attention_backward,
    additive_attention_forward,
    attention_context,
    attention_context_backward,
    attention_decoder_step_backward,
    attention_decoder_step_forward,
    attention_greedy_decode,
    attention_seq2seq_backward,
    attention_seq2seq_forward,
    attention_seq2seq_loss_and_grads,
    attention_weights,
    attention_weights_backward,
    dot_product_attention_scores,
    dot_product_attention_scores_backward,
    gru_step_forward,
    init_attention_seq2seq_params,
    numerical_gradient,
    relative_error,
    seq2seq_encoder_forward,
    sequence_cross_entropy,
    sequence_cross_entropy_backward,
)

TOL = 1e-7
N, T_y, T_x, H_q, H_k, H_a = 2, 3, 4, 5, 6, 2


def check(name, analytic, f, x, df):
    assert analytic.shape == x.shape, f"{name}: shape {analytic.shape}, expected {x.shape}"
    err = relative_error(analytic, numerical_gradient(f, x, df))
    assert err < TOL, f"{name}: relative error {err:.3g}"


@pytest.fixture
def arrays():
    rng = np.random.default_rng(0)
    return {
        "Q": rng.normal(size=(N, T_y, H_q)),
        "K": rng.normal(size=(N, T_x, H_k)),
        "W_a": rng.normal(0, 0.7, (H_a, H_q)),
        "U_a": rng.normal(0, 0.7, (H_a, H_k)),
        "V_a": rng.normal(size=(1, H_a)),
    }


# ------------------------------------------------------------------ scores


def test_additive_scores_match_naive(arrays):
    a = arrays
    E = additive_attention_forward(a["Q"], a["K"], a["W_a"], a["U_a"], a["V_a"])
    assert E.shape == (N, T_y, T_x)
    want = np.zeros((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            for j in range(T_x):
                z = a["W_a"] @ a["Q"][n, t] + a["U_a"] @ a["K"][n, j]
                want[n, t, j] = sum(a["V_a"][0, i] * math.tanh(z[i]) for i in range(H_a))
    np.testing.assert_allclose(E, want, rtol=1e-12, atol=1e-14)
    one = additive_attention_forward(a["Q"][:, 1], a["K"], a["W_a"], a["U_a"], a["V_a"])
    np.testing.assert_allclose(one, want[:, 1], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("single", [False, True])
def test_additive_backward_matches_finite_differences(arrays, single):
    a = dict(arrays)
    if single:
        a["Q"] = a["Q"][:, 0]
    args = [a["Q"], a["K"], a["W_a"], a["U_a"], a["V_a"]]
    E = additive_attention_forward(*args)
    dE = np.random.default_rng(1).normal(size=E.shape)
    grads = additive_attention_backward(dE, *args)
    for name, g, x in zip(["queries", "keys", "W_a", "U_a", "V_a"], grads, args):
        check(name, g, lambda _: additive_attention_forward(*args), x, dE)


@pytest.mark.parametrize("scaled", [False, True])
def test_dot_product_scores_match_naive_and_backward(scaled):
    rng = np.random.default_rng(2)
    Q, K = rng.normal(size=(N, T_y, H_a + 3)), rng.normal(size=(N, T_x, H_a + 3))
    E = dot_product_attention_scores(Q, K, scaled=scaled)
    s = 1 / math.sqrt(H_a + 3) if scaled else 1.0
    want = np.array([[[s * sum(Q[n, t, i] * K[n, j, i] for i in range(H_a + 3)) for j in range(T_x)]
                      for t in range(T_y)] for n in range(N)])
    np.testing.assert_allclose(E, want, rtol=1e-12, atol=1e-14)
    dE = rng.normal(size=E.shape)
    dQ, dK = dot_product_attention_scores_backward(dE, Q, K, scaled=scaled)
    check("queries", dQ, lambda _: dot_product_attention_scores(Q, K, scaled), Q, dE)
    check("keys", dK, lambda _: dot_product_attention_scores(Q, K, scaled), K, dE)
    dq1, dK1 = dot_product_attention_scores_backward(dE[:, 2], Q[:, 2], K, scaled=scaled)
    check("one query", dq1, lambda _: dot_product_attention_scores(Q[:, 2], K, scaled), Q[:, 2], dE[:, 2])


def test_scaling_keeps_score_variance_near_one():
    # With unit-variance entries, q.k has variance H_a; divided by sqrt(H_a) it has variance 1.
    rng = np.random.default_rng(3)
    Q, K = rng.normal(size=(200, 1, 64)), rng.normal(size=(200, 50, 64))
    assert 50 < dot_product_attention_scores(Q, K).var() < 80
    assert 0.8 < dot_product_attention_scores(Q, K, scaled=True).var() < 1.25


# ------------------------------------------------------------------ weights


def test_weights_are_a_softmax_over_the_source_axis():
    E = np.random.default_rng(4).normal(size=(N, T_y, T_x))
    alpha = attention_weights(E)
    want = np.array([[[math.exp(E[n, t, j]) / sum(math.exp(E[n, t, i]) for i in range(T_x)) for j in range(T_x)]
                      for t in range(T_y)] for n in range(N)])
    np.testing.assert_allclose(alpha, want, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(alpha.sum(axis=2), 1.0, rtol=1e-13)  # over j, for every t
    assert np.abs(alpha.sum(axis=1) - 1.0).max() > 0.05  # not over t
    np.testing.assert_allclose(attention_weights(E[:, 1]), want[:, 1], rtol=1e-12)
    big = attention_weights(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.isfinite(big).all() and big[0, 0] == pytest.approx(1.0)


def test_mask_gives_zero_weight_to_padding():
    E = np.random.default_rng(5).normal(size=(N, T_y, T_x))
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    alpha = attention_weights(E, mask)
    np.testing.assert_array_equal(alpha[0, :, 2:], 0.0)
    np.testing.assert_allclose(alpha[0, :, :2], attention_weights(E[0, :, :2]), rtol=1e-13)
    np.testing.assert_allclose(alpha[1], attention_weights(E[1]), rtol=1e-13)
    dalpha = np.random.default_rng(6).normal(size=alpha.shape)
    dE = attention_weights_backward(dalpha, alpha)
    np.testing.assert_array_equal(dE[0, :, 2:], 0.0)
    check("E (masked)", dE, lambda x: attention_weights(x, mask), E, dalpha)


def test_weights_backward_matches_finite_differences():
    rng = np.random.default_rng(7)
    E = rng.normal(size=(N, T_y, T_x))
    dalpha = rng.normal(size=E.shape)
    check("E", attention_weights_backward(dalpha, attention_weights(E)), attention_weights, E, dalpha)
    check("E one step", attention_weights_backward(dalpha[:, 0], attention_weights(E[:, 0])),
          attention_weights, E[:, 0], dalpha[:, 0])


# ------------------------------------------------------------------ context


def test_context_matches_naive_and_backward():
    rng = np.random.default_rng(8)
    alpha = attention_weights(rng.normal(size=(N, T_y, T_x)))
    values = rng.normal(size=(N, T_x, H_k))
    Ms = attention_context(alpha, values)
    want = np.array([[sum(alpha[n, t, j] * values[n, j] for j in range(T_x)) for t in range(T_y)] for n in range(N)])
    np.testing.assert_allclose(Ms, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(attention_context(alpha[:, 1], values), want[:, 1], rtol=1e-12)
    dMs = rng.normal(size=Ms.shape)
    dalpha, dvalues = attention_context_backward(dMs, alpha, values)
    check("alpha", dalpha, lambda a: attention_context(a, values), alpha, dMs)
    check("values", dvalues, lambda v: attention_context(alpha, v), values, dMs)
    da1, dv1 = attention_context_backward(dMs[:, 0], alpha[:, 0], values)
    check("alpha one step", da1, lambda a: attention_context(a, values), alpha[:, 0], dMs[:, 0])
    check("values one step", dv1, lambda v: attention_context(alpha[:, 0], v), values, dMs[:, 0])


# ------------------------------------------------------------------ decoder step


def step_case(cell, seed=0, K=7, H=3, H_e=4, H_a=5, Tx=6, n=2):
    rng = np.random.default_rng(seed)
    G = 1 if cell == "rnn" else 3
    dec = {
        "U": rng.normal(0, 0.7, (G * H, K)),
        "U_m": rng.normal(0, 0.7, (G * H, H_e)),
        "W": rng.normal(0, 0.7, (G * H, H)),
        "b": rng.normal(0, 0.3, G * H),
        "W_a": rng.normal(0, 0.7, (H_a, H)),
        "U_a": rng.normal(0, 0.7, (H_a, H_e)),
        "V_a": rng.normal(0, 1.0, (1, H_a)),
    }
    x = np.eye(K)[rng.integers(0, K, n)]
    return x, rng.uniform(-0.8, 0.8, (n, H)), rng.uniform(-0.9, 0.9, (n, Tx, H_e)), dec


def test_decoder_step_matches_naive_rnn():
    x, h, Hs_enc, dec = step_case("rnn")
    h_next, m, alpha = attention_decoder_step_forward(x, h, Hs_enc, dec)
    for n in range(2):
        e = [float(dec["V_a"][0] @ np.tanh(dec["W_a"] @ h[n] + dec["U_a"] @ Hs_enc[n, j])) for j in range(6)]
        w = np.exp(e) / np.sum(np.exp(e))
        m_n = sum(w[j] * Hs_enc[n, j] for j in range(6))
        a = dec["b"] + dec["W"] @ h[n] + dec["U"] @ x[n] + dec["U_m"] @ m_n
        np.testing.assert_allclose(alpha[n], w, rtol=1e-12)
        np.testing.assert_allclose(m[n], m_n, rtol=1e-12)
        np.testing.assert_allclose(h_next[n], [math.tanh(v) for v in a], rtol=1e-12)


def test_decoder_step_gru_uses_the_gru_cell():
    x, h, Hs_enc, dec = step_case("gru", seed=1)
    h_next, m, _ = attention_decoder_step_forward(x, h, Hs_enc, dec, "gru")
    want = gru_step_forward(np.concatenate([x, m], 1), h, np.concatenate([dec["U"], dec["U_m"]], 1), dec["W"], dec["b"])
    np.testing.assert_allclose(h_next, want, rtol=1e-13)


@pytest.mark.parametrize("cell", ["rnn", "gru"])
@pytest.mark.parametrize("masked", [False, True])
def test_decoder_step_backward_matches_finite_differences(cell, masked):
    x, h, Hs_enc, dec = step_case(cell, seed=2)
    mask = np.array([[True] * 4 + [False] * 2, [True] * 6]) if masked else None
    dh = np.random.default_rng(3).normal(size=h.shape)
    dx, dh_prev, dHs_enc, ddec = attention_decoder_step_backward(dh, x, h, Hs_enc, dec, cell, mask)
    assert set(ddec) == {"U", "U_m", "W", "b", "W_a", "U_a", "V_a"}

    def f(_):
        return attention_decoder_step_forward(x, h, Hs_enc, dec, cell, mask)[0]

    check("x", dx, f, x, dh)
    check("h_prev", dh_prev, f, h, dh)
    check("Hs_enc", dHs_enc, f, Hs_enc, dh)
    if masked:
        np.testing.assert_array_equal(dHs_enc[0, 4:], 0.0)
    for k, g in ddec.items():
        check(k, g, f, dec[k], dh)


# ------------------------------------------------------------------ full model


def flat(tree, prefix=""):
    out = {}
    for k, v in tree.items():
        out.update(flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k: v})
    return out


def full_case(cell, seed=0, n=2, Tx=4, Ty=3, D=5, H=3, K=7, Ha=2):
    enc, dec = init_attention_seq2seq_params(D, H, K, Ha, cell=cell, rng=np.random.default_rng(seed))
    rng = np.random.default_rng(seed + 1)
    for p in (enc["fwd"], enc["bwd"], dec):
        p["b"] = rng.normal(0, 0.3, p["b"].shape)
    dec["c"] = rng.normal(0, 0.3, K)
    return enc, dec, rng.normal(size=(n, Tx, D)), rng.integers(0, K, (n, Ty)), rng.integers(0, K, (n, Ty))


def test_init_shapes_follow_the_registry():
    enc, dec = init_attention_seq2seq_params(5, 3, 7, 4, cell="gru")
    assert enc["fwd"]["U"].shape == (9, 5)
    shapes = {k: v.shape for k, v in dec.items()}
    assert shapes == {"U": (9, 7), "W": (9, 3), "b": (9,), "U_m": (9, 6), "W_a": (4, 3), "U_a": (4, 6),
                      "V_a": (1, 4), "V": (7, 3), "c": (7,)}


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_model_forward_runs_the_step(cell):
    enc, dec, X, Y_in, _ = full_case(cell)
    O, alpha = attention_seq2seq_forward(X, Y_in, enc, dec, cell)
    assert O.shape == (2, 3, 7) and alpha.shape == (2, 3, 4)
    Hs_enc, _ = seq2seq_encoder_forward(X, enc, cell)
    h = np.zeros((2, 3))
    for t in range(3):
        h, _, a_t = attention_decoder_step_forward(np.eye(7)[Y_in[:, t]], h, Hs_enc, dec, cell)
        np.testing.assert_allclose(alpha[:, t], a_t, rtol=1e-13)
        np.testing.assert_allclose(O[:, t], h @ dec["V"].T + dec["c"], rtol=1e-13)
    np.testing.assert_allclose(alpha.sum(axis=2), 1.0, rtol=1e-13)


@pytest.mark.parametrize("cell", ["rnn", "gru"])
@pytest.mark.parametrize("n, Tx, Ty", [(2, 4, 3), (3, 2, 5), (1, 1, 1)])
def test_model_backward_matches_finite_differences(cell, n, Tx, Ty):
    enc, dec, X, Y_in, _ = full_case(cell, seed=n + Tx, n=n, Tx=Tx, Ty=Ty)
    dO = np.random.default_rng(4).normal(size=(n, Ty, 7))
    dX, denc, ddec = attention_seq2seq_backward(dO, X, Y_in, enc, dec, cell)

    def f(_):
        return attention_seq2seq_forward(X, Y_in, enc, dec, cell)[0]

    P, G = flat({"enc": enc, "dec": dec, "X": X}), flat({"enc": denc, "dec": ddec, "X": dX})
    assert set(P) == set(G)
    for k in P:
        check(k, G[k], f, P[k], dO)


def test_loss_and_grads_agree_with_backward():
    enc, dec, X, Y_in, Y = full_case("gru", seed=5)
    loss, denc, ddec = attention_seq2seq_loss_and_grads(X, Y_in, Y, enc, dec, "gru")
    O, _ = attention_seq2seq_forward(X, Y_in, enc, dec, "gru")
    assert loss == pytest.approx(sequence_cross_entropy(O, Y), rel=1e-13)
    _, denc2, ddec2 = attention_seq2seq_backward(sequence_cross_entropy_backward(O, Y), X, Y_in, enc, dec, "gru")
    want = flat({"enc": denc2, "dec": ddec2})
    for k, v in flat({"enc": denc, "dec": ddec}).items():
        np.testing.assert_allclose(v, want[k], rtol=1e-12, atol=1e-14)


def test_greedy_decode_returns_its_alignments():
    enc, dec, X, _, _ = full_case("rnn", seed=6, n=12)
    for p in (dec,):
        p["W"] *= 2.0
    tokens, alpha = attention_greedy_decode(X, enc, dec, 0, 1, 5)
    assert tokens.shape[0] == 12 and alpha.shape == (12, tokens.shape[1], 4)
    Y_in = np.concatenate([np.zeros((12, 1), dtype=int), tokens[:, :-1]], axis=1)
    O, alpha_tf = attention_seq2seq_forward(X, Y_in, enc, dec)
    rows = ~(tokens == 1).any(axis=1)
    assert rows.sum() >= 2
    np.testing.assert_array_equal(O[rows].argmax(axis=2), tokens[rows])
    np.testing.assert_allclose(alpha[rows], alpha_tf[rows], rtol=1e-13)


def test_bad_inputs_name_the_argument(arrays):
    a = arrays
    with pytest.raises(ValueError, match="W_a"):
        additive_attention_forward(a["Q"], a["K"], a["W_a"].T, a["U_a"], a["V_a"])
    with pytest.raises(ValueError, match="U_a"):
        additive_attention_forward(a["Q"], a["K"], a["W_a"], a["U_a"][:, :3], a["V_a"])
    with pytest.raises(ValueError, match="V_a"):
        additive_attention_forward(a["Q"], a["K"], a["W_a"], a["U_a"], a["V_a"][0])
    with pytest.raises(ValueError, match="keys"):
        additive_attention_forward(a["Q"], a["K"][:1], a["W_a"], a["U_a"], a["V_a"])
    with pytest.raises(ValueError, match="keys"):
        dot_product_attention_scores(a["Q"], a["K"])
    with pytest.raises(ValueError, match="scaled"):
        dot_product_attention_scores(a["Q"], a["Q"], scaled="yes")
    with pytest.raises(ValueError, match="dE"):
        additive_attention_backward(np.zeros((N, T_x, T_y)), a["Q"], a["K"], a["W_a"], a["U_a"], a["V_a"])
    with pytest.raises(ValueError, match="mask"):
        attention_weights(np.zeros((N, T_y, T_x)), np.ones((N, T_x)))
    with pytest.raises(ValueError, match="mask"):
        attention_weights(np.zeros((N, T_y, T_x)), np.zeros((N, T_x), dtype=bool))
    with pytest.raises(ValueError, match="dalpha"):
        attention_weights_backward(np.zeros((N, T_x, T_y)), np.ones((N, T_y, T_x)) / T_x)
    with pytest.raises(ValueError, match="values"):
        attention_context(np.ones((N, T_y, T_x)) / T_x, np.zeros((N, T_y, 3)))
    x, h, Hs_enc, dec = step_case("rnn")
    with pytest.raises(ValueError, match="U_m"):
        attention_decoder_step_forward(x, h, Hs_enc, {**dec, "U_m": dec["U_m"][:, :3]})
    with pytest.raises(ValueError, match="dec"):
        attention_decoder_step_forward(x, h, Hs_enc, {k: v for k, v in dec.items() if k != "W_a"})
    with pytest.raises(ValueError, match="h_prev"):
        attention_decoder_step_forward(x, h[:1], Hs_enc, dec)
    with pytest.raises(ValueError, match="cell"):
        attention_decoder_step_forward(x, h, Hs_enc, dec, "lstm")
    with pytest.raises(ValueError, match="dh_next"):
        attention_decoder_step_backward(h[:, :2], x, h, Hs_enc, dec)
    enc, dec, X, Y_in, Y = full_case("rnn")
    with pytest.raises(ValueError, match="Y_in"):
        attention_seq2seq_forward(X, Y_in - 10, enc, dec)
    with pytest.raises(ValueError, match="max_len"):
        attention_greedy_decode(X, enc, dec, 0, 1, -1)
    with pytest.raises(ValueError, match="H_a"):
        init_attention_seq2seq_params(5, 3, 7, 0)


# ------------------------------------------------------------------ reversal_alignment


def test_reversal_alignment_equals_the_models_weights_and_explicit_summaries():
    from rnncourse import reversal_alignment, seq2seq_encoder_forward

    rng = np.random.default_rng(3)
    enc, dec = init_attention_seq2seq_params(5, 3, 6, 4, rng=rng)
    X = rng.normal(size=(2, 4, 5))
    Y_in = rng.integers(0, 6, (2, 5))
    Hs_enc, _ = seq2seq_encoder_forward(X, enc)
    alpha, mass, hit_rate = reversal_alignment(Hs_enc, Y_in, dec)
    assert np.allclose(alpha, attention_seq2seq_forward(X, Y_in, enc, dec)[1], rtol=1e-12, atol=0)
    for t in range(4):
        assert math.isclose(mass[t], (alpha[0, t, 3 - t] + alpha[1, t, 3 - t]) / 2, rel_tol=1e-12)
    hits = sum(int(np.argmax(alpha[n, t]) == 3 - t) for n in range(2) for t in range(4))
    assert type(hit_rate) is float and hit_rate == hits / 8


def test_a_trained_reversal_model_attends_to_the_digit_it_writes():
    from rnncourse import digit_transduction_task, one_hot, reversal_alignment, seq2seq_encoder_forward, train_transduction

    enc, dec = init_attention_seq2seq_params(13, 8, 13, 8, rng=np.random.default_rng(0))
    train_transduction(enc, dec, 4, 300, attention=True, rng=np.random.default_rng(4), lr=0.01)
    src, Y_in, _ = digit_transduction_task(100, 4, "reverse", np.random.default_rng(7))
    _, mass, hit_rate = reversal_alignment(seq2seq_encoder_forward(one_hot(src, 13), enc)[0], Y_in, dec)
    assert hit_rate > 0.9 and mass.min() > 0.5


def test_reversal_alignment_validates_its_inputs():
    from rnncourse import reversal_alignment

    _, dec = init_attention_seq2seq_params(5, 3, 6, 4, rng=np.random.default_rng(0))
    Hs_enc = np.zeros((2, 4, 6))
    with pytest.raises(ValueError, match="T_y >= T_x"):
        reversal_alignment(Hs_enc, np.zeros((2, 3), dtype=int), dec)
    with pytest.raises(ValueError, match="Y_in"):
        reversal_alignment(Hs_enc, np.full((2, 4), 6), dec)
    with pytest.raises(ValueError, match="dec"):
        reversal_alignment(Hs_enc, np.zeros((2, 4), dtype=int), {"W": 1})
    with pytest.raises(ValueError, match="Hs_enc"):
        reversal_alignment(np.zeros((2, 4)), np.zeros((2, 4), dtype=int), dec)
