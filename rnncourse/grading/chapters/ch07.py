"""Chapter 7, attention: assignment 07_attention.

Sizes are all different within a case (N, T_y, T_x, H_q, H_k, H_a ...), so that a softmax over
the wrong axis, a transposed weight or a context summed over the wrong axis fails. The decoder
step and the alignment use the tanh cell (``cell="rnn"``) only. ``reversal_alignment`` is
measured on small attention models that the case generator trains on the digit-reversal task
(300 updates of a model with 8 units, about half a second), and on untrained ones.
"""

from __future__ import annotations

import numpy as np

from ... import attention, dot_attention, seq2seq, transduction
from ...data import one_hot
from ..spec import Task
from ._common import pick


def _scorer(rng, H_a, H_q, H_k):
    return {"W_a": rng.normal(0, 1 / np.sqrt(H_q), (H_a, H_q)),
            "U_a": rng.normal(0, 1 / np.sqrt(H_k), (H_a, H_k)),
            "V_a": rng.normal(0, 1, (1, H_a))}


def _cases_additive_attention_forward(rng):
    cases = []
    for N, T_y, T_x, H_q, H_k, H_a in [(1, 1, 1, 1, 1, 1), (2, 3, 4, 5, 6, 2), (3, None, 5, 2, 4, 3),
                                       (3, 2, 1, 4, 3, 5)]:
        q_shape = (N, H_q) if T_y is None else (N, T_y, H_q)
        label = (f"one step: queries (N, H_q) = {q_shape}" if T_y is None else f"N={N}, T_y={T_y}") + \
            f", T_x={T_x}, H_q={H_q}, H_k={H_k}, H_a={H_a}"
        cases.append((label, {"queries": rng.normal(0, 1, q_shape), "keys": rng.normal(0, 1, (N, T_x, H_k)),
                              **_scorer(rng, H_a, H_q, H_k)}))
    return cases


def _mask(rng, N, T_x):
    mask = rng.random((N, T_x)) < 0.7
    mask[np.arange(N), rng.integers(0, T_x, N)] = True  # every row keeps one position at least
    return mask


def _cases_attention_weights(rng):
    cases = [("N=1, T_y=1, T_x=1", {"E": rng.normal(0, 1, (1, 1, 1))}),
             ("N=2, T_y=3, T_x=4", {"E": rng.normal(0, 2, (2, 3, 4))}),
             ("one step: E of shape (N, T_x) = (3, 5)", {"E": rng.normal(0, 2, (3, 5))}),
             ("scores near 1000 (exp overflows without a shift): N=2, T_y=2, T_x=3",
              {"E": 1000.0 + rng.normal(0, 3, (2, 2, 3))})]
    cases.append(("N=3, T_y=2, T_x=5 with a mask",
                  {"E": rng.normal(0, 2, (3, 2, 5)), "mask": _mask(rng, 3, 5)}))
    cases.append(("one step: E (N, T_x) = (4, 3) with a mask",
                  {"E": rng.normal(0, 2, (4, 3)), "mask": _mask(rng, 4, 3)}))
    return cases


def _cases_dot_product_attention(rng):
    cases = []
    # (N, T_y, T_x, H_a, H_v, scaled, masked, score scale); T_y None is one step, queries (N, H_a)
    for N, T_y, T_x, H_a, H_v, scaled, masked, big in [
            (1, 1, 1, 1, 1, False, False, 1.0), (2, 3, 4, 5, 6, True, False, 1.0),
            (2, 3, 4, 5, 3, False, True, 1.0), (3, None, 5, 4, 2, True, True, 1.0),
            (1, 2, 6, 9, 4, True, False, 1.0),
            (2, 2, 3, 4, 2, False, False, 400.0)]:
        q_shape = (N, H_a) if T_y is None else (N, T_y, H_a)
        label = ((f"one step: queries (N, H_a) = {q_shape}" if T_y is None else f"N={N}, T_y={T_y}")
                 + f", T_x={T_x}, H_a={H_a}, H_v={H_v}, scaled={scaled}" + (", with a mask" if masked else "")
                 + (" (scores in the hundreds: exp overflows without a shift)" if big > 1 else ""))
        kw = {"queries": big * rng.normal(0, 1, q_shape), "keys": rng.normal(0, 1, (N, T_x, H_a)),
              "values": rng.normal(0, 1, (N, T_x, H_v)), "scaled": scaled}
        if masked:
            kw["mask"] = _mask(rng, N, T_x)
        cases.append((label, kw))
    return cases


def _projections(rng, H, H_e, H_a, H_v):
    # Weights of unit gain, so that the scores stay of order one and the softmax is not saturated.
    return {"W_q": rng.normal(0, 1 / np.sqrt(H), (H_a, H)),
            "U_k": rng.normal(0, 1 / np.sqrt(H_e), (H_a, H_e)),
            "U_v": rng.normal(0, 1 / np.sqrt(H_e), (H_v, H_e))}


def _projected_case(rng, N, T_y, T_x, H, H_e, H_a, H_v, scaled, masked):
    kw = {"Hs_dec": rng.uniform(-1, 1, (N, T_y, H)), "Hs_enc": rng.uniform(-1, 1, (N, T_x, H_e)),
          **_projections(rng, H, H_e, H_a, H_v), "scaled": scaled}
    if masked:
        kw["mask"] = _mask(rng, N, T_x)
    Ms, _ = dot_attention.projected_attention_forward(**kw)
    label = (f"N={N}, T_y={T_y}, T_x={T_x}, H={H}, H_e={H_e}, H_a={H_a}, H_v={H_v}, scaled={scaled}"
             + (", with a mask" if masked else ""))
    return label, {"dMs": rng.normal(0, 1, Ms.shape), **kw}


def _cases_projected_attention_backward(rng):
    # (N, T_y, T_x, H, H_e, H_a, H_v, scaled, masked): every size differs from the others within a case
    return [_projected_case(rng, *sizes) for sizes in [
        (1, 1, 1, 2, 3, 4, 5, True, False), (2, 3, 4, 5, 6, 3, 2, True, False),
        (2, 3, 4, 5, 6, 3, 2, False, True), (3, 2, 5, 4, 2, 6, 3, True, True),
        (1, 4, 6, 3, 5, 2, 4, False, False), (2, 1, 3, 2, 4, 5, 3, True, True)]]


def _fd_projected_attention_backward(kw, rng):
    args = {k: v for k, v in kw.items() if k != "dMs"}
    f = lambda _: dot_attention.projected_attention_forward(**args)[0]  # noqa: E731
    dMs = kw["dMs"]
    return kw, [(f"d{name}", pick(i), kw[name], f, dMs)
                for i, name in enumerate(("W_q", "U_k", "U_v", "Hs_dec", "Hs_enc"))]


def _step_dec(rng, K, H, H_e, H_a):
    return {"U": rng.normal(0, 1 / np.sqrt(K), (H, K)), "U_m": rng.normal(0, 1 / np.sqrt(H_e), (H, H_e)),
            "W": rng.normal(0, 1 / np.sqrt(H), (H, H)), "b": rng.normal(0, 0.5, H),
            "W_a": rng.normal(0, 1 / np.sqrt(H), (H_a, H)),
            "U_a": rng.normal(0, 1 / np.sqrt(H_e), (H_a, H_e)), "V_a": rng.normal(0, 1.5, (1, H_a))}


def _cases_attention_decoder_step_forward(rng):
    cases = []
    for N, T_x, K, H, H_e, H_a, masked in [(1, 1, 2, 1, 2, 1, False), (2, 4, 5, 3, 6, 2, False),
                                           (3, 5, 4, 2, 4, 3, True), (4, 3, 3, 5, 2, 4, False)]:
        kw = {"x": one_hot(rng.integers(0, K, N), K), "h_prev": rng.uniform(-1, 1, (N, H)),
              "Hs_enc": rng.uniform(-1, 1, (N, T_x, H_e)), "dec": _step_dec(rng, K, H, H_e, H_a),
              "cell": "rnn"}
        if masked:
            kw["mask"] = _mask(rng, N, T_x)
        label = f"N={N}, T_x={T_x}, K={K}, H={H}, H_e={H_e}, H_a={H_a}" + (", with a mask" if masked else "")
        cases.append((label, kw))
    return cases


def _cases_reversal_alignment(rng):
    K = len(transduction.TRANSDUCTION_VOCAB)
    cases = []
    for N, length in [(30, 4), (1, 1)]:
        init = np.random.default_rng(int(rng.integers(2**31)))
        enc, dec = attention.init_attention_seq2seq_params(K, 8, K, 8, rng=init)
        transduction.train_transduction(enc, dec, length, 300 if length > 1 else 30, attention=True, lr=0.01,
                                        rng=np.random.default_rng(int(rng.integers(2**31))))
        src, Y_in, _ = transduction.digit_transduction_task(N, length, "reverse", rng)
        Hs_enc, _ = seq2seq.seq2seq_encoder_forward(one_hot(src, K), enc)
        step = {k: dec[k] for k in attention.STEP_KEYS}
        cases.append((f"N={N} strings of {length} digits, a model with 8 units trained to reverse them",
                      {"Hs_enc": Hs_enc, "Y_in": Y_in, "dec": step, "cell": "rnn"}))
    for N, T_x, T_y, K, H, H_e, H_a in [(2, 3, 3, 4, 2, 6, 3), (3, 5, 7, 6, 4, 2, 5)]:
        cases.append((f"an untrained decoder: N={N}, T_x={T_x}, T_y={T_y}, K={K}, H={H}, H_e={H_e}, "
                      f"H_a={H_a}",
                      {"Hs_enc": rng.uniform(-1, 1, (N, T_x, H_e)), "Y_in": rng.integers(0, K, (N, T_y)),
                       "dec": _step_dec(rng, K, H, H_e, H_a), "cell": "rnn"}))
    return cases


def _at_scale_projected_attention_backward(rng):
    # A realistic size, counted by the columns of the key node K = Hs_enc U_k^T, not by the entries of
    # the inputs: the loss separates over the examples and the steps, so finite differences need only
    # one nudge per column K[:, j, a] (batched over the examples) and one per query column, and the
    # rest follows through the linear maps. T_x * H_a = 32,768 key columns, each nudge a forward pass
    # of a few milliseconds, take minutes; the reference takes tens of milliseconds, and the arrays
    # are about 2 MB each way.
    label, kw = _projected_case(rng, 4, 40, 256, 128, 160, 128, 96, True, True)
    return [(label + ", a realistic size (finite differences would take minutes)", kw)]


TASKS = [
    Task("additive_attention_forward", 7, attention.additive_attention_forward,
         _cases_additive_attention_forward,
         "each score pairs one query with one key: project both into H_a dimensions (W_a q, U_a k), add, "
         "take tanh and the dot product with V_a; E[n, t, j] belongs to query t and key j"),
    Task("attention_weights", 7, attention.attention_weights, _cases_attention_weights,
         "the softmax runs over the source positions (the last axis), after subtracting the largest score; "
         "masked positions get weight exactly 0"),
    Task("dot_product_attention", 7, dot_attention.dot_product_attention, _cases_dot_product_attention,
         "score every query against every key of the same example (divided by the square root of the vector "
         "size H_a when scaled), turn each step's scores into weights over the source positions with the "
         "mask applied, and average the values with those weights", outputs=("Ms", "alpha"),
         calls=("attention_weights",)),
    Task("projected_attention_backward", 7, dot_attention.projected_attention_backward,
         _cases_projected_attention_backward,
         "the queries come from the decoder states through W_q, the keys and the values from the same "
         "encoder states through U_k and U_v: an encoder state's gradient adds what comes back along the key "
         "path and along the value path; a weight matrix is shared by every example and position, so its "
         "gradient collects from all of them; the scale and the mask act as in the forward pass",
         outputs=("dW_q", "dU_k", "dU_v", "dHs_dec", "dHs_enc"), gradients=_fd_projected_attention_backward,
         calls=("dot_product_attention",), at_scale=_at_scale_projected_attention_backward),
    Task("attention_decoder_step_forward", 7, attention.attention_decoder_step_forward,
         _cases_attention_decoder_step_forward,
         "the query is the previous decoder state; the encoder states are both keys and values; the new "
         "state is tanh(b + W h_prev + U x + U_m m) with the new context m", outputs=("h_next", "m", "alpha"),
         calls=("additive_attention_forward", "attention_weights")),
    Task("reversal_alignment", 7, attention.reversal_alignment, _cases_reversal_alignment,
         "start from a zero state, feed the one-hot of Y_in[:, t] at step t and keep every step's weights; "
         "step t should attend to source position T_x - 1 - t", outputs=("alpha", "mass", "hit_rate"),
         calls=("attention_decoder_step_forward",)),
]
