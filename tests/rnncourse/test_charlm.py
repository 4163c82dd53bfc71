"""Tests for rnncourse.charlm: vocabulary, batching, the LSTM language model, sampling, n-grams."""

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from rnncourse import (
    UNKNOWN,
    batch_stream,
    bpc,
    build_vocab,
    decode_text,
    encode_text,
    evaluate_lm,
    fit_ngram,
    gradient_errors,
    init_lm_params,
    lm_forward,
    lm_loss_and_grads,
    lm_step,
    lm_train_step,
    lstm_chunk,
    lstm_forward,
    lstm_step_forward,
    numerical_gradient,
    one_hot,
    ngram_distribution,
    ngram_log_probs,
    perplexity,
    perplexity_by_context,
    python_corpus,
    sample_index,
    sample_lm,
    sample_sequence,
    tbptt_step,
    sequence_cross_entropy,
    softmax,
    temperature_softmax,
    train_lm,
    truncated_bptt_chunks,
)
from rnncourse.charlm import CORPUS_FILES

# ------------------------------------------------------------------ vocabulary and data


def test_build_vocab_puts_unknown_first_and_sorts_the_rest():
    vocab = build_vocab("hello world")
    assert vocab == UNKNOWN + " dehlorw"


def test_encode_decode_round_trip_and_unknown_characters():
    vocab = build_vocab("hello")
    ids = encode_text("hell", vocab)
    assert ids.dtype == np.int64 and ids.tolist() == [vocab.index(c) for c in "hell"]
    assert decode_text(ids, vocab) == "hell"
    # 'x' and 'z' were never seen: they map to UNKNOWN (index 0), explicitly
    assert encode_text("hex!", vocab).tolist() == [vocab.index("h"), vocab.index("e"), 0, 0]
    assert decode_text(encode_text("hex", vocab), vocab) == "he" + UNKNOWN


def test_encode_without_unknown_symbol_refuses_unseen_characters():
    with pytest.raises(ValueError, match=r"text contains characters not in vocab: \['x'\]"):
        encode_text("hex", "ehlo")


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: build_vocab(""), "text must be a non-empty str"),
        (lambda: build_vocab(b"abc"), "text must be a str"),
        (lambda: encode_text("ab", "abca"), r"vocab must hold distinct characters, got repeats \['a'\]"),
        (lambda: decode_text(np.array([0, 5]), "abc"), r"ids must hold indices in \[0, 3\)"),
        (lambda: batch_stream(np.arange(5), 3), "fewer than 2 per row"),
        (lambda: batch_stream(np.arange(10), 0), "N must be a positive int"),
        (lambda: truncated_bptt_chunks(np.zeros((2, 5), int), 0), "chunk_length must be a positive int"),
        (lambda: python_corpus("test"), "split must be one of"),
        (lambda: python_corpus(files=["no_such_module.py"]), "files names 'no_such_module.py'"),
    ],
)
def test_data_functions_reject_bad_input_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_python_corpus_reads_the_fixed_files_of_the_standard_library():
    import sysconfig
    from pathlib import Path

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for split, files in CORPUS_FILES.items():
        text = python_corpus(split)
        assert text == "".join((stdlib / f).read_text(encoding="utf-8") for f in files)
        assert len(text) > 20000
    assert not set(CORPUS_FILES["train"]) & set(CORPUS_FILES["validation"])


def test_batch_stream_rows_are_consecutive_stretches():
    ids = np.arange(23)
    batch = batch_stream(ids, 4)
    assert batch.shape == (4, 5)
    np.testing.assert_array_equal(batch.ravel(), ids[:20])
    np.testing.assert_array_equal(batch[2], [10, 11, 12, 13, 14])


def test_truncated_bptt_chunks_tile_the_rows_with_targets_shifted_by_one():
    batch = batch_stream(np.arange(30), 3)  # rows of 10
    chunks = truncated_bptt_chunks(batch, 4)
    assert [c[0].shape for c in chunks] == [(3, 4), (3, 4), (3, 1)]  # 9 predictions per row
    inputs = np.concatenate([c[0] for c in chunks], axis=1)
    targets = np.concatenate([c[1] for c in chunks], axis=1)
    np.testing.assert_array_equal(inputs, batch[:, :-1])
    np.testing.assert_array_equal(targets, batch[:, 1:])
    for (_, t_prev), (x_next, _) in zip(chunks, chunks[1:]):
        np.testing.assert_array_equal(t_prev[:, -1], x_next[:, 0])


# ------------------------------------------------------------------ the model


def model(seed, K=5, H=3, dtype=np.float64):
    rng = np.random.default_rng(seed)
    p = init_lm_params(K, H, rng=rng, dtype=dtype)
    p["b"] += rng.normal(0, 0.3, 4 * H)
    p["c"] = rng.normal(0, 0.3, K).astype(dtype)
    return p


def test_init_lm_params_shapes_and_forget_bias():
    p = init_lm_params(7, 4, rng=np.random.default_rng(0), forget_bias=1.5)
    shapes = {k: v.shape for k, v in p.items()}
    assert shapes == {"U": (16, 7), "W": (16, 4), "b": (16,), "V": (7, 4), "c": (7,)}
    np.testing.assert_array_equal(p["b"], np.r_[np.zeros(4), np.full(4, 1.5), np.zeros(8)])
    assert init_lm_params(7, 4, dtype=np.float32)["W"].dtype == np.float32


def test_lm_forward_is_the_lstm_on_one_hot_inputs_then_the_output_layer():
    p = model(0)
    rng = np.random.default_rng(1)
    inputs = rng.integers(0, 5, (2, 6))
    h0, C0 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    O, Hs, Cs = lm_forward(p, inputs, h0, C0)
    X = np.eye(5)[inputs]
    Hs_ref, Cs_ref = lstm_forward(X, h0, C0, p["U"], p["W"], p["b"])
    np.testing.assert_allclose(Hs, Hs_ref, rtol=0, atol=1e-14)
    np.testing.assert_allclose(Cs, Cs_ref, rtol=0, atol=1e-14)
    # the logits of one step computed by hand from its state
    np.testing.assert_allclose(O[1, 4], p["V"] @ Hs[1, 4] + p["c"], rtol=1e-13)


@pytest.mark.parametrize("N, T, K, H", [(1, 1, 2, 1), (2, 5, 4, 3), (3, 3, 6, 2)])
def test_lm_loss_and_grads_matches_finite_differences_in_float64(N, T, K, H):
    p = model(N + T + K + H, K, H)
    rng = np.random.default_rng(10 * N + T)
    inputs, targets = rng.integers(0, K, (N, T)), rng.integers(0, K, (N, T))
    h0, C0 = rng.normal(0, 0.5, (N, H)), rng.normal(0, 0.5, (N, H))
    loss, grads, (h_T, C_T) = lm_loss_and_grads(p, inputs, targets, h0, C0)

    def f(params):
        return sequence_cross_entropy(lm_forward(params, inputs, h0, C0)[0], targets)

    assert loss == pytest.approx(f(p), rel=1e-14)
    errors = gradient_errors(f, p, grads)
    assert max(errors.values()) < 1e-7, errors
    _, Hs, Cs = lm_forward(p, inputs, h0, C0)
    np.testing.assert_array_equal(h_T, Hs[:, -1])
    np.testing.assert_array_equal(C_T, Cs[:, -1])


def test_lm_loss_and_grads_treats_the_initial_state_as_a_constant():
    # Chunked BPTT: the loss of two chunks, the second from the carried state, has the same
    # value as the loss of the whole sequence; the gradients differ (truncation).
    p = model(3)
    rng = np.random.default_rng(3)
    inputs, targets = rng.integers(0, 5, (2, 8)), rng.integers(0, 5, (2, 8))
    whole, g_whole, _ = lm_loss_and_grads(p, inputs, targets)
    first, g1, (h, C) = lm_loss_and_grads(p, inputs[:, :4], targets[:, :4])
    second, g2, _ = lm_loss_and_grads(p, inputs[:, 4:], targets[:, 4:], h, C)
    assert first + second == pytest.approx(whole, rel=1e-13)
    # the output layer's gradient depends only on each step's state and target: it adds up
    np.testing.assert_allclose(g1["V"] + g2["V"], g_whole["V"], rtol=1e-12, atol=1e-14)
    assert not np.allclose(g1["W"] + g2["W"], g_whole["W"])


def test_lm_train_step_lowers_the_loss_of_its_chunk():
    p = model(4)
    rng = np.random.default_rng(4)
    inputs, targets = rng.integers(0, 5, (3, 7)), rng.integers(0, 5, (3, 7))
    before = lm_loss_and_grads(p, inputs, targets)[0] / 7
    state = {}
    loss, (h, C), norm = lm_train_step(p, state, inputs, targets, lr=1e-2, max_norm=1.0)
    assert loss == pytest.approx(before, rel=1e-14)
    assert norm > 0 and state["step"] == 1 and h.shape == C.shape == (3, 3)
    assert lm_loss_and_grads(p, inputs, targets)[0] / 7 < before


def test_lm_train_step_clips_then_applies_adam():
    from rnncourse import adam_step, clip_by_norm, global_norm

    p, q = model(5), model(5)
    rng = np.random.default_rng(5)
    inputs, targets = rng.integers(0, 5, (2, 6)), rng.integers(0, 5, (2, 6))
    _, grads, _ = lm_loss_and_grads(q, inputs, targets)
    max_norm = 0.5 * global_norm(grads)  # so that clipping is active
    s_p, s_q = {}, {}
    _, _, norm = lm_train_step(p, s_p, inputs, targets, lr=3e-3, max_norm=max_norm)
    adam_step(q, clip_by_norm(grads, max_norm), s_q, lr=3e-3)
    assert norm == pytest.approx(global_norm(grads))
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])


Z12 = np.zeros((1, 2), int)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda p: lm_forward(p, np.array([[0, 9]])), r"inputs must hold indices in \[0, 5\)"),
        (lambda p: lm_forward(p, np.zeros((2, 3), int), np.zeros((2, 3)), None),
         "h0 and C0 must be given together"),
        (lambda p: lm_forward(p, np.zeros((2, 3), int), np.zeros((2, 4)), np.zeros((2, 4))),
         r"h0 has shape \(2, 4\), expected \(N, H\) = \(2, 3\)"),
        (lambda p: lm_loss_and_grads(p, np.zeros((2, 3), int), np.zeros((2, 4), int)), "targets has shape"),
        (lambda p: lm_train_step(p, {}, Z12, Z12, lr=0), "lr must be a positive"),
        (lambda p: lm_train_step(p, {}, Z12, Z12, max_norm=-1.0), "max_norm must"),
        (lambda p: lm_train_step(p, None, Z12, Z12), "adam_state must be a dict"),
        (lambda p: lm_forward({k: v for k, v in p.items() if k != "c"}, Z12), r"params is missing \['c'\]"),
        (lambda p: lm_forward({**p, "U": p["U"].T}, Z12), r"params\['U'\] has shape \(5, 12\)"),
        (lambda p: sample_lm(p, np.array([0]), 3, np.random.default_rng(0), temperature=-1),
         "temperature must be"),
        (lambda p: sample_lm(p, np.array([], int), 3, np.random.default_rng(0)), "prime must hold"),
        (lambda p: sample_lm(p, np.array([0]), 3, 0), "rng must be a numpy.random.Generator"),
        (lambda p: sample_lm(p, np.array([0]), -1, np.random.default_rng(0)), "n must be an int >= 0"),
        (lambda p: train_lm(p, np.zeros(50, int), None, 2, 5, 0), "n_updates must be a positive int"),
        (lambda p: evaluate_lm(p, np.array([0, 1, 7])), r"ids must hold indices in \[0, 5\)"),
    ],
)
def test_model_functions_reject_bad_input_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call(model(0))


# ------------------------------------------------------------------ temperature, sampling, perplexity


def test_temperature_one_is_the_softmax_and_other_temperatures_scale_the_logits():
    o = np.random.default_rng(0).normal(size=(3, 2, 7))
    np.testing.assert_array_equal(temperature_softmax(o, 1.0), softmax(o))
    p = temperature_softmax(o, 0.5)
    np.testing.assert_allclose(p, np.exp(2 * o) / np.exp(2 * o).sum(-1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-14)


def test_temperature_to_zero_gives_the_argmax_and_to_infinity_the_uniform():
    o = np.array([[0.3, 2.0, -1.0, 1.9], [1.0, 1.0, 0.0, -2.0]])
    greedy = temperature_softmax(o, 0)
    np.testing.assert_array_equal(greedy, [[0, 1, 0, 0], [0.5, 0.5, 0, 0]])  # ties share the mass
    # the limit tau -> 0+ approaches it (the gap 0.1 between the top two logits decides the rate)
    np.testing.assert_allclose(temperature_softmax(o[:1], 1e-3), greedy[:1], atol=1e-40)
    assert np.max(np.abs(temperature_softmax(o, 1e-2) - greedy)) < 1e-4
    np.testing.assert_allclose(temperature_softmax(o, 1e6), np.full((2, 4), 0.25), atol=1e-5)
    # a huge logit stays finite at a small temperature
    assert np.all(np.isfinite(temperature_softmax(np.array([1e300, 0.0]), 1e-3)))


@pytest.mark.parametrize("bad", [-0.5, float("nan"), "1", True, None])
def test_temperature_softmax_rejects_bad_temperatures(bad):
    with pytest.raises(ValueError, match="temperature must be a real number >= 0"):
        temperature_softmax(np.zeros(3), bad)


def test_sampling_is_reproducible_with_a_seed_and_follows_the_model():
    p = model(6)
    prime = np.array([1, 2, 3])
    a = sample_lm(p, prime, 40, np.random.default_rng(7), temperature=0.8)
    b = sample_lm(p, prime, 40, np.random.default_rng(7), temperature=0.8)
    c = sample_lm(p, prime, 40, np.random.default_rng(8), temperature=0.8)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.dtype == np.int64 and a.shape == (40,) and a.min() >= 0 and a.max() < 5
    assert sample_lm(p, prime, 0, np.random.default_rng(0)).shape == (0,)
    # An independent route: feed the whole sequence (prime + sample) to lm_forward and redraw
    # each character from the same generator state with rng.choice on the step's distribution.
    seq = np.r_[prime, a]
    O = lm_forward(p, seq[None, :-1])[0][0]
    rng = np.random.default_rng(7)
    redrawn = [rng.choice(5, p=temperature_softmax(O[t], 0.8)) for t in range(2, 2 + 40)]
    np.testing.assert_array_equal(redrawn, a)


def test_sampling_at_temperature_zero_is_greedy():
    p = model(9)
    a = sample_lm(p, np.array([0]), 15, np.random.default_rng(0), temperature=0)
    seq = np.r_[0, a]
    O = lm_forward(p, seq[None, :-1])[0][0]
    np.testing.assert_array_equal(a, O.argmax(axis=1))


def test_perplexity_of_a_uniform_model_is_the_vocabulary_size():
    for K in (2, 7, 101):
        Y = np.random.default_rng(K).integers(0, K, (3, 11))
        O = np.full((3, 11, K), 0.37)  # equal logits: the uniform distribution
        assert perplexity(O, Y) == pytest.approx(K, rel=1e-12)
        assert bpc(O, Y) == pytest.approx(math.log2(K), rel=1e-12)


def test_perplexity_and_bpc_from_the_probabilities_of_the_targets():
    rng = np.random.default_rng(2)
    O, Y = rng.normal(size=(2, 4, 3)), rng.integers(0, 3, (2, 4))
    probs = softmax(O)[np.arange(2)[:, None], np.arange(4)[None, :], Y]
    assert perplexity(O, Y) == pytest.approx(np.prod(probs) ** (-1 / 8), rel=1e-12)  # geometric mean
    assert bpc(O, Y) == pytest.approx(-np.mean(np.log2(probs)), rel=1e-12)
    O_perfect = np.where(np.eye(3)[Y] == 1, 50.0, -50.0)
    assert perplexity(O_perfect, Y) == pytest.approx(1.0, abs=1e-12)


def test_evaluate_lm_is_the_mean_loss_of_one_pass_over_the_rows():
    p = model(11)
    ids = np.random.default_rng(11).integers(0, 5, 61)
    batch = batch_stream(ids, 4)  # rows of 15: 14 predictions each
    O = lm_forward(p, batch[:, :-1])[0]
    expected = sequence_cross_entropy(O, batch[:, 1:]) / 14
    assert evaluate_lm(p, ids, N=4, chunk_length=3) == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------------ training


def test_training_lowers_the_validation_loss_on_a_tiny_corpus():
    text = "the cat sat on the mat. the dog sat on the log. " * 40
    vocab = build_vocab(text)
    ids = encode_text(text, vocab)
    train_ids, val_ids = ids[:1600], ids[1600:]
    p = init_lm_params(len(vocab), 16, rng=np.random.default_rng(0))
    history = train_lm(p, train_ids, val_ids, N=4, chunk_length=20, n_updates=120, lr=1e-2, eval_every=40,
                       progress=False)
    val = history["val_loss"]
    assert history["eval_update"].tolist() == [0, 40, 80, 120]
    fresh = init_lm_params(len(vocab), 16, rng=np.random.default_rng(0))
    assert val[0] == pytest.approx(evaluate_lm(fresh, val_ids))
    assert val[-1] < 0.5 * val[0]
    assert val[-1] == pytest.approx(evaluate_lm(p, val_ids))
    assert history["train_loss"].shape == history["grad_norm"].shape == (120,)


def test_train_lm_prints_a_progress_line(capsys):
    ids = np.tile(np.arange(4), 30)
    p = init_lm_params(4, 3)
    train_lm(p, ids, ids[:40], N=2, chunk_length=5, n_updates=6, eval_every=3)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("update     6/6 [####################] loss")
    assert "validation" in lines[-1] and "PPL" in lines[-1]


def test_train_lm_carries_the_state_between_chunks_and_resets_it_after_a_pass():
    # The same updates by hand: chunks of the rows in order, the state carried, zeros after
    # the last chunk.
    ids = np.random.default_rng(12).integers(0, 5, 42)
    p, q = model(12), model(12)
    train_lm(p, ids, None, N=2, chunk_length=8, n_updates=5, lr=1e-2, max_norm=3.0, progress=False)
    chunks = truncated_bptt_chunks(batch_stream(ids, 2), 8)  # rows of 21: chunks of 8, 8, 4
    assert len(chunks) == 3
    state, h, C = {}, None, None
    for i in range(5):
        if i % 3 == 0:
            h = C = None
        _, (h, C), _ = lm_train_step(q, state, *chunks[i % 3], h, C, lr=1e-2, max_norm=3.0)
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])


# ------------------------------------------------------------------ n-grams


def kneser_ney_by_hand(text_ids, order, K, context, w):
    """Interpolated Kneser-Ney written from the definitions with Counters (an independent route)."""
    seqs = {j: Counter(tuple(text_ids[i : i + j]) for i in range(len(text_ids) - j + 1))
            for j in range(1, order + 1)}

    def counts(j):
        if j == order:
            return seqs[j]
        cont = Counter()
        for gram in seqs[j + 1]:
            cont[gram[1:]] += 1
        return cont

    def discount(c):
        n1 = sum(1 for v in c.values() if v == 1)
        n2 = sum(1 for v in c.values() if v == 2)
        return 0.5 if n1 == 0 else min(max(n1 / (n1 + 2 * n2), 0.05), 0.95)

    p = 1.0 / K
    for j in range(1, order + 1):
        if len(context) < j - 1:
            break
        h = tuple(context[len(context) - (j - 1) :]) if j > 1 else ()
        c = counts(j)
        d = discount(c)
        followers = {g[-1]: v for g, v in c.items() if g[:-1] == h}
        total = sum(followers.values())
        if total == 0:
            continue
        p = (max(followers.get(w, 0) - d, 0) + d * len(followers) * p) / total
    return p


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_matches_the_definition_computed_independently(order):
    text = "abracadabra, a cab; a bad bar. " * 3
    vocab = build_vocab(text + "z")  # 'z' never occurs: an unseen character
    ids = encode_text(text, vocab)
    K = len(vocab)
    m = fit_ngram(ids, order, K)
    test = encode_text("a cadabra zab", vocab)
    got = np.exp(ngram_log_probs(m, test))
    expected = [kneser_ney_by_hand(ids.tolist(), order, K, test[max(0, t - order + 1) : t].tolist(), test[t])
                for t in range(1, len(test))]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("smoothing", ["kneser-ney", "add-k"])
@pytest.mark.parametrize("order", [1, 3, 5])
def test_ngram_distributions_sum_to_one_and_are_positive(smoothing, order):
    text = "def f(x):\n    return x + 1\n" * 5
    vocab = build_vocab(text + "Q")
    ids = encode_text(text, vocab)
    m = fit_ngram(ids, order, len(vocab), smoothing=smoothing, k=0.5)
    for context in ["", "d", "ret", "x + ", "QQQQ", "    r"]:
        p = ngram_distribution(m, encode_text(context, vocab))
        assert p.shape == (len(vocab),)
        assert np.all(p > 0)
        assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_ngram_learns_a_deterministic_pattern():
    vocab = build_vocab("abc")
    ids = encode_text("abc" * 200, vocab)
    m = fit_ngram(ids, 2, len(vocab))
    p = ngram_distribution(m, encode_text("ab", vocab))
    assert p[vocab.index("c")] > 0.99
    log_p = ngram_log_probs(m, encode_text("abcabc", vocab))
    assert log_p.shape == (5,) and np.all(log_p > np.log(0.99))


def test_add_k_is_the_formula_at_the_full_order():
    vocab = build_vocab("aab")
    K = len(vocab)
    ids = encode_text("aabaab", vocab)  # bigrams: aa x2, ab x2, ba x1
    m = fit_ngram(ids, 2, K, smoothing="add-k", k=0.5)
    a, b = vocab.index("a"), vocab.index("b")
    p = ngram_distribution(m, np.array([a]))
    np.testing.assert_allclose(p[[a, b]], [(2 + 0.5) / (4 + 0.5 * K), (2 + 0.5) / (4 + 0.5 * K)], rtol=1e-14)
    np.testing.assert_allclose(p[0], 0.5 / (4 + 0.5 * K), rtol=1e-14)


def test_ngram_log_probs_match_the_distributions_position_by_position():
    text = "for i in range(3):\n    print(i)\n" * 4
    vocab = build_vocab(text)
    ids = encode_text(text, vocab)
    for smoothing in ("kneser-ney", "add-k"):
        m = fit_ngram(ids, 3, len(vocab), smoothing=smoothing)
        log_p = ngram_log_probs(m, ids[:30])
        for t in itertools.chain(range(1, 4), range(20, 30)):
            p = ngram_distribution(m, ids[max(0, t - 2) : t])
            assert log_p[t - 1] == pytest.approx(np.log(p[ids[t]]), rel=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: fit_ngram(np.array([0, 1, 2]), 0, 3), "order must be a positive int"),
        (lambda: fit_ngram(np.array([0, 1, 2]), 2, 3, smoothing="laplace"), "smoothing must be"),
        (lambda: fit_ngram(np.array([0, 1, 2]), 2, 3, k=0), "k must be a positive number"),
        (lambda: fit_ngram(np.array([0, 1, 5]), 2, 3), r"ids must hold indices in \[0, 3\)"),
        (lambda: fit_ngram(np.array([0, 1]), 3, 3), "at least order = 3"),
        (lambda: fit_ngram(np.array([0, 1, 2]), 40, 3), "K \\*\\* order below"),
        (lambda: ngram_log_probs({"order": 2}, np.array([0, 1])),
         "model must be the dict that fit_ngram returns"),
        (lambda: ngram_log_probs(fit_ngram(np.array([0, 1, 2]), 2, 3), np.array([0])), "at least 2 tokens"),
    ],
)
def test_ngram_functions_reject_bad_input_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ------------------------------------------------------------------ assignment 9's forms: draws, steps, context


def test_sample_index_is_the_smallest_class_whose_cumulative_probability_exceeds_u():
    p = np.array([[0.2, 0.5, 0.3], [0.0, 0.6, 0.4], [0.25, 0.25, 0.5], [0.0, 0.0, 1.0]])
    upsilon = np.array([0.65, 0.0, 0.5, 0.999])
    k = sample_index(p, upsilon)
    assert k.dtype == np.int64 and k.tolist() == [1, 1, 2, 2]
    # rows that do not sum to one are normalised first
    np.testing.assert_array_equal(sample_index(0.5 * p, upsilon), k)


def test_sample_index_draws_each_class_with_its_probability_and_never_a_zero_one():
    rng = np.random.default_rng(0)
    p = np.array([0.1, 0.0, 0.45, 0.3, 0.0, 0.15])
    n = 50_000
    freq = np.bincount(sample_index(np.tile(p, (n, 1)), rng.random(n)), minlength=6) / n
    assert freq[1] == 0 and freq[4] == 0
    assert np.all(np.abs(freq - p) < 4 * np.sqrt(p * (1 - p) / n) + 1e-12)


def test_sample_index_equals_numpys_choice_draw_for_draw():
    for seed in range(5):
        p = np.random.default_rng(seed).dirichlet(np.ones(7))
        g1, g2 = np.random.default_rng(seed), np.random.default_rng(seed)
        ours = [int(sample_index(p[None], g1.random(1))[0]) for _ in range(300)]
        assert ours == [int(g2.choice(7, p=p)) for _ in range(300)]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sample_index(np.ones((2, 3)), np.zeros(3)), r"upsilon has shape \(3,\)"),
        (lambda: sample_index(np.array([[0.5, -0.1, 0.6]]), np.zeros(1)), "p must hold probabilities"),
        (lambda: sample_index(np.zeros((1, 3)), np.zeros(1)), "p must hold probabilities"),
        (lambda: sample_index(np.ones((1, 3)), np.ones(1)), r"upsilon must hold numbers in \[0, 1\)"),
        (lambda: sample_sequence(lambda x, s: (np.zeros((2, 3)), s), None, np.zeros(2, int), np.zeros((3, 4)), 1.0),
         r"upsilon has shape \(3, 4\), expected \(N, n\) with N = 2"),
        (lambda: sample_sequence("model", None, np.zeros(2, int), np.zeros((2, 4)), 1.0), "step must be a function"),
        (lambda: perplexity_by_context(lambda x, s: (np.zeros((1, 3)), s), None, np.zeros((1, 1), int), np.ones(1, int)),
         "L >= 2"),
        (lambda: perplexity_by_context(lambda x, s: (np.zeros((1, 3)), s), None, np.zeros((1, 4), int), np.zeros(1, int)),
         "ells must hold context lengths >= 1"),
    ],
)
def test_generation_functions_reject_bad_input_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_lm_step_is_one_lstm_step_then_the_output_layer():
    p = model(3)
    rng = np.random.default_rng(3)
    x, h, C = rng.integers(0, 5, 4), rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    o, (h2, C2) = lm_step(p)(x, (h, C))
    h_ref, C_ref = lstm_step_forward(one_hot(x, 5), h, C, p["U"], p["W"], p["b"])
    np.testing.assert_allclose(h2, h_ref, rtol=1e-14)
    np.testing.assert_allclose(C2, C_ref, rtol=1e-14)
    np.testing.assert_allclose(o, h_ref @ p["V"].T + p["c"], rtol=1e-13)
    # a float32 model can hand out float64 logits (what sample_lm draws from)
    p32 = model(3, dtype=np.float32)
    o32 = lm_step(p32)(x, (h.astype(np.float32), C.astype(np.float32)))[0]
    o64 = lm_step(p32, np.float64)(x, (h.astype(np.float32), C.astype(np.float32)))[0]
    assert o32.dtype == np.float32 and o64.dtype == np.float64
    np.testing.assert_array_equal(o64, o32.astype(np.float64))


def test_sample_sequence_feeds_each_draw_back_and_passes_any_state_along():
    B = np.random.default_rng(1).normal(size=(4, 4))
    seen = []

    def counting(x, count):
        seen.append(np.array(x))
        return B[x] + count * np.arange(4) * 0.2, count + 1

    upsilon = np.random.default_rng(2).random((3, 7))
    ids = sample_sequence(counting, 0, np.array([0, 1, 2]), upsilon, 0.9)
    assert ids.shape == (3, 7) and ids.dtype == np.int64
    assert seen[0].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(np.stack(seen[1:], axis=1), ids[:, :-1])
    # by hand, one row at a time, with numpy's choice as the draw (same uniform numbers)
    for n in range(3):
        x = [0, 1, 2][n]
        for t in range(7):
            w = temperature_softmax(B[x] + t * np.arange(4) * 0.2, 0.9)
            F = np.cumsum(w) / np.sum(w)
            x = int(np.searchsorted(F, upsilon[n, t], side="right"))
            assert ids[n, t] == x


def test_sample_lm_draws_the_same_characters_as_rng_choice_at_every_step():
    """sample_lm goes through sample_sequence; the draws are rng.choice's, so the book's samples did not change."""
    p = model(4)
    prime = np.array([2, 0, 4, 1])
    for tau in (0.5, 1.0, 1.7):
        got = sample_lm(p, prime, 30, np.random.default_rng(11), temperature=tau)
        rng = np.random.default_rng(11)
        h, C = lstm_forward(one_hot(prime[None, :-1], 5), np.zeros((1, 3)), np.zeros((1, 3)), p["U"], p["W"], p["b"])
        h, C, x = h[:, -1], C[:, -1], prime[-1]
        for t in range(30):
            h, C = lstm_step_forward(one_hot(np.array([x]), 5), h, C, p["U"], p["W"], p["b"])
            x = rng.choice(5, p=temperature_softmax((h @ p["V"].T + p["c"])[0], tau))
            assert got[t] == x


def test_lstm_chunk_is_lstm_forward_and_its_backward_matches_finite_differences():
    rng = np.random.default_rng(5)
    p = model(5)
    X = one_hot(rng.integers(0, 5, (2, 4)), 5)
    h0, C0 = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    Hs, Cs, backward = lstm_chunk(p, X, h0, C0)
    Hs_ref, Cs_ref = lstm_forward(X, h0, C0, p["U"], p["W"], p["b"])
    np.testing.assert_allclose(Hs, Hs_ref, rtol=1e-14)
    np.testing.assert_allclose(Cs, Cs_ref, rtol=1e-14)
    dHs = rng.normal(size=Hs.shape)
    grads = backward(dHs)
    assert sorted(grads) == ["U", "W", "b"]
    for k in grads:
        num = numerical_gradient(lambda _: lstm_chunk(p, X, h0, C0)[0], p[k], dHs)
        assert np.max(np.abs(grads[k] - num)) / (np.max(np.abs(num)) + 1e-12) < 1e-7


def _chunk_loss(p, inputs, targets, state):
    """The loss per character by loops over rows and steps, from lstm_step_forward."""
    total = 0.0
    N, T = inputs.shape
    for n in range(N):
        h, C = state[0][n : n + 1], state[1][n : n + 1]
        for t in range(T):
            h, C = lstm_step_forward(one_hot(inputs[n, t : t + 1], 5), h, C, p["U"], p["W"], p["b"])
            o = (h @ p["V"].T + p["c"])[0]
            total -= o[targets[n, t]] - np.log(np.sum(np.exp(o - o.max()))) - o.max()
    return total / (N * T)


@pytest.mark.parametrize("clip", [False, True])
def test_tbptt_step_is_a_clipped_gradient_step_on_the_loss_per_character(clip):
    rng = np.random.default_rng(6)
    p = model(6)
    inputs, targets = rng.integers(0, 5, (3, 4)), rng.integers(0, 5, (3, 4))
    state = (rng.normal(0, 0.5, (3, 3)), rng.normal(0, 0.5, (3, 3)))
    g = {k: numerical_gradient(lambda _: _chunk_loss(p, inputs, targets, state), p[k]) for k in p}
    norm = math.sqrt(sum(float(np.sum(v * v)) for v in g.values()))
    max_norm = norm / 4 if clip else 10 * norm
    before = {k: v.copy() for k, v in p.items()}
    new, loss, (h_T, C_T) = tbptt_step(p, inputs, targets, state, lstm_chunk, 0.2, max_norm)
    assert loss == pytest.approx(_chunk_loss(p, inputs, targets, state), rel=1e-12)
    scale = 0.25 if clip else 1.0
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])  # the caller's parameters are left alone
        np.testing.assert_allclose(new[k], p[k] - 0.2 * scale * g[k], rtol=1e-6, atol=1e-9)
    Hs, Cs = lstm_forward(one_hot(inputs, 5), *state, p["U"], p["W"], p["b"])
    np.testing.assert_allclose(h_T, Hs[:, -1], rtol=1e-14)
    np.testing.assert_allclose(C_T, Cs[:, -1], rtol=1e-14)
    assert _chunk_loss(new, inputs, targets, state) < loss


def test_tbptt_steps_carrying_the_state_lower_the_loss_of_a_text():
    text = np.tile(np.array([0, 1, 2, 3, 4, 2, 1]), 30)
    batch = batch_stream(text, 2)
    chunks = truncated_bptt_chunks(batch, 7)
    p = model(7)
    first = None
    for epoch in range(15):
        state = (np.zeros((2, 3)), np.zeros((2, 3)))
        losses = []
        for inputs, targets in chunks:
            p, loss, state = tbptt_step(p, inputs, targets, state, lstm_chunk, 0.5, 5.0)
            losses.append(loss)
        first = first if first is not None else np.mean(losses)
    assert np.mean(losses) < 0.5 * first


def test_perplexity_by_context_resets_the_state_every_ell_characters():
    """A model that needs the previous character: only predictions right after a reset are guesses."""
    def pair_model(x, previous):
        o = np.zeros((len(x), 3))
        known = previous >= 0
        o[np.arange(len(x)), np.where(known, (x + previous) % 3, 0)] = np.where(known, 5.0, 0.0)
        return o, np.array(x)

    ids = np.random.default_rng(8).integers(0, 3, (2, 20))
    ids[:, 2:] = 0
    for t in range(2, 20):
        ids[:, t] = (ids[:, t - 1] + ids[:, t - 2]) % 3  # the next character is the sum of the last two
    ells = np.array([1, 2, 3, 7, 19, 50])
    ppl = perplexity_by_context(pair_model, np.full(2, -1), ids, ells)
    sure, guess = np.exp(5) / (np.exp(5) + 2), 1 / 3
    for e, ell in enumerate(ells):
        resets = sum(1 for t in range(19) if t % ell == 0)
        expected = np.exp(-(resets * np.log(guess) + (19 - resets) * np.log(sure)) / 19)
        assert ppl[e] == pytest.approx(expected, rel=1e-12)
    assert ppl[-1] == ppl[-2]  # ell >= L - 1 never resets after t = 0


def test_perplexity_by_context_on_a_trained_model_falls_with_the_context():
    text = np.tile(np.array([0, 1, 0, 2, 0, 3, 0, 4]), 40)  # after a 0 comes what follows the character before it
    p = init_lm_params(5, 8, np.random.default_rng(0))
    train_lm(p, text, None, 4, 16, 200, lr=1e-2, progress=False)
    ids = batch_stream(text, 4)[:, :40]
    zeros = (np.zeros((4, 8)), np.zeros((4, 8)))
    ppl = perplexity_by_context(lm_step(p), zeros, ids, np.array([1, 8, 39]))
    # one character of context cannot tell what follows a 0; eight can, nearly always
    assert ppl[0] > 2 * ppl[1] and ppl[1] > ppl[2] and ppl[2] < 1.2


def test_kneser_ney_discount_follows_the_books_rule_at_its_edges():
    from rnncourse.charlm import _discount

    assert _discount(np.array([1, 1, 1, 2, 5])) == pytest.approx(3 / 5)  # #_1 / (#_1 + 2 #_2)
    assert _discount(np.array([1, 1, 3])) == 0.95  # no n-gram seen twice: 1, kept below 1
    assert _discount(np.array([1] + [2] * 100)) == 0.05  # 1/201, kept above 0
    assert _discount(np.array([2, 2, 4])) == 0.5  # none seen once: 0, replaced


def test_kneser_ney_leaves_mass_for_unseen_characters_when_no_ngram_was_seen_once():
    # "abab..." twice over: every bigram is seen many times, none once, so the formula's discount
    # would be 0 and "c" after "a" would get probability 0.
    ids = np.array([0, 1] * 20)
    model = fit_ngram(ids, 2, 3)
    p = ngram_distribution(model, np.array([0]))
    assert p[2] > 0 and p.sum() == pytest.approx(1.0)
