"""Chapter 6, bidirectional RNNs and encoder-decoders: assignment 06_seq2seq.

Every case uses the tanh cell (``cell="rnn"``): the assignment asks for that cell only.
``greedy_decode`` returns integer tokens, which the shared comparison checks exactly.
``decoding_accuracy`` is measured on small encoder-decoders that the case generator trains
on the digit-reversal task (a few hundred updates of a model with 8 units per direction,
about a quarter of a second each), so that its accuracies are neither 0 nor 1.
"""

from __future__ import annotations

import numpy as np

from ... import seq2seq, transduction
from ...bidirectional import birnn_forward
from ...data import one_hot
from ..spec import Task
from ._common import rnn_params as _rnn_params


def _direction(rng, D, H):
    return _rnn_params(rng, D, H)


def _cases_birnn_forward(rng):
    cases = []
    for N, T, D, H in [(1, 1, 1, 1), (2, 1, 3, 4), (1, 5, 2, 3), (3, 4, 3, 5)]:
        cases.append((f"N={N}, T={T}, D={D}, H={H}, cell='rnn'",
                      {"X": rng.normal(0, 1, (N, T, D)), "h0_fwd": rng.uniform(-1, 1, (N, H)),
                       "h0_bwd": rng.uniform(-1, 1, (N, H)), "fwd": _direction(rng, D, H),
                       "bwd": _direction(rng, D, H), "cell": "rnn"}))
    return cases


def _encoder(rng, D, H, bidirectional):
    if bidirectional:
        return {"fwd": _direction(rng, D, H), "bwd": _direction(rng, D, H)}
    return _direction(rng, D, H)


def _cases_seq2seq_encoder_forward(rng):
    cases = []
    for N, T_x, D, H, bi in [(1, 1, 2, 1, True), (2, 5, 3, 4, True), (3, 4, 2, 3, False), (1, 6, 4, 2, True)]:
        kind = "bidirectional" if bi else "unidirectional"
        cases.append((f"N={N}, T_x={T_x}, D={D}, H={H}, a {kind} encoder",
                      {"X": rng.normal(0, 1, (N, T_x, D)), "enc": _encoder(rng, D, H, bi), "cell": "rnn"}))
    return cases


def _decoder(rng, K, H_d, eos_bias=0.0):
    dec = _rnn_params(rng, K, H_d, K)
    dec["c"][min(1, K - 1)] += eos_bias
    return dec


def _cases_seq2seq_forward(rng):
    cases = []
    for N, T_x, T_y, D, H, K, bi in [(1, 1, 1, 2, 1, 2, True), (2, 5, 3, 3, 2, 4, True),
                                     (3, 2, 6, 4, 3, 5, False), (2, 4, 4, 2, 3, 3, True)]:
        H_d = 2 * H if bi else H
        kind = "bidirectional" if bi else "unidirectional"
        cases.append((f"N={N}, T_x={T_x}, T_y={T_y}, D={D}, H={H}, K={K}, a {kind} encoder",
                      {"X": rng.normal(0, 1, (N, T_x, D)), "Y_in": rng.integers(0, K, (N, T_y)),
                       "enc": _encoder(rng, D, H, bi), "dec": _decoder(rng, K, H_d), "cell": "rnn"}))
    return cases


def _cases_greedy_decode(rng):
    """Token 1 is eos; its bias is raised so that sequences stop at different steps, or all early."""
    cases = []
    for N, T_x, D, H, K, max_len, bias, pad, bi in [
        (1, 1, 2, 2, 3, 4, 0.0, None, True),
        (4, 3, 3, 2, 5, 6, 0.5, 0, True),
        (6, 4, 2, 3, 4, 8, 1.0, None, True),
        (5, 2, 3, 4, 6, 5, 1.5, 2, False),
        (5, 5, 2, 3, 5, 1, 0.0, 4, True),
    ]:
        H_d = 2 * H if bi else H
        kind = "bidirectional" if bi else "unidirectional"
        cases.append((f"N={N}, T_x={T_x}, D={D}, H={H}, K={K}, bos=0, eos=1, max_len={max_len}, pad={pad}, "
                      f"a {kind} encoder",
                      {"X": rng.normal(0, 1, (N, T_x, D)), "enc": _encoder(rng, D, H, bi),
                       "dec": _decoder(rng, K, H_d, bias), "bos": 0, "eos": 1, "max_len": max_len,
                       "cell": "rnn", "pad": pad}))
    return cases


def _trained(rng, H, length, n_steps):
    K = len(transduction.TRANSDUCTION_VOCAB)
    enc, dec = seq2seq.init_seq2seq_params(K, H, K, rng=np.random.default_rng(int(rng.integers(2**31))))
    batches = np.random.default_rng(int(rng.integers(2**31)))
    transduction.train_transduction(enc, dec, length, n_steps, rng=batches, lr=0.01)
    return enc, dec


def _cases_decoding_accuracy(rng):
    K = len(transduction.TRANSDUCTION_VOCAB)
    cases = []
    for N, length, H, n_steps in [(40, 3, 8, 150), (40, 5, 8, 300), (1, 1, 4, 40)]:
        enc, dec = _trained(rng, H, length, n_steps)
        src, _, Y = transduction.digit_transduction_task(N, length, "reverse", rng)
        cases.append((f"N={N} strings of {length} digits to reverse, a model with H={H} trained for "
                      f"{n_steps} updates",
                      {"X": one_hot(src, K), "Y": Y, "enc": enc, "dec": dec, "bos": transduction.BOS,
                       "eos": transduction.EOS, "cell": "rnn"}))
    # An untrained unidirectional model that says eos often, against random targets ending with eos.
    enc = _direction(rng, 4, 3)
    dec = _decoder(rng, 5, 3, 1.5)
    Y = np.concatenate([rng.integers(0, 5, (6, 3)), np.ones((6, 1), dtype=np.int64)], axis=1)
    cases.append(("N=6, T_x=2, T_y=4, D=4, H=3, K=5, bos=0, eos=1, an untrained unidirectional model",
                  {"X": rng.normal(0, 1, (6, 2, 4)), "Y": Y, "enc": enc, "dec": dec, "bos": 0, "eos": 1,
                   "cell": "rnn"}))
    return cases


TASKS = [
    Task("birnn_forward", 6, birnn_forward, _cases_birnn_forward,
         "the backward direction reads the inputs from the last to the first with its own parameters and "
         "initial state; its states must be put back in time order before they are joined to the forward "
         "states"),
    Task("seq2seq_encoder_forward", 6, seq2seq.seq2seq_encoder_forward, _cases_seq2seq_encoder_forward,
         "the context is the last state of each direction: the forward state at the last position and the "
         "backward state at the first; a unidirectional encoder's context is its last state",
         outputs=("Hs_enc", "m"), calls=("birnn_forward",)),
    Task("seq2seq_forward", 6, seq2seq.seq2seq_forward, _cases_seq2seq_forward,
         "the decoder starts from the context m, reads the one-hot vector of each input token (K entries), "
         "and every decoder state gives one row of logits", calls=("seq2seq_encoder_forward",)),
    Task("greedy_decode", 6, seq2seq.greedy_decode, _cases_greedy_decode,
         "the first input is bos, each later input is the previous step's arg max; after a sequence's eos write "
         "pad (eos itself when pad is None), and stop once every sequence has emitted eos (or after max_len "
         "steps), so the result has one row per sequence and one integer token per decoding step",
         calls=("seq2seq_encoder_forward",)),
    Task("decoding_accuracy", 6, seq2seq.decoding_accuracy, _cases_decoding_accuracy,
         "decode greedily for at most T_y steps; a position counts only if the sequence had not emitted eos "
         "before it (and a position after decoding stopped is wrong); teacher forcing feeds bos and then the "
         "targets", outputs=("sequence_accuracy", "token_accuracy", "forced_token_accuracy"),
         calls=("greedy_decode", "seq2seq_forward")),
]
