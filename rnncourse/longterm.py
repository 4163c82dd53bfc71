"""Long-term dependencies: powers of the recurrent matrix, hidden-state Jacobians, gradient norms.

In the book's column-vector notation, one step of the vanilla RNN is
``h_{t+1} = tanh(b + W h_t + U x_{t+1})``; its Jacobian with respect to the
previous state is

    dh_{t+1}/dh_t = diag(1 - h_{t+1}^2) W        (an H x H matrix, row i = output unit i)

and the gradient of a loss on the states travels backwards as
``dL/dh_t = dL/dh_t|_out + (dh_{t+1}/dh_t)^T dL/dh_{t+1}``. In code the batch is
on the rows: a batch of states has shape (N, H), its Jacobians shape (N, H, H).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape
from .bptt import rnn_step_backward

__all__ = ["spectral_radius", "matrix_power_eigen", "hidden_state_jacobian", "gradient_norms_through_time"]


def _square(W, name="W"):
    W = as_float_array(W, name, 2)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"{name} has shape {W.shape}, expected a square matrix (H, H)")
    return W


def spectral_radius(W):
    """The spectral radius of a square matrix: the largest absolute value of its eigenvalues.

    Inputs:
    - W: a square matrix, shape (H, H).

    Returns:
    - rho: max_i |lambda_i(W)|, a Python float.
    """
    W = _square(W)
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def matrix_power_eigen(W, t):
    """The power ``W^t`` of a symmetric matrix through its eigendecomposition ``W = Q Lambda Q^T``.

    With ``Q`` orthogonal (its columns are eigenvectors of W) and ``Lambda`` the
    diagonal matrix of eigenvalues, ``W^t = Q Lambda^t Q^T``: only the eigenvalues
    are raised to the power t.

    Inputs:
    - W: a symmetric matrix, shape (H, H).
    - t: the power, an int >= 0 (W^0 is the identity).

    Returns:
    - Wt: the matrix W^t, shape (H, H).
    """
    W = _square(W)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"t must be an int >= 0, got {t!r}")
    if not np.allclose(W, W.T, rtol=1e-10, atol=1e-12):
        raise ValueError("W must be symmetric (W == W.T) for the decomposition W = Q Lambda Q^T")
    lam, Q = np.linalg.eigh(W)
    return (Q * lam**t) @ Q.T


def hidden_state_jacobian(h_next, W):
    """Jacobian of one tanh RNN step with respect to the previous state: ``diag(1 - h_next^2) W``.

    For ``h_next = tanh(b + W h + U x)``, entry (i, j) is dh_next[i] / dh[j]. The bias,
    the input and ``U`` are not needed: the derivative of tanh is written with ``h_next``.

    Inputs:
    - h_next: the state after the step, shape (H,) for one sequence or (N, H) for a batch.
    - W: hidden-to-hidden weights, shape (H, H).

    Returns:
    - J: the Jacobian, shape (H, H) for one sequence or (N, H, H) for a batch
      (``J[n]`` is the Jacobian of example n).
    """
    h_next = as_float_array(h_next, "h_next", (1, 2))
    W = _square(W)
    H = W.shape[0]
    if h_next.shape[-1] != H:
        raise ValueError(f"h_next has shape {h_next.shape}, expected (H,) or (N, H) with H = {H} (from W)")
    return (1.0 - h_next**2)[..., :, None] * W


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    """The norm of the total gradient ``dL/dh_t`` on every hidden state, by backpropagation through time.

    ``dHs[:, t]`` is the gradient that reaches ``Hs[:, t]`` from its own output (as for
    ``rnn_backward``). Going backwards from the last step, the total gradient on a state is
    its own part plus what the next step passes back,
    ``dL/dh_t = dHs[:, t] + W^T diag(1 - h_{t+1}^2) dL/dh_{t+1}``; the function returns the
    Euclidean norm of that total for every example and step.

    Inputs:
    - dHs: upstream gradients on every hidden state from the outputs, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - Hs: hidden states returned by rnn_forward, shape (N, T, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).

    Returns:
    - norms: shape (N, T); ``norms[n, t]`` is the norm of dL/dHs[n, t], the total gradient
      on the state after step t of sequence n.
    """
    X = as_float_array(X, "X", 3)
    dHs = as_float_array(dHs, "dHs", 3)
    Hs = as_float_array(Hs, "Hs", 3)
    if X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    N, T, _ = X.shape
    H = _square(W).shape[0]
    check_shape(Hs, "Hs", (N, T, H), "(N, T, H)")
    check_shape(dHs, "dHs", (N, T, H), "(N, T, H)")
    norms = np.empty((N, T), dtype=np.result_type(dHs, Hs, W))
    dh_next = np.zeros((N, H), dtype=norms.dtype)
    for t in range(T - 1, -1, -1):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        total = dHs[:, t] + dh_next
        norms[:, t] = np.sqrt(np.sum(total * total, axis=1))
        _, dh_next, _, _, _ = rnn_step_backward(total, X[:, t], h_prev, Hs[:, t], U, W)
    return norms

