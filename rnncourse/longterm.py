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

__all__ = [
    "spectral_radius",
    "matrix_power_eigen",
    "eigen_components",
    "hidden_state_jacobian",
    "gradient_norms_through_time",
    "gradient_decay_rate",
    "information_flow",
]


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


def eigen_components(W, h0, t):
    """The components of ``h_t = W^t h0`` along the eigenvectors of a symmetric ``W``.

    With ``W = Q Lambda Q^T`` (Q orthogonal, its column i a unit eigenvector for the
    eigenvalue lambda_i, eigenvalues in ascending order), ``W^t h0`` is the sum of H vectors,
    its components, one along each eigenvector. Row i of the result is the component along
    ``Q[:, i]``, a vector; the rows sum to ``W^t h0``. A component does not depend on the
    sign that a solver gives the eigenvector.

    Inputs:
    - W: a symmetric matrix with distinct eigenvalues, shape (H, H).
    - h0: the initial state, shape (H,).
    - t: the number of steps, an int >= 0.

    Returns:
    - components: shape (H, H); row i is the component of ``W^t h0`` along the eigenvector
      of the i-th smallest eigenvalue.
    """
    W = _square(W)
    h0 = as_float_array(h0, "h0", 1)
    check_shape(h0, "h0", (W.shape[0],), "(H,)")
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
        raise ValueError(f"t must be an int >= 0, got {t!r}")
    if not np.allclose(W, W.T, rtol=1e-10, atol=1e-12):
        raise ValueError("W must be symmetric (W == W.T) for the decomposition W = Q Lambda Q^T")
    lam, Q = np.linalg.eigh(W)
    return (lam**t * (Q.T @ h0))[:, None] * Q.T


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
    ``rnn_backward``). The total gradient on a state is its own part plus what the next
    step passes back; the function returns the Euclidean norm of that total for every
    example and step.

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



def gradient_decay_rate(dHs, X, h0, Hs, U, W):
    """Measure how fast the gradient's norm decays per step of lag, beside the rate that W predicts.

    The gradient norms ``n_t`` on every state come from ``gradient_norms_through_time``
    (a loss on the last state: ``dHs`` is zero but at the last step). The lag of step t is
    ``k = T - 1 - t``. The measured rate is ``exp(s)``, with ``s`` the least-squares slope of
    the batch mean of ``ln n_t`` against k over all T lags; a gradient that shrinks by a factor
    r per step gives r. The predicted rate is the spectral radius of W, the factor per step
    of the linearised backward pass once the largest eigenvalue dominates.

    Inputs:
    - dHs: upstream gradients, shape (N, T, H), nonzero at the last step only; T >= 2.
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - Hs: hidden states returned by rnn_forward, shape (N, T, H).
    - U: input-to-hidden weights, shape (H, D).
    - W: hidden-to-hidden weights, shape (H, H).

    Returns a tuple of:
    - measured: the measured rate per step, a Python float.
    - predicted: the spectral radius of W, a Python float.
    """
    norms = gradient_norms_through_time(dHs, X, h0, Hs, U, W)
    T = norms.shape[1]
    if T < 2:
        raise ValueError(f"dHs has shape {np.shape(dHs)}, expected at least two steps (T >= 2) to fit a rate")
    if np.any(dHs[:, :-1]) or not np.all(norms > 0):
        raise ValueError("dHs must be zero before the last step and nonzero at it (a loss on the last state)")
    lag = (T - 1 - np.arange(T)).astype(float)
    log_norm = np.log(norms).mean(axis=0)
    slope = np.polyfit(lag, log_norm, 1)[0]
    return float(np.exp(slope)), spectral_radius(W)


def information_flow(Hs, grad_Hs, W):
    """Pascanu et al.'s information-flow regulariser Omega and its gradients, with grad_Hs held constant.

    For the states ``h_t = Hs[:, t]`` and the total gradients ``grad_t = grad_Hs[:, t]`` on them
    (from backpropagation through time; the book's nabla_{h_t} L, since g is the gradient on the
    parameters), the backward step from t to t - 1 multiplies
    ``grad_t`` by ``J_t^T = W^T diag(1 - h_t^2)``. Omega sums the squared deviation from 1 of
    the gain of that step, the ratio of norms it produces, over the steps t = 1..T-1 and the batch:

        Omega = sum_{n, t} (||W^T (d_t * grad_t)|| / ||grad_t|| - 1)^2,   d_t = 1 - h_t^2.

    The gradients treat grad_Hs as a constant (the usual approximation): with ``chi = d_t * grad_t``,
    ``B = W^T chi`` and the gain ``gain = ||B|| / ||grad_t||``, each term adds
    ``2 (gain - 1) chi B^T / (||B|| ||grad_t||)`` to dOmega/dW and
    ``-4 (gain - 1) h_t * grad_t * (W B) / (||B|| ||grad_t||)`` to dOmega/dh_t.

    Inputs:
    - Hs: hidden states of a tanh RNN, shape (N, T, H).
    - grad_Hs: total gradients on those states (the book's nabla_{h_t} L; its G_k is the gain of
      step k), shape (N, T, H), nonzero wherever Omega is taken.
    - W: hidden-to-hidden weights, shape (H, H).

    Returns a tuple of:
    - omega: Omega, a Python float.
    - dW: dOmega/dW with grad_Hs constant, shape (H, H).
    - dHs: dOmega/dHs with grad_Hs constant, shape (N, T, H) (zero at t = 0).
    """
    Hs = as_float_array(Hs, "Hs", 3)
    grad_Hs = as_float_array(grad_Hs, "grad_Hs", 3)
    W = _square(W)
    N, T, H = Hs.shape
    check_shape(W, "W", (H, H), "(H, H)")
    check_shape(grad_Hs, "grad_Hs", (N, T, H), "(N, T, H)")
    h, g = Hs[:, 1:], grad_Hs[:, 1:]
    chi = (1.0 - h**2) * g
    B = chi @ W  # rows: W^T chi
    B_norm = np.sqrt(np.sum(B * B, axis=-1, keepdims=True))
    g_norm = np.sqrt(np.sum(g * g, axis=-1, keepdims=True))
    if np.any(g_norm == 0) or np.any(B_norm == 0):
        raise ValueError("grad_Hs and W^T diag(1 - h^2) grad_Hs must be nonzero at every step t >= 1")
    gain = B_norm / g_norm
    omega = float(np.sum((gain - 1.0) ** 2))
    coef = 2.0 * (gain - 1.0) / (B_norm * g_norm)  # (N, T-1, 1)
    dW = np.einsum("nti,ntj->ij", coef * chi, B)
    dHs = np.zeros_like(Hs)
    dHs[:, 1:] = coef * (-2.0 * h * g) * (B @ W.T)
    return omega, dW, dHs
