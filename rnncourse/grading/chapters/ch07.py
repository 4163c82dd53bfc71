"""Chapter 7, attention: assignment 07_attention.

Sizes are all different within a case (N, T_y, T_x, H_q, H_k, H_a ...), so that a softmax over
the wrong axis, a transposed weight or a context summed over the wrong axis fails. The decoder
step and the alignment use the tanh cell (``cell="rnn"``) only. ``reversal_alignment`` is
measured on small attention models that the case generator trains on the digit-reversal task
(300 updates of a model with 8 units, about half a second), and on untrained ones.
"""

from __future__ import annotations

import numpy as np

from ... import attention, seq2seq, transduction
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


def _cases_dot_product_attention_scores(rng):
    cases = []
    for N, T_y, T_x, H_a, scaled in [(1, 1, 1, 1, False), (2, 3, 4, 5, True), (2, 3, 4, 5, False),
                                     (3, None, 5, 4, True), (1, 2, 6, 9, True)]:
        q_shape = (N, H_a) if T_y is None else (N, T_y, H_a)
        label = (f"one step: queries (N, H_a) = {q_shape}" if T_y is None else f"N={N}, T_y={T_y}") + \
            f", T_x={T_x}, H_a={H_a}, scaled={scaled}"
        cases.append((label, {"queries": rng.normal(0, 1, q_shape), "keys": rng.normal(0, 1, (N, T_x, H_a)),
                              "scaled": scaled}))
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


def _weights(rng, shape):
    return attention.attention_weights(rng.normal(0, 1.5, shape))


def _cases_attention_context(rng):
    cases = []
    for N, T_y, T_x, H_v in [(1, 1, 1, 1), (2, 3, 4, 5), (3, None, 5, 2), (2, 4, 1, 3)]:
        a_shape = (N, T_x) if T_y is None else (N, T_y, T_x)
        label = (f"one step: alpha (N, T_x) = {a_shape}" if T_y is None else f"N={N}, T_y={T_y}") + \
            f", T_x={T_x}, H_v={H_v}"
        cases.append((label, {"alpha": _weights(rng, a_shape), "values": rng.normal(0, 1, (N, T_x, H_v))}))
    return cases


def _cases_attention_weights_backward(rng):
    cases = []
    for label, kw in _cases_attention_weights(rng):
        if "near 1000" in label:
            continue
        alpha = attention.attention_weights(**kw)
        cases.append((label, {"dalpha": rng.normal(0, 1, alpha.shape), "alpha": alpha}))
    return cases


def _fd_attention_weights_backward(kw, rng):
    """Redraw the scores (and a mask where the case has zeros) so that alpha comes from known E."""
    alpha = kw["alpha"]
    E = rng.normal(0, 1.5, alpha.shape)
    mask = None
    if np.any(alpha == 0):
        keep = alpha.reshape(alpha.shape[0], -1, alpha.shape[-1])[:, 0] > 0
        mask = keep
    f = lambda _: attention.attention_weights(E, mask)  # noqa: E731
    kw = {**kw, "alpha": f(None)}
    return kw, [("dE", lambda out: out, E, f, kw["dalpha"])]


def _cases_attention_context_backward(rng):
    cases = []
    for label, kw in _cases_attention_context(rng):
        Ms = attention.attention_context(**kw)
        cases.append((label, {"dMs": rng.normal(0, 1, Ms.shape), **kw}))
    return cases


def _fd_attention_context_backward(kw, rng):
    alpha, values, dMs = kw["alpha"], kw["values"], kw["dMs"]
    f = lambda _: attention.attention_context(alpha, values)  # noqa: E731
    return kw, [("dalpha", pick(0), alpha, f, dMs), ("dvalues", pick(1), values, f, dMs)]


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


TASKS = [
    Task("additive_attention_forward", 7, attention.additive_attention_forward,
         _cases_additive_attention_forward,
         "each score pairs one query with one key: project both into H_a dimensions (W_a q, U_a k), add, "
         "take tanh and the dot product with V_a; E[n, t, j] belongs to query t and key j"),
    Task("dot_product_attention_scores", 7, attention.dot_product_attention_scores,
         _cases_dot_product_attention_scores,
         "E[n, t, j] is the dot product of query t with key j of the same example; scaled divides by the "
         "square root of the vector size H_a"),
    Task("attention_weights", 7, attention.attention_weights, _cases_attention_weights,
         "the softmax runs over the source positions (the last axis), after subtracting the largest score; "
         "masked positions get weight exactly 0"),
    Task("attention_context", 7, attention.attention_context, _cases_attention_context,
         "the context of step t is the sum over the source positions j of alpha[n, t, j] times values[n, j]"),
    Task("attention_weights_backward", 7, attention.attention_weights_backward,
         _cases_attention_weights_backward,
         "each step's softmax has the Jacobian diag(alpha) - alpha alpha^T: subtract the alpha-weighted sum "
         "of dalpha over the source positions, then multiply by alpha",
         gradients=_fd_attention_weights_backward),
    Task("attention_context_backward", 7, attention.attention_context_backward,
         _cases_attention_context_backward,
         "dalpha[n, t, j] is the dot product of dm_t with v_j; each value collects alpha[n, t, j] dm_t summed "
         "over the target steps t", outputs=("dalpha", "dvalues"),
         gradients=_fd_attention_context_backward),
    Task("attention_decoder_step_forward", 7, attention.attention_decoder_step_forward,
         _cases_attention_decoder_step_forward,
         "the query is the previous decoder state; the encoder states are both keys and values; the new "
         "state is tanh(b + W h_prev + U x + U_m m) with the new context m", outputs=("h_next", "m", "alpha"),
         calls=("additive_attention_forward", "attention_weights", "attention_context")),
    Task("reversal_alignment", 7, attention.reversal_alignment, _cases_reversal_alignment,
         "start from a zero state, feed the one-hot of Y_in[:, t] at step t and keep every step's weights; "
         "step t should attend to source position T_x - 1 - t", outputs=("alpha", "mass", "hit_rate"),
         calls=("attention_decoder_step_forward",)),
]
