"""Leaky units: recurrent units with a time constant, and their backward pass.

A leaky unit mixes its previous state with the new tanh activation. With the
book's ``a_t = b + W h_{t-1} + U x_t`` and a time constant ``gamma_i >= 1``
per hidden unit,

    h_{t,i} = (1 - 1/gamma_i) h_{t-1,i} + (1/gamma_i) tanh(a_{t,i}).

``gamma = 1`` is the vanilla RNN of ``rnncourse.rnn``; a large ``gamma`` makes
the unit change slowly and remember for about ``gamma`` steps. Writing
``h_tilde_t = tanh(a_t)`` (the candidate) and ``kappa = 1 - 1/gamma`` (the fraction
kept per step), the backward recursion is

    dL/da_t     = (1 - h_tilde_t^2) * dL/dh_t / gamma
    dL/dh_{t-1} = kappa * dL/dh_t + W^T dL/da_t   (+ the output's gradient at t-1)

and the parameter gradients are those of the vanilla RNN with this ``dL/da_t``.

Skip connections through time (chapter 4) are the other way to shorten the paths of the gradient:
``skip_rnn_forward`` adds a term from the state d steps back,
``h_t = tanh(b + W h_{t-1} + W_d h_{t-d} + U x_t)``, and ``skip_rnn_state_jacobians`` gives
``dh_t/dh_0`` by the forward-mode recursion ``J_t = diag(1 - h_t^2) (W J_{t-1} + W_d J_{t-d})``.
As in ``rnncourse.bptt``, the forward pass returns arrays only and the backward
pass takes the arrays it needs; ``h_tilde_t`` is recovered from the states as
``h_tilde_t = gamma (h_t - kappa h_{t-1})``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array, check_shape
from .rnn import input_projection

__all__ = ["leaky_rnn_forward", "leaky_rnn_backward", "skip_rnn_forward", "skip_rnn_state_jacobians"]


def _check_gamma(gamma, H):
    """Return gamma as a float array of shape () or (H,), all entries finite and >= 1."""
    if isinstance(gamma, numbers.Real) and not isinstance(gamma, bool):
        g = np.asarray(float(gamma))
    else:
        g = as_float_array(gamma, "gamma", (0, 1))
        if g.ndim == 1:
            check_shape(g, "gamma", (H,), "(H,)")
    if not np.all(np.isfinite(g)) or np.any(g < 1):
        raise ValueError(f"gamma must be finite and >= 1 (a time constant in steps), got {gamma!r}")
    return g


def _check_sequence(X, h0, U, W, b=None):
    X = as_float_array(X, "X", 3)
    if X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    h0 = as_float_array(h0, "h0", 2)
    U = as_float_array(U, "U", 2)
    W = as_float_array(W, "W", 2)
    N, _, D = X.shape
    H = W.shape[0]
    check_shape(W, "W", (H, H), "(H, H)")
    check_shape(U, "U", (H, D), "(H, D)")
    check_shape(h0, "h0", (N, H), "(N, H)")
    if b is not None:
        b = as_float_array(b, "b", 1)
        check_shape(b, "b", (H,), "(H,)")
    return X, h0, U, W, b


def leaky_rnn_forward(X, h0, U, W, b, gamma):
    """Run an RNN of leaky units over a whole sequence, with the same U, W, b, gamma at every step.

    ``h_t = (1 - 1/gamma) h_{t-1} + (1/gamma) tanh(b + W h_{t-1} + U x_t)``, elementwise
    in gamma when it holds one time constant per unit.

    Inputs:
    - X: input sequence, shape (N, T, D); ``X[:, t]`` is the input at step t.
    - h0: initial hidden state, shape (N, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).
    - b: hidden bias, shape (H,).
    - gamma: time constants, a number or an array of shape (H,) (one per hidden
      unit); every entry must be >= 1, and gamma = 1 gives the vanilla RNN.

    Returns:
    - Hs: hidden states for every step, shape (N, T, H); ``Hs[:, t]`` is the
      state after reading ``X[:, t]`` (h0 itself is not included).
    """
    X, h0, U, W, b = _check_sequence(X, h0, U, W, b)
    g = _check_gamma(gamma, W.shape[0])
    N, T, _ = X.shape
    dtype = np.result_type(X, h0, U, W, b)
    XU = input_projection(X, U, b, dtype)
    Hs = np.empty((N, T, W.shape[0]), dtype=dtype)
    kappa, mix = 1.0 - 1.0 / g, 1.0 / g
    h = h0
    for t in range(T):
        h = kappa * h + mix * np.tanh(h @ W.T + XU[:, t])
        Hs[:, t] = h
    return Hs


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    """Backpropagation through time for ``leaky_rnn_forward``.

    ``dHs[:, t]`` is the gradient of the loss with respect to ``Hs[:, t]``
    through the outputs only; the returned gradients are those of the whole
    loss, through every later state, and the parameter gradients are summed
    over time and over the batch. The time constants are fixed, not trained,
    so no gradient is returned for gamma.

    Inputs:
    - dHs: upstream gradients on every hidden state from the outputs, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - Hs: hidden states returned by leaky_rnn_forward, shape (N, T, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).
    - gamma: the time constants of the forward pass, a number or an array of shape (H,).

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T, D).
    - dh0: gradient with respect to h0, shape (N, H).
    - dU: gradient with respect to U, shape (H, D).
    - dW: gradient with respect to W, shape (H, H).
    - db: gradient with respect to b, shape (H,).
    """
    X, h0, U, W, _ = _check_sequence(X, h0, U, W)
    N, T, _ = X.shape
    H = W.shape[0]
    dHs = as_float_array(dHs, "dHs", 3)
    Hs = as_float_array(Hs, "Hs", 3)
    check_shape(Hs, "Hs", (N, T, H), "(N, T, H)")
    check_shape(dHs, "dHs", (N, T, H), "(N, T, H)")
    g = _check_gamma(gamma, H)
    kappa = 1.0 - 1.0 / g
    dtype = np.result_type(dHs, X, h0, Hs, U, W)
    dX = np.empty(X.shape, dtype=dtype)
    dU = np.zeros((H, X.shape[2]), dtype=dtype)
    dW = np.zeros((H, H), dtype=dtype)
    db = np.zeros(H, dtype=dtype)
    dh_next = np.zeros((N, H), dtype=dtype)
    for t in range(T - 1, -1, -1):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        h_tilde = g * (Hs[:, t] - kappa * h_prev)  # tanh(a_t), recovered from the states
        dh = dHs[:, t] + dh_next
        da = dh / g * (1.0 - h_tilde * h_tilde)
        dX[:, t] = da @ U
        dU += da.T @ X[:, t]
        dW += da.T @ h_prev
        db += da.sum(axis=0)
        dh_next = kappa * dh + da @ W
    return dX, dh_next, dU, dW, db


def _check_skip(X, h0, U, W, W_d, b, d):
    X, h0, U, W, b = _check_sequence(X, h0, U, W, b)
    W_d = as_float_array(W_d, "W_d", 2)
    check_shape(W_d, "W_d", W.shape, "(H, H)")
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"d must be an int >= 1 (the delay of the skip connection in steps), got {d!r}")
    return X, h0, U, W, W_d, b, int(d)


def skip_rnn_forward(X, h0, U, W, W_d, b, d):
    """Run a tanh RNN with a skip connection of delay d: ``h_t = tanh(b + W h_{t-1} + W_d h_{t-d} + U x_t)``.

    The states before h0 are zero (``h_{t-d} = 0`` for ``t < d``), and ``h0`` itself is the
    state at t = 0, so ``h_d`` reads it through the skip connection. ``W_d = 0`` gives the vanilla
    RNN; ``W = 0`` gives d interleaved chains with steps of d.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: weights of the state one step back, shape (H, H).
    - W_d: weights of the state d steps back, shape (H, H).
    - b: hidden bias, shape (H,).
    - d: the delay, an int >= 1.

    Returns:
    - Hs: hidden states h_1 ... h_T, shape (N, T, H).
    """
    X, h0, U, W, W_d, b, d = _check_skip(X, h0, U, W, W_d, b, d)
    N, T, _ = X.shape
    XU = input_projection(X, U, b, np.result_type(X, h0, U, W, W_d, b))
    states = [h0]  # states[k] is h_k
    for t in range(1, T + 1):
        far = states[t - d] if t >= d else np.zeros_like(h0)
        states.append(np.tanh(states[t - 1] @ W.T + far @ W_d.T + XU[:, t - 1]))
    return np.stack(states[1:], axis=1)


def skip_rnn_state_jacobians(X, h0, U, W, W_d, b, d):
    """The Jacobians ``dh_t/dh_0`` of ``skip_rnn_forward``'s states, for t = 0 ... T.

    Forward mode: ``J_0 = I``, ``J_t = 0`` for ``t < 0``, and
    ``J_t = diag(1 - h_t^2) (W J_{t-1} + W_d J_{t-d})``: a sum over the paths from h_0 to h_t,
    each a product of one factor per edge (of length 1 or d).

    Inputs: as ``skip_rnn_forward``.

    Returns:
    - J: shape (N, T + 1, H, H); ``J[n, t, i, j]`` is the derivative of unit i of h_t with
      respect to unit j of h_0, for sequence n.
    """
    X, h0, U, W, W_d, b, d = _check_skip(X, h0, U, W, W_d, b, d)
    Hs = skip_rnn_forward(X, h0, U, W, W_d, b, d)
    N, T, H = Hs.shape
    J = np.zeros((N, T + 1, H, H), dtype=Hs.dtype)
    J[:, 0] = np.eye(H)
    for t in range(1, T + 1):
        paths = W @ J[:, t - 1]
        if t >= d:
            paths = paths + W_d @ J[:, t - d]
        J[:, t] = (1.0 - Hs[:, t - 1] ** 2)[:, :, None] * paths
    return J

