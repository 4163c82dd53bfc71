"""Dot-product attention end to end: the contexts of queries over keys and values, and back.

``attention`` has the stages one by one (scores, weights, contexts, and the backward pass of
each); here they are chained into one forward pass and its backward pass, with the mask and the
optional scale by ``1 / sqrt(H_a)``. This is the form in which chapter 7's assignment asks for
dot-product attention: the chapter derives the backward passes of the weights and the contexts
but not that of the dot-product scores, so chaining the three is left to the student.
"""

from __future__ import annotations

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
