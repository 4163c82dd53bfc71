"""Tests for rnncourse.seq2seq: context, teacher forcing, greedy decoding, gradients.

Forward values are compared with a loop written here for one example at a time in column
vectors (math.tanh; for the GRU the package's step function). Gradients are compared with
centred differences (float64, relative error < 1e-7) at T_x != T_y, D != H != K, N > 1.
"""

import math

import numpy as np
import pytest

from rnncourse import (
    decoding_accuracy,
    beam_search_decode,
    log_softmax,
    birnn_forward,
    greedy_decode,
    gru_step_forward,
    init_seq2seq_params,
    numerical_gradient,
    relative_error,
    seq2seq_backward,
    seq2seq_encoder_backward,
    seq2seq_encoder_forward,
    seq2seq_forward,
    seq2seq_loss_and_grads,
    sequence_cross_entropy,
    sequence_cross_entropy_backward,
)

TOL = 1e-7


def model(cell, bi, D=5, H=3, K=7, seed=0, scale=1.0):
    enc, dec = init_seq2seq_params(D, H, K, cell=cell, bidirectional=bi, rng=np.random.default_rng(seed))
    rng = np.random.default_rng(seed + 1)
    for p in [dec] + ([enc["fwd"], enc["bwd"]] if bi else [enc]):
        p["b"] = rng.normal(0, 0.3, p["b"].shape)
        p["W"] *= scale
    dec["c"] = rng.normal(0, 0.3, dec["c"].shape)
    return enc, dec


def data(N=2, T_x=4, T_y=3, D=5, K=7, seed=0):
    rng = np.random.default_rng(seed + 10)
    return rng.normal(size=(N, T_x, D)), rng.integers(0, K, (N, T_y)), rng.integers(0, K, (N, T_y))


def naive_rnn(x, h, p):
    return np.array([math.tanh(v) for v in p["b"] + p["U"] @ x + p["W"] @ h])


def naive_forward(X, Y_in, enc, dec, cell, bi):
    """One example at a time, column vectors: encoder, context, teacher-forced decoder."""
    N, T_x, _ = X.shape
    K = dec["V"].shape[0]

    def step(x, h, p):
        return naive_rnn(x, h, p) if cell == "rnn" else gru_step_forward(x[None], h[None], p["U"], p["W"], p["b"])[0]

    O = np.zeros(Y_in.shape + (K,))
    for n in range(N):
        if bi:
            H = enc["fwd"]["W"].shape[1]
            hf = np.zeros(H)
            for t in range(T_x):
                hf = step(X[n, t], hf, enc["fwd"])
            hb = np.zeros(H)
            for t in range(T_x - 1, -1, -1):
                hb = step(X[n, t], hb, enc["bwd"])
            h = np.concatenate([hf, hb])  # the last state of each direction
        else:
            h = np.zeros(enc["W"].shape[1])
            for t in range(T_x):
                h = step(X[n, t], h, enc)
        for t in range(Y_in.shape[1]):
            h = step(np.eye(K)[Y_in[n, t]], h, dec)
            O[n, t] = dec["c"] + dec["V"] @ h
    return O


@pytest.mark.parametrize("cell", ["rnn", "gru"])
@pytest.mark.parametrize("bi", [True, False])
def test_forward_matches_naive(cell, bi):
    enc, dec = model(cell, bi)
    X, Y_in, _ = data()
    O = seq2seq_forward(X, Y_in, enc, dec, cell)
    assert O.shape == (2, 3, 7)
    np.testing.assert_allclose(O, naive_forward(X, Y_in, enc, dec, cell, bi), rtol=1e-12, atol=1e-13)


def test_bidirectional_context_is_last_state_of_each_direction():
    enc, _ = model("rnn", True)
    X, _, _ = data(T_x=5)
    Hs_enc, m = seq2seq_encoder_forward(X, enc)
    z = np.zeros((2, 3))
    np.testing.assert_array_equal(Hs_enc, birnn_forward(X, z, z, enc["fwd"], enc["bwd"]))
    np.testing.assert_array_equal(m[:, :3], Hs_enc[:, -1, :3])  # ->h_{T_x}
    np.testing.assert_array_equal(m[:, 3:], Hs_enc[:, 0, 3:])  # <-h_1, not <-h_{T_x}
    assert np.abs(m[:, 3:] - Hs_enc[:, -1, 3:]).max() > 1e-3


def test_init_shapes():
    enc, dec = init_seq2seq_params(5, 3, 7, cell="gru", bidirectional=True)
    assert enc["fwd"]["U"].shape == (9, 5) and enc["bwd"]["W"].shape == (9, 3)
    assert dec["U"].shape == (18, 7) and dec["W"].shape == (18, 6) and dec["V"].shape == (7, 6)
    enc, dec = init_seq2seq_params(5, 3, 7, bidirectional=False)
    assert enc["U"].shape == (3, 5) and dec["W"].shape == (3, 3) and dec["c"].shape == (7,)


def flat(tree, prefix=""):
    out = {}
    for k, v in tree.items():
        out.update(flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {prefix + k: v})
    return out


@pytest.mark.parametrize("cell", ["rnn", "gru"])
@pytest.mark.parametrize("bi", [True, False])
@pytest.mark.parametrize("N, T_x, T_y", [(2, 4, 3), (3, 2, 5), (1, 1, 1)])
def test_seq2seq_backward_matches_finite_differences(cell, bi, N, T_x, T_y):
    enc, dec = model(cell, bi, seed=N + T_x)
    X, Y_in, _ = data(N, T_x, T_y, seed=T_y)
    dO = np.random.default_rng(3).normal(size=(N, T_y, 7))
    dX, denc, ddec = seq2seq_backward(dO, X, Y_in, enc, dec, cell)
    assert set(ddec) == {"U", "W", "b", "V", "c"}

    def f(_):
        return seq2seq_forward(X, Y_in, enc, dec, cell)

    P = flat({"enc": enc, "dec": dec, "X": X})
    G = flat({"enc": denc, "dec": ddec, "X": dX})
    assert set(G) == set(P)
    for name in P:
        assert G[name].shape == P[name].shape, name
        err = relative_error(G[name], numerical_gradient(f, P[name], dO))
        assert err < TOL, f"{name}: relative error {err:.3g}"


@pytest.mark.parametrize("bi", [True, False])
def test_encoder_backward_matches_finite_differences(bi):
    enc, _ = model("gru", bi, seed=4)
    X, _, _ = data(3, 4, 2, seed=4)
    rng = np.random.default_rng(5)
    Hs_enc, m = seq2seq_encoder_forward(X, enc, "gru")
    dHs, dm = rng.normal(size=Hs_enc.shape), rng.normal(size=m.shape)
    dX, denc = seq2seq_encoder_backward(dHs, dm, X, Hs_enc, enc, "gru")

    def f(_):
        Hs_enc, m = seq2seq_encoder_forward(X, enc, "gru")
        return np.sum(Hs_enc * dHs) + np.sum(m * dm)

    for name, g, x in [("X", dX, X)] + [(k, v, flat(enc)[k]) for k, v in flat(denc).items()]:
        err = relative_error(g, numerical_gradient(f, x))
        assert err < TOL, f"{name}: relative error {err:.3g}"


def test_loss_and_grads_agree_with_forward_and_backward():
    enc, dec = model("rnn", True, seed=2)
    X, Y_in, Y = data(3, 5, 4, seed=2)
    loss, denc, ddec = seq2seq_loss_and_grads(X, Y_in, Y, enc, dec)
    O = seq2seq_forward(X, Y_in, enc, dec)
    assert loss == pytest.approx(sequence_cross_entropy(O, Y), rel=1e-13)
    _, denc2, ddec2 = seq2seq_backward(sequence_cross_entropy_backward(O, Y), X, Y_in, enc, dec)
    for k, v in flat({"enc": denc, "dec": ddec}).items():
        np.testing.assert_allclose(v, flat({"enc": denc2, "dec": ddec2})[k], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_greedy_decode_feeds_back_its_own_argmax(cell):
    # Teacher forcing on the greedy output must reproduce that output: y*_t = argmax o_t when
    # the decoder is fed y*_{t-1}. Checked on the rows that never emitted eos.
    enc, dec = model(cell, True, K=6, seed=7, scale=2.0)
    X, _, _ = data(20, 4, 1, seed=7)
    bos, eos = 0, 1
    tokens = greedy_decode(X, enc, dec, bos, eos, 6, cell)
    assert tokens.dtype.kind == "i" and tokens.shape[0] == 20 and 1 <= tokens.shape[1] <= 6
    Y_in = np.concatenate([np.full((20, 1), bos), tokens[:, :-1]], axis=1)
    O = seq2seq_forward(X, Y_in, enc, dec, cell)
    rows = ~(tokens == eos).any(axis=1)
    assert rows.sum() >= 3
    np.testing.assert_array_equal(O[rows].argmax(axis=2), tokens[rows])
    for n in np.flatnonzero(~rows):  # after the first eos: only the filler (eos by default)
        first = np.flatnonzero(tokens[n] == eos)[0]
        np.testing.assert_array_equal(O[n, : first + 1].argmax(axis=1), tokens[n, : first + 1])
        assert (tokens[n, first:] == eos).all()


def test_greedy_decode_stops_at_eos_and_pads():
    enc, dec = model("rnn", False, K=6, seed=8)
    X, _, _ = data(4, 3, 1, seed=8)
    dec["V"][:] = 0.0
    dec["c"][:] = 0.0
    dec["c"][3] = 5.0  # every step prefers token 3: the eos below
    tokens = greedy_decode(X, enc, dec, 0, 3, 10)
    np.testing.assert_array_equal(tokens, np.full((4, 1), 3))
    dec["c"][3] = 0.0
    dec["c"][4] = 5.0  # never eos: runs to max_len
    assert greedy_decode(X, enc, dec, 0, 3, 7).shape == (4, 7)
    # Rows that finish at different steps: eos wins only where the first hidden unit is large
    # (its weight is big); afterwards the finished row gets the pad token.
    enc, dec = model("rnn", False, K=6, seed=9, scale=2.0)
    X, _, _ = data(30, 3, 1, seed=9)
    tokens = greedy_decode(X, enc, dec, 0, 3, 8, pad=5)
    finished = (tokens == 3).any(axis=1)
    for n in np.flatnonzero(finished):
        first = np.flatnonzero(tokens[n] == 3)[0]
        assert (tokens[n, first + 1 :] == 5).all()
    if not finished.all():
        assert tokens.shape[1] == 8


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_beam_of_one_is_greedy(cell):
    enc, dec = model(cell, True, seed=11, scale=2.0)
    X, _, _ = data(15, 4, 1, seed=11)
    greedy = greedy_decode(X, enc, dec, 0, 1, 6, cell, pad=2)
    tokens, scores = beam_search_decode(X, enc, dec, 0, 1, 6, 1, cell, pad=2)
    np.testing.assert_array_equal(tokens, greedy)
    assert scores.shape == (15,)


def sequence_score(X, y, enc, dec, bos, cell="rnn"):
    """Teacher-forced log-probability of the tokens y (one sequence), divided by their number."""
    Y_in = np.array([[bos] + list(y[:-1])])
    logp = log_softmax(seq2seq_forward(X, Y_in, enc, dec, cell))[0]
    return sum(logp[t, k] for t, k in enumerate(y)) / len(y)


def test_wide_beam_finds_the_best_finished_sequence_by_enumeration():
    # K = 3 tokens (bos 0, eos 1), at most 3 steps: 1 + 2 + 4 sequences end with eos and 8 run to
    # max_len unfinished. A beam of 27 keeps every candidate, so it must return the best of the 7
    # finished ones by score per token (computed here independently by teacher forcing), even where
    # an unfinished one scores higher per token: an output without eos is not a whole output.
    import itertools

    enc, dec = init_seq2seq_params(4, 2, 3, rng=np.random.default_rng(12))
    for p in (enc["fwd"], enc["bwd"]):
        p["W"] *= 2.0
    dec["W"] *= 2.0
    dec["c"] = np.array([0.3, -0.6, 0.1])  # eos less likely, so unfinished outputs often score higher
    X_all = np.random.default_rng(13).normal(size=(6, 3, 4))
    tokens, scores = beam_search_decode(X_all, enc, dec, 0, 1, 3, 27)
    unfinished_better = 0
    for n in range(len(X_all)):
        X = X_all[n : n + 1]
        finished = [list(p) + [1] for L in range(3) for p in itertools.product([0, 2], repeat=L)]
        unfinished = [list(p) for p in itertools.product([0, 2], repeat=3)]
        assert len(finished) + len(unfinished) == 15
        best = max(finished, key=lambda y: sequence_score(X, y, enc, dec, 0))
        best_unfinished = max(unfinished, key=lambda y: sequence_score(X, y, enc, dec, 0))
        unfinished_better += sequence_score(X, best_unfinished, enc, dec, 0) > sequence_score(X, best, enc, dec, 0)
        got = [int(k) for k in tokens[n]]
        got = got[: got.index(1) + 1] if 1 in got else got  # cut the filler after eos
        assert got == best, (n, got, best)
        assert scores[n] == pytest.approx(sequence_score(X, best, enc, dec, 0), rel=1e-12)
    assert unfinished_better >= 1, "no source where an unfinished output scores higher: the case is not tested"


def plain_beam_search(X, enc, dec, bos, eos, max_len, B, cell="rnn"):
    """Beam search for one source, each candidate scored from scratch by teacher forcing."""
    logp = lambda y: sequence_score(X, y, enc, dec, bos, cell) * len(y)  # noqa: E731
    K = dec["V"].shape[0]
    kept, finished = [[]], []
    for _ in range(max_len):
        candidates = sorted((p + [k] for p in kept for k in range(K)), key=logp, reverse=True)[:B]
        finished += [y for y in candidates if y[-1] == eos]
        kept = [y for y in candidates if y[-1] != eos]
        if len(finished) >= B or not kept:
            break
    pool = finished or kept  # an unfinished output only when nothing finished
    return max(pool, key=lambda y: logp(y) / len(y)), kept


def test_beam_returns_a_finished_output_whenever_one_finished():
    # The case that once returned an unfinished prefix although one had finished: an rnn cell,
    # a bidirectional encoder, K = 5, beam width 3, at most 3 tokens.
    chose_finished_over_better_unfinished = 0
    for seed in range(10):
        enc, dec = model("rnn", True, K=5, seed=seed, scale=2.0)
        X, _, _ = data(3, 3, 1, K=5, seed=seed)
        tokens, _ = beam_search_decode(X, enc, dec, 0, 1, 3, 3)
        for n in range(len(X)):
            want, kept = plain_beam_search(X[n : n + 1], enc, dec, 0, 1, 3, 3)
            got = [int(k) for k in tokens[n]]
            got = got[: got.index(1) + 1] if 1 in got else got
            assert got == want, (seed, n, got, want)
            if want[-1] == 1 and kept and len(kept[0]) == 3:
                score = lambda y: sequence_score(X[n : n + 1], y, enc, dec, 0)  # noqa: E731
                chose_finished_over_better_unfinished += max(map(score, kept)) > score(want)
    assert chose_finished_over_better_unfinished >= 1, "the case that matters never occurred"


def test_beam_scores_are_the_returned_sequences_scores():
    enc, dec = model("gru", False, seed=14, scale=2.0)
    X, _, _ = data(6, 3, 1, seed=14)
    tokens, scores = beam_search_decode(X, enc, dec, 0, 1, 5, 3, "gru", pad=6)
    for n in range(6):
        y = [int(k) for k in tokens[n]]
        if 1 in y:  # finished: eos, then only the filler
            y = y[: y.index(1) + 1]
            assert all(k == 6 for k in tokens[n, len(y):])
        else:  # unfinished outputs are returned only at max_len
            assert len(y) == 5
        assert scores[n] == pytest.approx(sequence_score(X[n : n + 1], y, enc, dec, 0, "gru"), rel=1e-12)


def test_bad_inputs_name_the_argument():
    enc, dec = model("rnn", True)
    X, Y_in, Y = data()
    with pytest.raises(ValueError, match="cell"):
        seq2seq_forward(X, Y_in, enc, dec, "lstm")
    with pytest.raises(ValueError, match="Y_in"):
        seq2seq_forward(X, Y_in + 10, enc, dec)
    with pytest.raises(ValueError, match="Y_in"):
        seq2seq_forward(X, Y_in.astype(float), enc, dec)
    with pytest.raises(ValueError, match="enc"):
        seq2seq_forward(X, Y_in, {"fwd": enc["fwd"]}, dec)
    with pytest.raises(ValueError, match=r"dec\['W'\]"):
        seq2seq_forward(X, Y_in, enc, {**dec, "W": dec["W"][:3, :3]})
    with pytest.raises(ValueError, match=r"dec\['V'\]"):
        seq2seq_forward(X, Y_in, enc, {**dec, "V": dec["V"].T})
    with pytest.raises(ValueError, match="dec"):
        seq2seq_forward(X, Y_in, enc, {k: v for k, v in dec.items() if k != "c"})
    with pytest.raises(ValueError, match="Y"):
        seq2seq_loss_and_grads(X, Y_in, Y[:, :2], enc, dec)
    with pytest.raises(ValueError, match="dO"):
        seq2seq_backward(np.zeros((2, 3, 6)), X, Y_in, enc, dec)
    with pytest.raises(ValueError, match="max_len"):
        greedy_decode(X, enc, dec, 0, 1, 0)
    with pytest.raises(ValueError, match="eos"):
        greedy_decode(X, enc, dec, 0, 7, 3)
    with pytest.raises(ValueError, match="beam_width"):
        beam_search_decode(X, enc, dec, 0, 1, 3, 0)
    with pytest.raises(ValueError, match="bidirectional"):
        init_seq2seq_params(2, 3, 4, bidirectional="yes")
    with pytest.raises(ValueError, match="dm"):
        Hs, m = seq2seq_encoder_forward(X, enc)
        seq2seq_encoder_backward(np.zeros_like(Hs), m[:, :3], X, Hs, enc)


# ------------------------------------------------------------------ decoding_accuracy


def test_decoding_accuracy_matches_transduction_accuracy_and_the_forced_argmax():
    """Two independent routes: transduction_accuracy pads with PAD (never a target), and an explicit argmax."""
    from rnncourse import decoding_accuracy, digit_transduction_task, one_hot, train_transduction, transduction_accuracy
    from rnncourse.transduction import BOS, EOS

    enc, dec = init_seq2seq_params(13, 8, 13, rng=np.random.default_rng(0))
    train_transduction(enc, dec, 4, 150, rng=np.random.default_rng(1), lr=0.01)
    seq, tok = transduction_accuracy(enc, dec, 4, n=200, rng=np.random.default_rng(5))
    src, Y_in, Y = digit_transduction_task(200, 4, "reverse", np.random.default_rng(5))
    X = one_hot(src, 13)
    got = decoding_accuracy(X, Y, enc, dec, BOS, EOS)
    assert all(type(v) is float for v in got)
    forced = float((seq2seq_forward(X, Y_in, enc, dec).argmax(axis=2) == Y).mean())
    assert got == pytest.approx((seq, tok, forced), abs=0, rel=0)
    assert 0.05 < tok < 0.95 and forced >= tok  # a half-trained model: neither trivial value


def test_decoding_accuracy_counts_positions_after_eos_as_wrong():
    # A decoder that emits eos (token 1) at once: only a target that is eos at step 0 could be right.
    enc = {"U": np.zeros((2, 3)), "W": np.zeros((2, 2)), "b": np.zeros(2)}
    dec = {"U": np.zeros((2, 3)), "W": np.zeros((2, 2)), "b": np.zeros(2), "V": np.zeros((3, 2)),
           "c": np.array([0.0, 1.0, 0.0])}
    X = np.zeros((2, 3, 3))
    Y = np.array([[1, 1, 1], [2, 0, 1]])
    seq, tok, forced = decoding_accuracy(X, Y, enc, dec, 0, 1)
    assert (seq, tok) == (0.0, 1 / 6)  # the eos that later positions hold (as pad) is not emitted
    assert forced == 4 / 6  # teacher-forced, every step predicts eos: right where Y is eos (4 places)


def test_decoding_accuracy_validates_its_inputs():
    enc, dec = init_seq2seq_params(3, 2, 4, rng=np.random.default_rng(0))
    X = np.zeros((2, 3, 3))
    with pytest.raises(ValueError, match="Y"):
        decoding_accuracy(X, np.zeros((3, 2), dtype=int), enc, dec, 0, 1)
    with pytest.raises(ValueError, match="Y"):
        decoding_accuracy(X, np.full((2, 2), 4), enc, dec, 0, 1)
    with pytest.raises(ValueError, match="eos"):
        decoding_accuracy(X, np.zeros((2, 2), dtype=int), enc, dec, 0, 4)


# ------------------------------------------------------------------ the optional bottleneck


def bottleneck_model(cell, bi, H_m, seed=0):
    """``model`` with a bottleneck of width H_m added, drawn from its own generator."""
    enc, dec = model(cell, bi, seed=seed)
    H_d = dec["W"].shape[1]
    rng = np.random.default_rng(seed + 2)
    dec["W_down"] = rng.normal(0, 1 / np.sqrt(H_d), (H_m, H_d))
    dec["W_up"] = rng.normal(0, 1 / np.sqrt(H_m), (H_d, H_m))
    return enc, dec


def test_bottleneck_init_leaves_the_rest_of_the_model_as_without_it():
    # The two new matrices are drawn last: the encoder and decoder are those of the same seed.
    enc, dec = init_seq2seq_params(5, 3, 7, rng=np.random.default_rng(4))
    enc_b, dec_b = init_seq2seq_params(5, 3, 7, rng=np.random.default_rng(4), H_m=2)
    assert dec_b["W_down"].shape == (2, 6) and dec_b["W_up"].shape == (6, 2)
    for k, v in flat({"enc": enc, "dec": dec}).items():
        np.testing.assert_array_equal(v, flat({"enc": enc_b, "dec": dec_b})[k])
    assert set(dec_b) - set(dec) == {"W_down", "W_up"}


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_bottleneck_forward_matches_naive_from_the_projected_start(cell):
    # The decoder run here step by step from h^d_0 = W_up W_down m gives the package's logits;
    # over a batch wider than H_m those starting states span only H_m = 2 dimensions.
    enc, dec = bottleneck_model(cell, True, 2)
    X, Y_in, _ = data()
    _, m = seq2seq_encoder_forward(X, enc, cell)
    h0 = m @ dec["W_down"].T @ dec["W_up"].T
    _, m_wide = seq2seq_encoder_forward(np.random.default_rng(7).normal(size=(9, 4, 5)), enc, cell)
    assert np.linalg.matrix_rank(m_wide @ dec["W_down"].T @ dec["W_up"].T) == 2
    plain = {k: dec[k] for k in ("U", "W", "b", "V", "c")}
    K = dec["V"].shape[0]
    O = seq2seq_forward(X, Y_in, enc, dec, cell)
    for n in range(X.shape[0]):
        h = h0[n]
        for t in range(Y_in.shape[1]):
            x = np.eye(K)[Y_in[n, t]]
            if cell == "rnn":
                h = naive_rnn(x, h, plain)
            else:
                h = gru_step_forward(x[None], h[None], plain["U"], plain["W"], plain["b"])[0]
            np.testing.assert_allclose(O[n, t], plain["c"] + plain["V"] @ h, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "gru"])
@pytest.mark.parametrize("bi", [True, False])
@pytest.mark.parametrize("H_m", [1, 3])
def test_bottleneck_backward_matches_finite_differences(cell, bi, H_m):
    enc, dec = bottleneck_model(cell, bi, H_m, seed=H_m)
    X, Y_in, _ = data(3, 4, 3, seed=H_m)
    dO = np.random.default_rng(3).normal(size=(3, 3, 7))
    dX, denc, ddec = seq2seq_backward(dO, X, Y_in, enc, dec, cell)
    assert set(ddec) == {"U", "W", "b", "V", "c", "W_down", "W_up"}

    def f(_):
        return seq2seq_forward(X, Y_in, enc, dec, cell)

    P = flat({"enc": enc, "dec": dec, "X": X})
    G = flat({"enc": denc, "dec": ddec, "X": dX})
    assert set(G) == set(P)
    for name in P:
        err = relative_error(G[name], numerical_gradient(f, P[name], dO))
        assert err < TOL, f"{name}: relative error {err:.3g}"


def test_bottleneck_decoding_starts_from_the_projected_state():
    # Greedy and beam decoding must use W_up W_down m too: forcing the greedy output back in
    # reproduces it, and a beam of one is greedy decoding.
    enc, dec = bottleneck_model("rnn", True, 2, seed=5)
    X = np.random.default_rng(6).normal(size=(20, 4, 5))
    eos = 4  # a token this model emits now and then, so that some sequences run to max_len
    tokens = greedy_decode(X, enc, dec, 0, eos, 5)
    Y_fed = np.concatenate([np.zeros((20, 1), dtype=int), tokens[:, :-1]], axis=1)
    running = ~(tokens == eos).any(axis=1)
    assert 5 <= running.sum() < 20
    np.testing.assert_array_equal(seq2seq_forward(X, Y_fed, enc, dec).argmax(axis=2)[running], tokens[running])
    np.testing.assert_array_equal(beam_search_decode(X, enc, dec, 0, eos, 5, 1)[0], tokens)
    # and the projection matters: without it the same decoder says something else
    plain = {k: dec[k] for k in ("U", "W", "b", "V", "c")}
    assert not np.array_equal(greedy_decode(X, enc, plain, 0, eos, 5), tokens)


def test_bottleneck_bad_shapes_name_the_key():
    enc, dec = init_seq2seq_params(5, 3, 7, H_m=2)
    X, Y_in, _ = data()
    with pytest.raises(ValueError, match="W_up"):
        seq2seq_forward(X, Y_in, enc, {k: v for k, v in dec.items() if k != "W_up"})
    with pytest.raises(ValueError, match="W_up"):
        seq2seq_forward(X, Y_in, enc, dict(dec, W_up=np.zeros((6, 3))))
    with pytest.raises(ValueError, match="W_down"):
        seq2seq_forward(X, Y_in, enc, dict(dec, W_down=np.zeros((2, 5))))
    with pytest.raises(ValueError, match="H_m"):
        init_seq2seq_params(5, 3, 7, H_m=0)
