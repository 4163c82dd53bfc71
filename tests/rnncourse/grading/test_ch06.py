"""Tests for the chapter-6 parts of rnncourse.grading: bidirectional RNNs and encoder-decoders.

The reference passes every check silently; realistic mistakes fail with a message that names
the function, the case and what differs.
"""

import numpy as np
import pytest

import rnncourse
from rnncourse.grading import check_against_reference
from rnncourse.grading.chapters import TASKS, find
from rnncourse.grading.spec import public_seed
from support import raises_message

CASES = {name: task.cases for name, task in TASKS.items()}

NAMES = ["birnn_forward", "seq2seq_encoder_forward", "seq2seq_forward", "greedy_decode", "decoding_accuracy"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_reference_passes(name, seed, capfd):
    assert check_against_reference(name, getattr(rnncourse, name), seed=seed) is None
    assert capfd.readouterr() == ("", "")


def test_greedy_decode_has_exactly_the_visible_and_hidden_checks():
    assert TASKS["greedy_decode"].check_names() == ["visible", "hidden"]
    assert find("greedy_decode_visible") == (TASKS["greedy_decode"], "visible")
    assert find("greedy_decode_numeric") == (None, None)


def test_cases_cover_small_sizes_both_encoders_and_early_stops():
    rng = np.random.default_rng
    shapes = [kw["X"].shape for _, kw in CASES["birnn_forward"](rng(0))]
    assert any(s[0] == 1 for s in shapes) and any(s[1] == 1 for s in shapes)
    kinds = {"fwd" in kw["enc"] for _, kw in CASES["seq2seq_encoder_forward"](rng(0))}
    assert kinds == {True, False}
    assert any(kw["X"].shape[1] != kw["Y_in"].shape[1] for _, kw in CASES["seq2seq_forward"](rng(0)))
    # Over the public seed and two hidden ones: sequences that stop early, some that never do, and
    # decoding that ends before max_len because every sequence has emitted eos.
    stopped_early = partly = never = False
    for seed in (public_seed("greedy_decode"), 0, 1):
        for _, kw in CASES["greedy_decode"](rng(seed)):
            tokens = rnncourse.greedy_decode(**kw)
            ended = (tokens == kw["eos"]).any(axis=1)
            stopped_early |= tokens.shape[1] < kw["max_len"]
            partly |= bool(ended.any() and not ended.all() and tokens.shape[1] > 1)
            never |= bool(not ended.any())
    assert stopped_early and partly and never


def test_decoding_accuracy_cases_are_neither_trivially_right_nor_trivially_wrong():
    values = [rnncourse.decoding_accuracy(**kw) for _, kw in CASES["decoding_accuracy"](np.random.default_rng(0))]
    tokens = [v[1] for v in values]
    assert max(tokens) > 0.8 and any(0.2 < t < 0.9 for t in tokens)
    assert any(v[2] > v[1] for v in values)  # teacher forcing beats feeding back the model's own outputs


def birnn_without_reversing_back(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    Hs_fwd = rnncourse.rnn_forward(X, h0_fwd, fwd["U"], fwd["W"], fwd["b"])
    Hs_bwd = rnncourse.rnn_forward(X[:, ::-1], h0_bwd, bwd["U"], bwd["W"], bwd["b"])
    return np.concatenate([Hs_fwd, Hs_bwd], axis=2)


def encoder_context_at_the_last_position(X, enc, cell="rnn"):
    Hs_enc, _ = rnncourse.seq2seq_encoder_forward(X, enc, cell)
    return Hs_enc, Hs_enc[:, -1].copy()


def decoder_from_zeros(X, Y_in, enc, dec, cell="rnn"):
    K = dec["V"].shape[0]
    Hs = rnncourse.rnn_forward(np.eye(K)[Y_in], np.zeros((X.shape[0], dec["W"].shape[0])), dec["U"], dec["W"], dec["b"])
    return Hs @ dec["V"].T + dec["c"]


def greedy_without_early_stop(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    _, m = rnncourse.seq2seq_encoder_forward(X, enc, cell)
    K, h, y, done, out = dec["V"].shape[0], m, np.full(X.shape[0], bos), np.zeros(X.shape[0], bool), []
    for _ in range(max_len):
        h = np.tanh(np.eye(K)[y] @ dec["U"].T + h @ dec["W"].T + dec["b"])
        y = np.argmax(h @ dec["V"].T + dec["c"], axis=1)
        out.append(np.where(done, eos if pad is None else pad, y))
        done |= y == eos
    return np.stack(out, axis=1)


def greedy_returning_floats(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    return rnncourse.greedy_decode(X, enc, dec, bos, eos, max_len, cell, pad).astype(float)


def accuracy_counting_positions_after_eos(X, Y, enc, dec, bos, eos, cell="rnn"):
    tokens = rnncourse.greedy_decode(X, enc, dec, bos, eos, Y.shape[1], cell)
    out = np.full(Y.shape, eos)
    out[:, : tokens.shape[1]] = tokens
    Y_in = np.concatenate([np.full((Y.shape[0], 1), bos), Y[:, :-1]], axis=1)
    forced = rnncourse.seq2seq_forward(X, Y_in, enc, dec, cell).argmax(axis=2) == Y
    return float((out == Y).all(axis=1).mean()), float((out == Y).mean()), float(forced.mean())


@pytest.mark.parametrize("name, func, message", [
    ("birnn_forward", birnn_without_reversing_back, r"birnn_forward, case 3 of 4 \(N=1, T=5.*entries differ"),
    ("seq2seq_encoder_forward", encoder_context_at_the_last_position,
     r"seq2seq_encoder_forward, case 2 of 4 .*output m: .*entries differ.*backward state at the first"),
    ("seq2seq_forward", decoder_from_zeros, r"seq2seq_forward, case 1 of 4 .*starts from the context m"),
    ("greedy_decode", greedy_without_early_stop, r"greedy_decode, case \d of 5 .*: shape \(\d, \d\), expected"),
    ("greedy_decode", greedy_returning_floats, r"greedy_decode, case 1 of 5 .*expected an integer dtype"),
    ("decoding_accuracy", accuracy_counting_positions_after_eos, r"decoding_accuracy, case \d of 4 .*output token_accuracy"),
])
def test_typical_mistakes_fail_with_a_specific_message(name, func, message):
    with raises_message(message):
        check_against_reference(name, func, seed=public_seed(name))
