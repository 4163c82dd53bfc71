"""Dot-product attention end to end: the contexts of queries over keys and values, and back.

``attention`` has the stages one by one (scores, weights, contexts, and the backward pass of
each); here they are chained into one forward pass and its backward pass, with the mask and the
optional scale by ``1 / sqrt(H_a)``. Chapter 7's assignment asks for the forward pass in this
form, and for the backward pass of ``projected_attention_forward``: dot-product attention whose
queries, keys and values are learned linear maps of the decoder and encoder states (chapter 7,
*From attention to self-attention and the transformer*), whose backward pass the chapter does not
derive.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape
from .attention import (
    attention_context,
    attention_context_backward,
    attention_weights,
    attention_weights_backward,
    dot_product_attention_scores,
    dot_product_attention_scores_backward,
)


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    """Dot-product attention: the contexts of the queries over the keys and values, and the weights.

    ``e_tj = q_t . k_j`` (divided by ``sqrt(H_a)`` when ``scaled``), ``alpha_t = softmax_j(e_t)``
    over the source positions that the mask keeps, and ``m_t = sum_j alpha_tj v_j``.

    Inputs:
    - queries: shape (N, T_y, H_a), or (N, H_a) for one step.
    - keys: shape (N, T_x, H_a).
    - values: shape (N, T_x, H_v).
    - scaled: divide the scores by sqrt(H_a) (Vaswani et al.'s scaled dot product).
    - mask: optional boolean array (N, T_x), True at real source positions; padded positions
      (False) get weight exactly 0.

    Returns a tuple of:
    - Ms: contexts, shape (N, T_y, H_v) (or (N, H_v) for one step).
    - alpha: weights, shape (N, T_y, T_x) (or (N, T_x) for one step).
    """
    alpha = attention_weights(dot_product_attention_scores(queries, keys, scaled), mask)
    return attention_context(alpha, values), alpha


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    """Backward pass of ``dot_product_attention``: the gradients of a loss on the contexts.

    Inputs:
    - dMs: upstream gradients on the contexts, shape (N, T_y, H_v) (or (N, H_v) for one step).
    - queries, keys, values, scaled, mask: as in ``dot_product_attention``.

    Returns a tuple of:
    - dqueries: shape of ``queries``.
    - dkeys: shape (N, T_x, H_a).
    - dvalues: shape (N, T_x, H_v).
    """
    _, alpha = dot_product_attention(queries, keys, values, scaled, mask)
    dalpha, dvalues = attention_context_backward(dMs, alpha, values)
    dE = attention_weights_backward(dalpha, alpha)
    dqueries, dkeys = dot_product_attention_scores_backward(dE, queries, keys, scaled)
    return dqueries, dkeys, dvalues


def _check_projected(Hs_dec, Hs_enc, W_q, U_k, U_v):
    Hs_dec = as_float_array(Hs_dec, "Hs_dec", 3)
    Hs_enc = as_float_array(Hs_enc, "Hs_enc", 3)
    if Hs_enc.shape[0] != Hs_dec.shape[0]:
        raise ValueError(f"Hs_enc has shape {Hs_enc.shape}, expected (N, T_x, H_e) with "
                         f"N = {Hs_dec.shape[0]} (the batch of Hs_dec)")
    H, H_e = Hs_dec.shape[2], Hs_enc.shape[2]
    W_q = as_float_array(W_q, "W_q", 2)
    if W_q.shape[1] != H:
        raise ValueError(f"W_q has shape {W_q.shape}, expected (H_a, H) with H = {H} "
                         "(the size of a decoder state)")
    H_a = W_q.shape[0]
    U_k = as_float_array(U_k, "U_k", 2)
    check_shape(U_k, "U_k", (H_a, H_e), "(H_a, H_e)")
    U_v = as_float_array(U_v, "U_v", 2)
    if U_v.shape[1] != H_e:
        raise ValueError(f"U_v has shape {U_v.shape}, expected (H_v, H_e) with H_e = {H_e} "
                         "(the size of an encoder state)")
    return Hs_dec, Hs_enc, W_q, U_k, U_v


def projected_attention_forward(Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    """Dot-product attention with learned projections of the decoder and encoder states.

    ``q_t = W_q h^d_t``, ``k_j = U_k h^e_j`` and ``v_j = U_v h^e_j``: the keys and the values are
    two maps of the same encoder states. Then, as in ``dot_product_attention``,
    ``e_tj = q_t . k_j`` (divided by ``sqrt(H_a)`` when ``scaled``), ``alpha_t = softmax_j(e_t)``
    over the source positions that the mask keeps, and ``m_t = sum_j alpha_tj v_j``.

    Inputs:
    - Hs_dec: the decoder states that ask the queries, shape (N, T_y, H); ``Hs_dec[:, t]`` gives
      ``q_t`` (in chapter 7's decoder, which attends before it updates, that is h^d_{t-1}).
    - Hs_enc: encoder states, shape (N, T_x, H_e).
    - W_q: query weights, shape (H_a, H).
    - U_k: key weights, shape (H_a, H_e).
    - U_v: value weights, shape (H_v, H_e).
    - scaled: divide the scores by sqrt(H_a) (Vaswani et al.'s scaled dot product).
    - mask: optional boolean array (N, T_x), True at real source positions; padded positions
      (False) get weight exactly 0.

    Returns a tuple of:
    - Ms: contexts, shape (N, T_y, H_v).
    - alpha: weights, shape (N, T_y, T_x).
    """
    Hs_dec, Hs_enc, W_q, U_k, U_v = _check_projected(Hs_dec, Hs_enc, W_q, U_k, U_v)
    return dot_product_attention(Hs_dec @ W_q.T, Hs_enc @ U_k.T, Hs_enc @ U_v.T, scaled, mask)


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    """Backward pass of attention with learned projections: the gradients of a loss on the contexts.

    The forward pass (``projected_attention_forward`` in ``rnncourse``) projects the states,
    ``q_t = W_q Hs_dec[n, t]``, ``k_j = U_k Hs_enc[n, j]`` and ``v_j = U_v Hs_enc[n, j]``, and
    attends with them: ``e_tj = q_t . k_j`` (divided by ``sqrt(H_a)`` when ``scaled``),
    ``alpha_t = softmax_j(e_t)`` over the source positions that the mask keeps, and
    ``m_t = sum_j alpha_tj v_j``. Every encoder state is both a key and a value.

    Inputs:
    - dMs: upstream gradients on the contexts, shape (N, T_y, H_v).
    - Hs_dec: the decoder states that ask the queries, shape (N, T_y, H).
    - Hs_enc: encoder states, shape (N, T_x, H_e).
    - W_q: query weights, shape (H_a, H).
    - U_k: key weights, shape (H_a, H_e).
    - U_v: value weights, shape (H_v, H_e).
    - scaled: divide the scores by sqrt(H_a) (Vaswani et al.'s scaled dot product).
    - mask: optional boolean array (N, T_x), True at real source positions; padded positions
      (False) get weight exactly 0.

    Returns a tuple of:
    - dW_q: shape (H_a, H).
    - dU_k: shape (H_a, H_e).
    - dU_v: shape (H_v, H_e).
    - dHs_dec: shape (N, T_y, H).
    - dHs_enc: shape (N, T_x, H_e).
    """
    Hs_dec, Hs_enc, W_q, U_k, U_v = _check_projected(Hs_dec, Hs_enc, W_q, U_k, U_v)
    dMs = as_float_array(dMs, "dMs", 3)
    check_shape(dMs, "dMs", Hs_dec.shape[:2] + (U_v.shape[0],), "(N, T_y, H_v)")
    queries, keys, values = Hs_dec @ W_q.T, Hs_enc @ U_k.T, Hs_enc @ U_v.T
    dqueries, dkeys, dvalues = dot_product_attention_backward(dMs, queries, keys, values, scaled, mask)
    # Each weight matrix is shared by every example and position: its gradient sums over both.
    dW_q = np.einsum("nta,nth->ah", dqueries, Hs_dec)
    dU_k = np.einsum("nja,nje->ae", dkeys, Hs_enc)
    dU_v = np.einsum("njv,nje->ve", dvalues, Hs_enc)
    dHs_dec = dqueries @ W_q
    dHs_enc = dkeys @ U_k + dvalues @ U_v  # the key path and the value path meet at h^e_j
    return dW_q, dU_k, dU_v, dHs_dec, dHs_enc
