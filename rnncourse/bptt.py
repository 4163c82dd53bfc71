"""Backpropagation through time (BPTT) for the vanilla RNN of ``rnncourse.rnn``.

The forward functions return arrays only, no caches; each backward function
takes the arrays it needs explicitly. The book's notation is in column vectors,
with ``a_t = b + W h_{t-1} + U x_t``, ``h_t = tanh(a_t)`` and ``o_t = c + V h_t``;
the gradients are derived in chapter 2 and its assignment. In code the batch is
on the rows, so ``W^T g`` for a batch of column vectors ``g`` becomes ``g @ W``,
and a shared parameter's gradient sums over the batch as well as over time.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape

__all__ = ["rnn_step_backward", "rnn_backward", "output_backward", "stacked_rnn_backward"]


def _check_step_backward(dh, x, h_prev, h, U, W, names=("dh", "x", "h_prev", "h")):
    dh = as_float_array(dh, names[0], 2)
    x = as_float_array(x, names[1], 2)
    h_prev = as_float_array(h_prev, names[2], 2)
    h = as_float_array(h, names[3], 2)
    U = as_float_array(U, "U", 2)
    W = as_float_array(W, "W", 2)
    N, D = x.shape
    H = W.shape[0]
    check_shape(W, "W", (H, H), "(H, H)")
    check_shape(U, "U", (H, D), "(H, D)")
    check_shape(h_prev, names[2], (N, H), "(N, H)")
    check_shape(h, names[3], (N, H), "(N, H)")
    check_shape(dh, names[0], (N, H), "(N, H)")
    return dh, x, h_prev, h, U, W


def rnn_step_backward(dh, x, h_prev, h, U, W):
    """Backward pass of one RNN step ``h = tanh(b + W h_prev + U x)``.

    ``dh`` is the gradient of a scalar loss L with respect to this step's output
    ``h``; the function returns the gradients of L with respect to the step's
    inputs and parameters. The output ``h`` of the forward step is passed in
    instead of the bias ``b``: the derivative of tanh can be written with ``h``
    alone, so ``b`` is not needed.

    Inputs:
    - dh: upstream gradient dL/dh, shape (N, H).
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - h: the hidden state that rnn_step_forward returned for this step, shape (N, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).

    Returns a tuple of:
    - dx: gradient with respect to x, shape (N, D).
    - dh_prev: gradient with respect to h_prev, shape (N, H).
    - dU: gradient with respect to U, shape (H, D), summed over the batch.
    - dW: gradient with respect to W, shape (H, H), summed over the batch.
    - db: gradient with respect to b, shape (H,), summed over the batch.
    """
    dh, x, h_prev, h, U, W = _check_step_backward(dh, x, h_prev, h, U, W)
    da = dh * (1.0 - h * h)  # through tanh: dL/da = (1 - h^2) * dL/dh
    return da @ U, da @ W, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def rnn_backward(dHs, X, h0, Hs, U, W):
    """Backpropagation through time for ``rnn_forward``: gradients over a whole sequence.

    ``dHs[:, t]`` is the gradient of the loss with respect to the hidden state
    ``Hs[:, t]`` through the outputs only (what ``output_backward`` returns). The
    gradients returned are those of the same loss through every path, the later
    hidden states included.

    Inputs:
    - dHs: upstream gradients on every hidden state from the outputs, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - Hs: hidden states returned by rnn_forward, shape (N, T, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T, D).
    - dh0: gradient with respect to h0, shape (N, H).
    - dU: gradient with respect to U, shape (H, D).
    - dW: gradient with respect to W, shape (H, H).
    - db: gradient with respect to b, shape (H,).
    """
    X = as_float_array(X, "X", 3)
    dHs = as_float_array(dHs, "dHs", 3)
    Hs = as_float_array(Hs, "Hs", 3)
    if X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    N, T, _ = X.shape
    H = as_float_array(W, "W", 2).shape[0]
    check_shape(Hs, "Hs", (N, T, H), "(N, T, H)")
    check_shape(dHs, "dHs", (N, T, H), "(N, T, H)")
    _check_step_backward(dHs[:, 0], X[:, 0], h0, Hs[:, 0], U, W, names=("dHs[:, 0]", "X[:, 0]", "h0", "Hs[:, 0]"))
    dtype = np.result_type(dHs, X, h0, Hs, U, W)
    dX = np.empty(X.shape, dtype=dtype)
    dU = np.zeros(np.shape(U), dtype=dtype)
    dW = np.zeros(np.shape(W), dtype=dtype)
    db = np.zeros(H, dtype=dtype)
    dh_next = np.zeros((N, H), dtype=dtype)  # dL/dh_t through h_{t+1}; nothing after the last step
    for t in range(T - 1, -1, -1):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        dx, dh_next, dU_t, dW_t, db_t = rnn_step_backward(dHs[:, t] + dh_next, X[:, t], h_prev, Hs[:, t], U, W)
        dX[:, t] = dx
        dU += dU_t
        dW += dW_t
        db += db_t
    return dX, dh_next, dU, dW, db


def output_backward(dO, Hs, V):
    """Backward pass of the output layer ``o_t = c + V h_t`` applied at every step.

    Inputs:
    - dO: upstream gradients on the logits, shape (N, T, K) (or (N, K) for a single step).
    - Hs: hidden states, shape (N, T, H) (or (N, H)).
    - V: hidden-to-output weights, shape (K, H).

    Returns a tuple of:
    - dHs: gradient with respect to Hs, shape (N, T, H) (or (N, H)).
    - dV: gradient with respect to V, shape (K, H), summed over the batch and time.
    - dc: gradient with respect to c, shape (K,), summed over the batch and time.
    """
    dO = as_float_array(dO, "dO", (2, 3))
    Hs = as_float_array(Hs, "Hs", (2, 3))
    V = as_float_array(V, "V", 2)
    K, H = V.shape
    if Hs.shape[-1] != H:
        raise ValueError(
            f"V has shape {V.shape}, expected (K, H) with H = {Hs.shape[-1]} (the last dimension "
            f"of the hidden states Hs, shape {Hs.shape}); is V transposed?"
        )
    check_shape(dO, "dO", Hs.shape[:-1] + (K,), "(N, T, K)" if Hs.ndim == 3 else "(N, K)")
    dO2 = dO.reshape(-1, K)  # every (example, step) is one row
    return dO @ V, dO2.T @ Hs.reshape(-1, H), dO2.sum(axis=0)


def stacked_rnn_backward(dHs, X, h0s, Hs_list, layers):
    """Backpropagation through time for ``stacked_rnn_forward``.

    The loss reaches the network through the top layer's states only (the
    outputs read the last layer). Layer l's input gradient is the upstream
    gradient of layer l-1's states, so the layers are processed from the top
    down, each with ``rnn_backward``.

    Inputs:
    - dHs: upstream gradients on the top layer's states, shape (N, T, H_L).
    - X: input sequence, shape (N, T, D).
    - h0s: list of L initial states; ``h0s[l]`` has shape (N, H_l).
    - Hs_list: list of L arrays returned by stacked_rnn_forward; ``Hs_list[l]`` has shape (N, T, H_l).
    - layers: list of L dicts with keys ``U`` (H_l, H_{l-1}), ``W`` (H_l, H_l) and ``b`` (H_l,).

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T, D).
    - dh0s: list of L arrays; ``dh0s[l]`` has shape (N, H_l).
    - grads: list of L dicts with keys ``U``, ``W``, ``b``, the gradients of each layer's parameters.
    """
    L = len(layers)
    if L == 0:
        raise ValueError("layers is empty, expected at least one layer")
    if len(h0s) != L or len(Hs_list) != L:
        raise ValueError(
            f"h0s has {len(h0s)} and Hs_list has {len(Hs_list)} entries but layers has {L} layers; "
            "expected one initial state and one array of states per layer"
        )
    dh0s, grads = [None] * L, [None] * L
    upstream = dHs
    for l in range(L - 1, -1, -1):
        layer = layers[l]
        missing = {"U", "W"} - set(layer)
        if missing:
            raise ValueError(f"layers[{l}] is missing {sorted(missing)}, expected keys U, W, b")
        inputs = X if l == 0 else Hs_list[l - 1]
        try:
            upstream, dh0s[l], dU, dW, db = rnn_backward(upstream, inputs, h0s[l], Hs_list[l], layer["U"], layer["W"])
        except ValueError as err:
            raise ValueError(f"layer {l}: {err}") from None
        grads[l] = {"U": dU, "W": dW, "b": db}
    return upstream, dh0s, grads
