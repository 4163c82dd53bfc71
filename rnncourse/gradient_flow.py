"""How a gradient travels back through time: products of Jacobians beside their bound, and clipping.

In the book's column-vector notation, the Jacobian of one step of a simple RNN
``h_s = phi(a_s)`` with respect to the previous state is ``J_s = Delta_s W``, with
``Delta_s = diag(phi'(a_s))``, and the state ``s - k`` reaches the state ``s`` through the
product ``J_s J_{s-1} ... J_{s-k+1}``. ``jacobian_product_norms`` measures the spectral norm
of that product for every earlier state, for a tanh unit (chapter 3's network) or a
logistic one (``phi = sigma``), next to the two numbers chapter 3 reads it against: the
spectral radius of W (what the linear network's powers of W do) and the bound through
singular values, ``prod_s ||Delta_s||_2 ||W||_2``, where ``||Delta_s||_2`` is the largest
slope of the unit at step s, read off the states. ``clip_gradients`` rescales a dict of
gradients by their global norm and returns that norm.

``rnncourse.longterm`` and ``rnncourse.optim`` hold the separate pieces
(``spectral_radius``, ``hidden_state_jacobian`` for tanh, ``global_norm``, ``clip_by_norm``);
this module combines them as assignment 3 asks.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape
from .longterm import spectral_radius
from .optim import clip_by_norm, global_norm

__all__ = ["jacobian_product_norms", "clip_gradients"]


UNITS = ("tanh", "logistic")


def _slopes(Hs, unit):
    """The derivative of the unit at every pre-activation, written with the states it produced."""
    if unit == "tanh":  # tanh'(a) = 1 - tanh(a)^2
        return 1.0 - Hs**2
    if unit == "logistic":  # sigma'(a) = sigma(a) (1 - sigma(a))
        return Hs * (1.0 - Hs)
    raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")


def jacobian_product_norms(Hs, W, unit):
    """The norm of the Jacobian of the last state with respect to every earlier state, and its bound.

    ``Hs[:, t]`` is the state after step t of a simple RNN with recurrent weights W whose
    units are ``unit``: ``"tanh"``, ``h_t = tanh(a_t)`` (as ``rnn_forward`` returns), or
    ``"logistic"``, ``h_t = sigma(a_t)`` with the logistic sigmoid, for the same
    ``a_t = b + W h_{t-1} + U x_t``. For every step t, ``norms[n, t]`` is the spectral norm
    (largest singular value) of the Jacobian of ``Hs[n, T - 1]`` with respect to
    ``Hs[n, t]`` (1 for t = T - 1), and ``bounds[n, t]`` is chapter 3's bound through
    singular values on it, for this unit, in its sharper form: the one that reads the
    slopes of the units off these states, step by step (1 for t = T - 1).

    Inputs:
    - Hs: hidden states, shape (N, T, H).
    - W: hidden-to-hidden weights, shape (H, H).
    - unit: the units' nonlinearity, "tanh" or "logistic".

    Returns a tuple of:
    - rho: the spectral radius of W (the largest modulus of its eigenvalues), a Python float.
    - norms: shape (N, T), the norms of the Jacobian products.
    - bounds: shape (N, T), their bounds through singular values.
    """
    Hs = as_float_array(Hs, "Hs", 3)
    W = as_float_array(W, "W", 2)
    N, T, H = Hs.shape
    check_shape(W, "W", (H, H), "(H, H) with H from Hs")
    if T < 1:
        raise ValueError(f"Hs has shape {Hs.shape}, expected at least one step (T >= 1)")
    slopes = _slopes(Hs, unit)  # slopes[:, s] is the diagonal of Delta at the step that made Hs[:, s]
    sigma = float(np.linalg.norm(W, 2))
    norms, bounds = np.empty((N, T)), np.empty((N, T))
    product = np.broadcast_to(np.eye(H), (N, H, H))  # d Hs[:, T-1] / d Hs[:, t], starting at t = T - 1
    bound = np.ones(N)
    for t in range(T - 1, -1, -1):
        norms[:, t] = np.linalg.norm(product, 2, axis=(1, 2))
        bounds[:, t] = bound
        # one step further back: the product picks up the Jacobian Delta W of the step that made Hs[:, t]
        product = product @ (slopes[:, t, :, None] * W)
        bound = bound * np.max(slopes[:, t], axis=1) * sigma
    return spectral_radius(W), norms, bounds


def clip_gradients(grads, max_norm):
    """Clip a dict of gradients by their global norm, and return that norm.

    The global norm ``||g||`` is the Euclidean norm of every entry of every array
    together. When it exceeds ``max_norm``, the result is the gradient with the same
    direction (every array scaled by one common positive factor) and the global norm
    ``max_norm``; otherwise the arrays are returned unchanged. Either way the result holds
    new arrays (same keys, shapes and dtypes), and ``grads`` is not modified.

    Inputs:
    - grads: dict from names to float arrays.
    - max_norm: the threshold g_max, a positive number.

    Returns a tuple of:
    - clipped: a new dict of new arrays.
    - norm: the global norm of ``grads`` before clipping, a Python float.
    """
    return clip_by_norm(grads, max_norm), global_norm(grads)  # both check their arguments
