"""Attention (chapter 7): scores, weights and context, an attention decoder, a full model.

Notation (the book's notation table, chapter 7). A decoder step t asks a *query* q_t; the
source positions j = 1 .. T_x offer *keys* k_j and *values* v_j (plainly q_t = h^d_{t-1} and
k_j = v_j = h^e_j, the encoder states):

    e_tj     = V_a tanh(W_a q_t + U_a k_j)          additive (Bahdanau) score
    e_tj     = q_t . k_j   or   q_t . k_j / sqrt(H_a)      dot-product, scaled dot-product
    alpha_t  = softmax_j(e_t)                        weights over the *source* axis j
    m_t      = sum_j alpha_tj v_j                    the context of step t

Shapes with the batch on the rows: ``queries`` (N, T_y, H_q), ``keys`` (N, T_x, H_k),
``values`` (N, T_x, H_v), scores ``E`` and weights ``alpha`` (N, T_y, T_x), contexts ``Ms``
(N, T_y, H_v). Every function also takes one step's arrays, ``queries`` (N, H_q) and
``alpha`` (N, T_x), and then returns one step's results. Scorer parameters: ``W_a``
(H_a, H_q), ``U_a`` (H_a, H_k), ``V_a`` (1, H_a).

The attention decoder (Bahdanau et al., 2015) attends with its previous state and then updates
it with the context in the pre-activation:

    q_t = h^d_{t-1},  alpha_t, m_t as above,  a^d_t = b + W h^d_{t-1} + U onehot(y_{t-1}) + U_m m_t

that is, the cell of ``rnncourse.rnn`` or ``rnncourse.gated`` run on the input
``[onehot(y_{t-1}); m_t]`` with input weights ``[U U_m]``; then ``o_t = c + V h^d_t``.
The decoder starts from ``h^d_0 = 0``: all it knows about the source reaches it through
attention.
"""

from __future__ import annotations

import numpy as np

from ._cells import GATES, check_cell, step_backward, step_forward
from ._validate import as_float_array, check_shape
from .bptt import output_backward
from .data import one_hot
from .losses import sequence_cross_entropy, sequence_cross_entropy_backward
from .rnn import output_forward
from .seq2seq import (
    MODEL_CELLS,
    _init_direction,
    check_decode_args,
    check_rng,
    check_tokens,
    seq2seq_encoder_backward,
    seq2seq_encoder_forward,
)

__all__ = [
    "additive_attention_forward",
    "additive_attention_backward",
    "dot_product_attention_scores",
    "dot_product_attention_scores_backward",
    "attention_weights",
    "attention_weights_backward",
    "attention_context",
    "attention_context_backward",
    "attention_decoder_step_forward",
    "attention_decoder_step_backward",
    "init_attention_seq2seq_params",
    "attention_seq2seq_forward",
    "attention_seq2seq_backward",
    "attention_seq2seq_loss_and_grads",
    "attention_greedy_decode",
    "reversal_alignment",
]

STEP_KEYS = ("U", "U_m", "W", "b", "W_a", "U_a", "V_a")
DEC_KEYS = STEP_KEYS + ("V", "c")


# ------------------------------------------------------------------ checks


def _queries(queries, name="queries"):
    """Return (queries as (N, T_y, H_q), whether the caller gave one step (N, H_q))."""
    queries = as_float_array(queries, name, (2, 3))
    if queries.ndim == 2:
        return queries[:, None, :], True
    return queries, False


def _keys(keys, name, N):
    keys = as_float_array(keys, name, 3)
    if keys.shape[0] != N:
        raise ValueError(
            f"{name} has shape {keys.shape}, expected (N, T_x, ·) with N = {N} (the batch of the queries)"
        )
    if keys.shape[1] < 1:
        raise ValueError(f"{name} has shape {keys.shape}, expected at least one source position (T_x >= 1)")
    return keys


def _check_scorer(W_a, U_a, V_a, H_q, H_k):
    W_a = as_float_array(W_a, "W_a", 2)
    H_a = W_a.shape[0]
    check_shape(W_a, "W_a", (H_a, H_q), "(H_a, H_q) (H_q = size of a query)")
    U_a = as_float_array(U_a, "U_a", 2)
    check_shape(U_a, "U_a", (H_a, H_k), "(H_a, H_k) (H_k = size of a key)")
    V_a = as_float_array(V_a, "V_a", 2)
    check_shape(V_a, "V_a", (1, H_a), "(1, H_a)")
    return W_a, U_a, V_a


def _mask(mask, N, T_x):
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise ValueError(f"mask must be a boolean array (True = a real source position), got dtype {mask.dtype}")
    check_shape(mask, "mask", (N, T_x), "(N, T_x)")
    if not mask.any(axis=1).all():
        raise ValueError("mask has a row with no True entry: every sequence needs at least one source position")
    return mask


# ------------------------------------------------------------------ scores


def _mm(A, B):
    """``A @ B`` for A (..., k) and B (k, m) as one 2-D product.

    A stacked ``@`` makes one small BLAS call per leading index; with a multithreaded BLAS on a
    busy machine those calls cost ten times their arithmetic, so every product here is 2-D.
    """
    return (A.reshape(-1, A.shape[-1]) @ B).reshape(A.shape[:-1] + B.shape[1:])


def _additive(Qp, Kp, V_a):
    """Scores from projected queries Qp (N, T_y, H_a) and keys Kp (N, T_x, H_a): (Z, E)."""
    Z = np.tanh(Qp[:, :, None, :] + Kp[:, None, :, :])  # (N, T_y, T_x, H_a)
    return Z, _mm(Z, V_a.T)[..., 0]


def _additive_backward(dE, Z, V_a):
    """Gradients on Qp, Kp and V_a from dE (N, T_y, T_x) and the stored tanh Z."""
    dV_a = dE.reshape(1, -1) @ Z.reshape(-1, Z.shape[-1])
    dP = dE[..., None] * V_a[0] * (1.0 - Z * Z)
    return dP.sum(axis=2), dP.sum(axis=1), dV_a


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    """Additive (Bahdanau) scores ``e_tj = V_a tanh(W_a q_t + U_a k_j)``.

    Inputs:
    - queries: shape (N, T_y, H_q), or (N, H_q) for one step.
    - keys: shape (N, T_x, H_k).
    - W_a: query weights, shape (H_a, H_q).
    - U_a: key weights, shape (H_a, H_k).
    - V_a: output weights of the scorer, shape (1, H_a).

    Returns:
    - E: scores, shape (N, T_y, T_x) (or (N, T_x) for one step); ``E[n, t, j]`` scores
      source position j for target step t.
    """
    Q, single = _queries(queries)
    N, _, H_q = Q.shape
    K_ = _keys(keys, "keys", N)
    W_a, U_a, V_a = _check_scorer(W_a, U_a, V_a, H_q, K_.shape[2])
    _, E = _additive(_mm(Q, W_a.T), _mm(K_, U_a.T), V_a)
    return E[:, 0] if single else E


def additive_attention_backward(dE, queries, keys, W_a, U_a, V_a):
    """Backward pass of ``additive_attention_forward``.

    With ``z_tj = tanh(W_a q_t + U_a k_j)`` and ``g_tj = dE_tj V_a^T * (1 - z_tj^2)`` (H_a):
    ``dq_t = W_a^T sum_j g_tj``, ``dk_j = U_a^T sum_t g_tj``, ``dW_a = sum g_tj q_t^T``,
    ``dU_a = sum g_tj k_j^T``, ``dV_a = sum dE_tj z_tj^T`` (sums over the batch too).

    Inputs:
    - dE: upstream gradients on the scores, shape (N, T_y, T_x) (or (N, T_x) for one step).
    - queries, keys, W_a, U_a, V_a: as in ``additive_attention_forward``.

    Returns a tuple of:
    - dqueries: shape of ``queries``; dkeys: shape (N, T_x, H_k);
    - dW_a: (H_a, H_q); dU_a: (H_a, H_k); dV_a: (1, H_a).
    """
    Q, single = _queries(queries)
    N, T_y, H_q = Q.shape
    K_ = _keys(keys, "keys", N)
    W_a, U_a, V_a = _check_scorer(W_a, U_a, V_a, H_q, K_.shape[2])
    dE = as_float_array(dE, "dE", 2 if single else 3)
    T_x = K_.shape[1]
    check_shape(dE, "dE", (N, T_x) if single else (N, T_y, T_x), "(N, T_x)" if single else "(N, T_y, T_x)")
    dE = dE[:, None, :] if single else dE
    Z, _ = _additive(_mm(Q, W_a.T), _mm(K_, U_a.T), V_a)
    dQp, dKp, dV_a = _additive_backward(dE, Z, V_a)
    dQ = _mm(dQp, W_a)
    dW_a = dQp.reshape(-1, dQp.shape[-1]).T @ Q.reshape(-1, H_q)
    dU_a = dKp.reshape(-1, dKp.shape[-1]).T @ K_.reshape(-1, K_.shape[2])
    return (dQ[:, 0] if single else dQ), _mm(dKp, U_a), dW_a, dU_a, dV_a


def _check_dot(queries, keys, scaled):
    Q, single = _queries(queries)
    K_ = _keys(keys, "keys", Q.shape[0])
    if K_.shape[2] != Q.shape[2]:
        raise ValueError(
            f"keys has shape {K_.shape}, expected (N, T_x, H_a) with H_a = {Q.shape[2]} (the size of a query): "
            "a dot product needs queries and keys of one size"
        )
    if not isinstance(scaled, (bool, np.bool_)):
        raise ValueError(f"scaled must be True or False, got {scaled!r}")
    return Q, single, K_, (1.0 / np.sqrt(Q.shape[2]) if scaled else 1.0)


def dot_product_attention_scores(queries, keys, scaled=False):
    """Dot-product scores ``e_tj = q_t . k_j``, divided by ``sqrt(H_a)`` when ``scaled``.

    Inputs:
    - queries: shape (N, T_y, H_a), or (N, H_a) for one step.
    - keys: shape (N, T_x, H_a).
    - scaled: divide by sqrt(H_a) (Vaswani et al.'s scaled dot product).

    Returns:
    - E: scores, shape (N, T_y, T_x) (or (N, T_x) for one step).
    """
    Q, single, K_, s = _check_dot(queries, keys, scaled)
    E = np.einsum("nth,njh->ntj", Q, K_) * s
    return E[:, 0] if single else E


def dot_product_attention_scores_backward(dE, queries, keys, scaled=False):
    """Backward pass of ``dot_product_attention_scores``.

    ``dq_t = s sum_j dE_tj k_j`` and ``dk_j = s sum_t dE_tj q_t`` with s = 1 or 1/sqrt(H_a).

    Inputs:
    - dE: upstream gradients on the scores, shape (N, T_y, T_x) (or (N, T_x)).
    - queries, keys, scaled: as in ``dot_product_attention_scores``.

    Returns a tuple of:
    - dqueries: shape of ``queries``; dkeys: shape (N, T_x, H_a).
    """
    Q, single, K_, s = _check_dot(queries, keys, scaled)
    N, T_y, _ = Q.shape
    T_x = K_.shape[1]
    dE = as_float_array(dE, "dE", 2 if single else 3)
    check_shape(dE, "dE", (N, T_x) if single else (N, T_y, T_x), "(N, T_x)" if single else "(N, T_y, T_x)")
    dE = dE[:, None, :] if single else dE
    dQ = np.einsum("ntj,njh->nth", dE, K_) * s
    dK = np.einsum("ntj,nth->njh", dE, Q) * s
    return (dQ[:, 0] if single else dQ), dK


# ------------------------------------------------------------ weights, context


def attention_weights(E, mask=None):
    """Attention weights ``alpha_t = softmax_j(e_t)``: a softmax over the source axis (the last).

    Inputs:
    - E: scores, shape (N, T_y, T_x), or (N, T_x) for one step.
    - mask: optional boolean array (N, T_x), True at real source positions; padded positions
      (False) get weight exactly 0 and the others share the whole weight.

    Returns:
    - alpha: shape of E; every ``alpha[n, t, :]`` is non-negative and sums to 1 over j.
    """
    E = as_float_array(E, "E", (2, 3))
    mask = _mask(mask, E.shape[0], E.shape[-1])
    if mask is not None:
        keep = mask if E.ndim == 2 else mask[:, None, :]
        E = np.where(keep, E, -np.inf)
    Z = E - E.max(axis=-1, keepdims=True)  # softmax is unchanged by the shift; exp(-inf) = 0
    e = np.exp(Z)
    return e / e.sum(axis=-1, keepdims=True)


def attention_weights_backward(dalpha, alpha):
    """Backward pass of ``attention_weights``: ``de_tj = alpha_tj (dalpha_tj - sum_i alpha_ti dalpha_ti)``.

    The softmax's Jacobian is ``diag(alpha_t) - alpha_t alpha_t^T``, for each t separately;
    masked positions (alpha = 0) get a zero gradient.

    Inputs:
    - dalpha: upstream gradients on the weights, shape (N, T_y, T_x) (or (N, T_x)).
    - alpha: the weights ``attention_weights`` returned, same shape.

    Returns:
    - dE: gradient with respect to the scores, same shape.
    """
    alpha = as_float_array(alpha, "alpha", (2, 3))
    dalpha = as_float_array(dalpha, "dalpha", alpha.ndim)
    check_shape(dalpha, "dalpha", alpha.shape, "alpha's shape")
    return alpha * (dalpha - np.sum(alpha * dalpha, axis=-1, keepdims=True))


def _check_context(alpha, values):
    alpha = as_float_array(alpha, "alpha", (2, 3))
    single = alpha.ndim == 2
    A = alpha[:, None, :] if single else alpha
    values = as_float_array(values, "values", 3)
    N, _, T_x = A.shape
    if values.shape[:2] != (N, T_x):
        raise ValueError(
            f"values has shape {values.shape}, expected (N, T_x, H_v) with (N, T_x) = {(N, T_x)} "
            "(alpha's batch and source axes)"
        )
    return A, single, values


def attention_context(alpha, values):
    """Contexts ``m_t = sum_j alpha_tj v_j``, the weighted sum of the values.

    Inputs:
    - alpha: weights, shape (N, T_y, T_x), or (N, T_x) for one step.
    - values: shape (N, T_x, H_v).

    Returns:
    - Ms: contexts, shape (N, T_y, H_v) (or (N, H_v) for one step).
    """
    A, single, values = _check_context(alpha, values)
    Ms = np.einsum("ntj,njh->nth", A, values)
    return Ms[:, 0] if single else Ms


def attention_context_backward(dMs, alpha, values):
    """Backward pass of ``attention_context``: ``dalpha_tj = dm_t . v_j``, ``dv_j = sum_t alpha_tj dm_t``.

    Inputs:
    - dMs: upstream gradients on the contexts, shape (N, T_y, H_v) (or (N, H_v)).
    - alpha, values: as in ``attention_context``.

    Returns a tuple of:
    - dalpha: shape of ``alpha``; dvalues: shape (N, T_x, H_v).
    """
    A, single, values = _check_context(alpha, values)
    N, T_y, _ = A.shape
    H_v = values.shape[2]
    dMs = as_float_array(dMs, "dMs", 2 if single else 3)
    check_shape(dMs, "dMs", (N, H_v) if single else (N, T_y, H_v), "(N, H_v)" if single else "(N, T_y, H_v)")
    dM = dMs[:, None, :] if single else dMs
    dalpha = np.einsum("nth,njh->ntj", dM, values)
    dvalues = np.einsum("ntj,nth->njh", A, dM)
    return (dalpha[:, 0] if single else dalpha), dvalues


# ------------------------------------------------------------ decoder step


def _check_dec(dec, cell, H, H_e, keys=STEP_KEYS, K=None):
    if not isinstance(dec, dict):
        raise ValueError(f"dec must be a dict with keys {list(keys)}, got a {type(dec).__name__}")
    missing = [k for k in keys if k not in dec]
    if missing:
        raise ValueError(f"dec is missing {missing}, expected keys {list(keys)}")
    G = GATES[cell]
    lbl = "H" if G == 1 else f"{G}H"
    H_a = np.shape(dec["W_a"])[0]
    D_y = np.shape(dec["U"])[1] if K is None else K
    expected = {
        "U": ((G * H, D_y), f"({lbl}, K)"),
        "U_m": ((G * H, H_e), f"({lbl}, H_e) (H_e = size of an encoder state)"),
        "W": ((G * H, H), f"({lbl}, H)"),
        "b": ((G * H,), f"({lbl},)"),
        "W_a": ((H_a, H), "(H_a, H)"),
        "U_a": ((H_a, H_e), "(H_a, H_e)"),
        "V_a": ((1, H_a), "(1, H_a)"),
        "V": ((D_y, H), "(K, H)"),
        "c": ((D_y,), "(K,)"),
    }
    out = {}
    for k in keys:
        arr = as_float_array(dec[k], f"dec[{k!r}]", len(expected[k][0]))
        check_shape(arr, f"dec[{k!r}]", expected[k][0], expected[k][1] + f" for cell {cell!r}")
        out[k] = arr
    return out


def _step_fwd(x, h_prev, Hs_enc, Kp, d, UU, cell, mask):
    """One attention-decoder step on checked arrays; returns every intermediate."""
    Z, E = _additive((h_prev @ d["W_a"].T)[:, None, :], Kp, d["V_a"])
    E = E[:, 0]
    alpha = attention_weights(E, mask)
    m = np.einsum("nj,njh->nh", alpha, Hs_enc)
    xm = np.concatenate([x, m], axis=1)
    h_next = step_forward(cell, xm, h_prev, UU, d["W"], d["b"])
    return {"Z": Z, "alpha": alpha, "m": m, "xm": xm, "h_next": h_next}


def _step_bwd(dh_next, x, h_prev, Hs_enc, d, UU, cell, s):
    """Backward of ``_step_fwd`` up to the keys: returns dx, dh_prev, dvalues, dKp, grads.

    ``dKp`` (N, T_x, H_a) is the gradient on the projected keys ``U_a h^e_j``; it is linear in
    what follows, so a loop over steps sums it and multiplies by ``U_a`` once (``_keys_backward``).
    """
    D_y = x.shape[1]
    dxm, dh_prev, dUU, dW, db = step_backward(cell, dh_next, s["xm"], h_prev, s["h_next"], UU, d["W"], d["b"])
    dx, dm = dxm[:, :D_y], dxm[:, D_y:]
    alpha = s["alpha"]
    # m = sum_j alpha_j h^e_j: the encoder states get alpha_j dm as values ...
    dvalues = alpha[:, :, None] * dm[:, None, :]
    dalpha = np.einsum("nh,njh->nj", dm, Hs_enc)
    dE = attention_weights_backward(dalpha, alpha)
    dQp, dKp, dV_a = _additive_backward(dE[:, None, :], s["Z"], d["V_a"])
    dQp = dQp[:, 0]
    dh_prev = dh_prev + dQp @ d["W_a"]  # ... the query h^d_{t-1} its share through the scores
    grads = {"U": dUU[:, :D_y], "U_m": dUU[:, D_y:], "W": dW, "b": db, "W_a": dQp.T @ h_prev, "V_a": dV_a}
    return dx, dh_prev, dvalues, dKp, grads


def _keys_backward(dKp, Hs_enc, U_a):
    """From the gradient on the projected keys, (N, T_x, H_a): the keys' share of dHs_enc and dU_a."""
    return _mm(dKp, U_a), dKp.reshape(-1, dKp.shape[-1]).T @ Hs_enc.reshape(-1, Hs_enc.shape[-1])


def _check_step_args(x, h_prev, Hs_enc, dec, cell, mask):
    cell = check_cell(cell, MODEL_CELLS)
    x = as_float_array(x, "x", 2)
    N = x.shape[0]
    h_prev = as_float_array(h_prev, "h_prev", 2)
    if h_prev.shape[0] != N:
        raise ValueError(f"h_prev has shape {h_prev.shape}, expected (N, H) with N = {N} (the batch of x)")
    Hs_enc = _keys(Hs_enc, "Hs_enc", N)
    d = _check_dec(dec, cell, h_prev.shape[1], Hs_enc.shape[2], K=x.shape[1])
    mask = _mask(mask, N, Hs_enc.shape[1])
    UU = np.concatenate([d["U"], d["U_m"]], axis=1)
    Kp = _mm(Hs_enc, d["U_a"].T)
    return x, h_prev, Hs_enc, d, cell, mask, UU, Kp


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    """One step of the attention decoder: attend with ``q_t = h^d_{t-1}``, then update the state.

    ``e_tj = V_a tanh(W_a h^d_{t-1} + U_a h^e_j)``, ``alpha_t = softmax_j(e_t)``,
    ``m_t = sum_j alpha_tj h^e_j``, and ``h^d_t = cell([x_t; m_t], h^d_{t-1})`` with input
    weights ``[U U_m]``, i.e. ``a^d_t = b + W h^d_{t-1} + U x_t + U_m m_t`` for ``"rnn"``.

    Inputs:
    - x: this step's decoder input (usually onehot(y_{t-1})), shape (N, K).
    - h_prev: previous decoder state h^d_{t-1}, shape (N, H).
    - Hs_enc: encoder states (keys and values), shape (N, T_x, H_e).
    - dec: dict with ``U`` (G*H, K), ``U_m`` (G*H, H_e), ``W`` (G*H, H), ``b`` (G*H,),
      ``W_a`` (H_a, H), ``U_a`` (H_a, H_e), ``V_a`` (1, H_a); G = 1 ("rnn") or 3 ("gru").
      Other keys (``V``, ``c``) are ignored.
    - cell: ``"rnn"`` or ``"gru"``.
    - mask: optional boolean (N, T_x), True at real source positions.

    Returns a tuple of:
    - h_next: the new decoder state h^d_t, shape (N, H).
    - m: the context m_t, shape (N, H_e).
    - alpha: the attention weights alpha_t, shape (N, T_x).
    """
    x, h_prev, Hs_enc, d, cell, mask, UU, Kp = _check_step_args(x, h_prev, Hs_enc, dec, cell, mask)
    s = _step_fwd(x, h_prev, Hs_enc, Kp, d, UU, cell, mask)
    return s["h_next"], s["m"], s["alpha"]


def attention_decoder_step_backward(dh_next, x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    """Backward pass of ``attention_decoder_step_forward`` (its forward is recomputed).

    The gradient reaches h^d_{t-1} twice (through the recurrence and as the query) and every
    encoder state twice (as a value, weighted by alpha_tj, and as a key, through the scores).

    Inputs:
    - dh_next: upstream gradient on h_next, shape (N, H).
    - x, h_prev, Hs_enc, dec, cell, mask: as in ``attention_decoder_step_forward``.

    Returns a tuple of:
    - dx: shape (N, K); dh_prev: shape (N, H); dHs_enc: shape (N, T_x, H_e);
    - ddec: dict with ``U``, ``U_m``, ``W``, ``b``, ``W_a``, ``U_a``, ``V_a``, the gradients of
      those parameters.
    """
    x, h_prev, Hs_enc, d, cell, mask, UU, Kp = _check_step_args(x, h_prev, Hs_enc, dec, cell, mask)
    dh_next = as_float_array(dh_next, "dh_next", 2)
    check_shape(dh_next, "dh_next", h_prev.shape, "(N, H)")
    s = _step_fwd(x, h_prev, Hs_enc, Kp, d, UU, cell, mask)
    dx, dh_prev, dvalues, dKp, grads = _step_bwd(dh_next, x, h_prev, Hs_enc, d, UU, cell, s)
    dkeys, grads["U_a"] = _keys_backward(dKp, Hs_enc, d["U_a"])
    return dx, dh_prev, dvalues + dkeys, grads


# ------------------------------------------------------------ full model


def init_attention_seq2seq_params(D, H, K, H_a, cell="rnn", rng=None):
    """Random parameters of an attention encoder-decoder with a bidirectional encoder.

    Inputs:
    - D: source input size; H: hidden size of each encoder direction and of the decoder;
      K: target vocabulary size; H_a: attention size (positive ints).
    - cell: ``"rnn"`` or ``"gru"``.
    - rng: a ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns a tuple of:
    - enc: ``{"fwd": {U (G*H, D), W (G*H, H), b (G*H,)}, "bwd": {...}}``.
    - dec: ``U`` (G*H, K), ``U_m`` (G*H, 2H), ``W`` (G*H, H), ``b`` (G*H,), ``W_a`` (H_a, H),
      ``U_a`` (H_a, 2H), ``V_a`` (1, H_a), ``V`` (K, H), ``c`` (K,).
    """
    for name, value in (("D", D), ("H", H), ("K", K), ("H_a", H_a)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    cell = check_cell(cell, MODEL_CELLS)
    rng = check_rng(rng)
    G = GATES[cell]
    enc = {"fwd": _init_direction(rng, G, D, H), "bwd": _init_direction(rng, G, D, H)}
    dec = _init_direction(rng, G, K, H)
    dec["U_m"] = rng.normal(0.0, 1 / np.sqrt(2 * H), size=(G * H, 2 * H))
    dec["W_a"] = rng.normal(0.0, 1 / np.sqrt(H), size=(H_a, H))
    dec["U_a"] = rng.normal(0.0, 1 / np.sqrt(2 * H), size=(H_a, 2 * H))
    dec["V_a"] = rng.normal(0.0, 1 / np.sqrt(H_a), size=(1, H_a))
    dec["V"] = rng.normal(0.0, 1 / np.sqrt(H), size=(K, H))
    dec["c"] = np.zeros(K)
    return enc, dec


def _model_setup(X, enc, dec, cell):
    cell = check_cell(cell, MODEL_CELLS)
    Hs_enc, _ = seq2seq_encoder_forward(X, enc, cell)
    if not isinstance(dec, dict) or not {"W", "V"} <= set(dec):
        got = sorted(dec) if isinstance(dec, dict) else type(dec).__name__
        raise ValueError(f"dec must be a dict with keys {list(DEC_KEYS)}, got {got}")
    d = _check_dec(dec, cell, np.shape(dec["W"])[-1], Hs_enc.shape[2], keys=DEC_KEYS, K=np.shape(dec["V"])[0])
    UU = np.concatenate([d["U"], d["U_m"]], axis=1)
    Kp = _mm(Hs_enc, d["U_a"].T)
    return cell, Hs_enc, d, UU, Kp


def _model_forward(X, Y_in, enc, dec, cell):
    cell, Hs_enc, d, UU, Kp = _model_setup(X, enc, dec, cell)
    N = Hs_enc.shape[0]
    K = d["V"].shape[0]
    Y_in = check_tokens(Y_in, "Y_in", K, N)
    Xd = one_hot(Y_in, K)
    h = np.zeros((N, d["W"].shape[1]), dtype=Hs_enc.dtype)
    steps, Hs_dec = [], []
    for t in range(Y_in.shape[1]):
        s = _step_fwd(Xd[:, t], h, Hs_enc, Kp, d, UU, cell, None)
        steps.append(s)
        h = s["h_next"]
        Hs_dec.append(h)
    Hs_dec = np.stack(Hs_dec, axis=1)
    O = output_forward(Hs_dec, d["V"], d["c"])
    alpha = np.stack([s["alpha"] for s in steps], axis=1)
    return {
        "cell": cell, "Hs_enc": Hs_enc, "d": d, "UU": UU, "Xd": Xd,
        "steps": steps, "Hs_dec": Hs_dec, "O": O, "alpha": alpha,
    }


def _model_backward(dO, X, enc, fw):
    cell, d, Hs_enc, steps = fw["cell"], fw["d"], fw["Hs_enc"], fw["steps"]
    dO = as_float_array(dO, "dO", 3)
    check_shape(dO, "dO", fw["O"].shape, "(N, T_y, K)")
    dHs_dec, dV, dc = output_backward(dO, fw["Hs_dec"], d["V"])
    N, T_y, H = dHs_dec.shape
    ddec = {k: np.zeros_like(d[k]) for k in STEP_KEYS}
    dHs_enc = np.zeros_like(Hs_enc)
    dKp = np.zeros(Hs_enc.shape[:2] + (d["U_a"].shape[0],), dtype=Hs_enc.dtype)
    dh = np.zeros((N, H), dtype=dHs_dec.dtype)
    h0 = np.zeros((N, H), dtype=Hs_enc.dtype)
    for t in range(T_y - 1, -1, -1):
        h_prev = steps[t - 1]["h_next"] if t > 0 else h0
        _, dh, dvalues, dKp_t, g = _step_bwd(
            dHs_dec[:, t] + dh, fw["Xd"][:, t], h_prev, Hs_enc, d, fw["UU"], cell, steps[t]
        )
        dHs_enc += dvalues
        dKp += dKp_t
        for k in g:
            ddec[k] += g[k]
    dkeys, ddec["U_a"] = _keys_backward(dKp, Hs_enc, d["U_a"])
    dHs_enc += dkeys
    ddec["V"], ddec["c"] = dV, dc
    dX, denc = seq2seq_encoder_backward(dHs_enc, np.zeros((N, Hs_enc.shape[2])), X, Hs_enc, enc, cell)
    return dX, denc, ddec


def attention_seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    """Attention encoder-decoder with teacher forcing: logits and alignments of every step.

    The encoder gives ``Hs_enc`` (``seq2seq_encoder_forward``); from ``h^d_0 = 0`` each target
    step runs ``attention_decoder_step_forward`` on ``onehot(Y_in[:, t])``, then
    ``o_t = c + V h^d_t``.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - Y_in: decoder input tokens, shape (N, T_y), ``Y_in[:, 0] = bos``.
    - enc: encoder parameters (bidirectional ``{"fwd", "bwd"}`` or unidirectional).
    - dec: the step's parameters (see ``attention_decoder_step_forward``) and ``V`` (K, H),
      ``c`` (K,).
    - cell: ``"rnn"`` or ``"gru"``.

    Returns a tuple of:
    - O: logits, shape (N, T_y, K).
    - alpha: attention weights, shape (N, T_y, T_x).
    """
    fw = _model_forward(X, Y_in, enc, dec, cell)
    return fw["O"], fw["alpha"]


def attention_seq2seq_backward(dO, X, Y_in, enc, dec, cell="rnn"):
    """Backward pass of ``attention_seq2seq_forward`` (the forward pass is recomputed).

    Inputs:
    - dO: upstream gradients on the logits, shape (N, T_y, K).
    - X, Y_in, enc, dec, cell: as in ``attention_seq2seq_forward``.

    Returns a tuple of:
    - dX: shape (N, T_x, D);
    - denc: dict shaped like ``enc``; ddec: dict with every key of ``dec`` listed above.
    """
    fw = _model_forward(X, Y_in, enc, dec, cell)
    return _model_backward(dO, X, enc, fw)


def attention_seq2seq_loss_and_grads(X, Y_in, Y, enc, dec, cell="rnn"):
    """Teacher-forced loss (``sequence_cross_entropy``) of the attention model and its gradients.

    Inputs:
    - X, Y_in, enc, dec, cell: as in ``attention_seq2seq_forward``.
    - Y: targets, shape (N, T_y), ints in [0, K).

    Returns a tuple of:
    - loss: a Python float; denc: dict shaped like ``enc``; ddec: dict with the keys of ``dec``.
    """
    fw = _model_forward(X, Y_in, enc, dec, cell)
    Y = check_tokens(Y, "Y", fw["O"].shape[2], fw["O"].shape[0])
    if Y.shape != fw["O"].shape[:2]:
        raise ValueError(f"Y has shape {Y.shape}, expected (N, T_y) = {fw['O'].shape[:2]} (the shape of Y_in)")
    loss = sequence_cross_entropy(fw["O"], Y)
    _, denc, ddec = _model_backward(sequence_cross_entropy_backward(fw["O"], Y), X, enc, fw)
    return loss, denc, ddec


def attention_greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    """Greedy decoding with attention, returning the alignments of every emitted token.

    As ``rnncourse.greedy_decode``, with ``attention_decoder_step_forward`` as the step and
    ``h^d_0 = 0``.

    Inputs:
    - X: source inputs, shape (N, T_x, D).
    - enc, dec, cell: as in ``attention_seq2seq_forward``.
    - bos, eos: token indices in [0, K); max_len: the most tokens to emit, a positive int.
    - pad: the token written after a sequence's eos (default: eos itself).

    Returns a tuple of:
    - tokens: int array, shape (N, T) with T <= max_len.
    - alpha: the attention weights of each emitted step, shape (N, T, T_x).
    """
    cell, Hs_enc, d, UU, Kp = _model_setup(X, enc, dec, cell)
    K = d["V"].shape[0]
    max_len = check_decode_args(bos, eos, max_len, K, pad)
    pad = eos if pad is None else pad
    N = Hs_enc.shape[0]
    h = np.zeros((N, d["W"].shape[1]), dtype=Hs_enc.dtype)
    y = np.full(N, bos, dtype=np.int64)
    done = np.zeros(N, dtype=bool)
    eye = np.eye(K, dtype=Hs_enc.dtype)
    tokens, alphas = [], []
    for _ in range(max_len):
        s = _step_fwd(eye[y], h, Hs_enc, Kp, d, UU, cell, None)
        h = s["h_next"]
        y = np.argmax(h @ d["V"].T + d["c"], axis=1)
        tokens.append(np.where(done, pad, y))
        alphas.append(s["alpha"])
        done |= y == eos
        if done.all():
            break
    return np.stack(tokens, axis=1), np.stack(alphas, axis=1)



def reversal_alignment(Hs_enc, Y_in, dec, cell="rnn"):
    """Teacher-forced attention weights of a decoder, and how closely they follow a reversal.

    From ``h^d_0 = 0``, step t runs ``attention_decoder_step_forward(onehot(Y_in[:, t]),
    h^d_{t-1}, Hs_enc, dec, cell)`` (one-hot over K, the number of columns of ``dec["U"]``)
    and keeps its weights ``alpha_t``. To reverse a source of T_x tokens, target step t
    (0-based) writes source token T_x - 1 - t, so that is where its attention should be.

    Inputs:
    - Hs_enc: encoder states (keys and values), shape (N, T_x, H_e).
    - Y_in: decoder input tokens, shape (N, T_y) with T_y >= T_x, ints in [0, K).
    - dec: the decoder step's parameters (see ``attention_decoder_step_forward``).
    - cell: ``"rnn"`` or ``"gru"``.

    Returns a tuple of:
    - alpha: the attention weights of every step, shape (N, T_y, T_x).
    - mass: shape (T_x,); ``mass[t]`` is the weight that step t puts on source position
      T_x - 1 - t, averaged over the batch.
    - hit_rate: the fraction of the N*T_x pairs (n, t < T_x) whose largest weight is on
      position T_x - 1 - t, a float.
    """
    Hs_enc = as_float_array(Hs_enc, "Hs_enc", 3)
    if not isinstance(dec, dict) or "U" not in dec:
        raise ValueError(f"dec must be a dict with keys {list(STEP_KEYS)}")
    K = np.shape(dec["U"])[1]
    N, T_x, _ = Hs_enc.shape
    Y_in = check_tokens(Y_in, "Y_in", K, N)
    T_y = Y_in.shape[1]
    if T_y < T_x:
        raise ValueError(f"Y_in has shape {Y_in.shape}, expected T_y >= T_x = {T_x} steps (one per source token)")
    Xd = one_hot(Y_in, K).astype(Hs_enc.dtype)
    h = np.zeros((N, np.shape(dec["W"])[1]), dtype=Hs_enc.dtype)
    alphas = []
    for t in range(T_y):
        h, _, alpha_t = attention_decoder_step_forward(Xd[:, t], h, Hs_enc, dec, cell)
        alphas.append(alpha_t)
    alpha = np.stack(alphas, axis=1)
    steps = np.arange(T_x)
    on_target = alpha[:, steps, T_x - 1 - steps]  # (N, T_x)
    hits = alpha[:, :T_x].argmax(axis=2) == T_x - 1 - steps
    return alpha, on_target.mean(axis=0), float(hits.mean())
