"""Adaptive computation time (chapter 8, Graves 2016): halting distribution and ponder cost.

Notation (the book's notation table, ch. 8). At input step t an ACT network takes ponder
steps n = 1, 2, ...; after each it emits a halting unit ``p~^[n]_t`` in (0, 1). It stops after

    nu_t = min{ n : p~^[1]_t + ... + p~^[n]_t >= 1 - iota },   capped at nu_max,

with a small margin ``iota`` (Graves' epsilon) so that one step can halt at once. The
remainder ``R_t = 1 - sum_{n < nu_t} p~^[n]_t`` makes the halting probabilities

    p^[n]_t = p~^[n]_t for n < nu_t,   p^[nu_t]_t = R_t,   0 after nu_t,

a distribution over the steps taken. The state (and output) passed on is the mean
``h_t = sum_n p^[n]_t h^[n]_t``. The ponder cost ``P = sum_t (nu_t + R_t)`` is added to the
objective as ``L + mu P``. ``nu_t`` is piecewise constant in the halting units, so the
gradient reaches them only through ``R_t`` (and through the p they feed).

Code: halting units of a batch at one input step are ``p_tilde`` (N, nu_max), one column per
ponder step; ``nu`` (N,) holds integers in 1..nu_max; ``R`` (N,).
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array, check_shape

__all__ = [
    "act_halting_distribution",
    "act_halting_distribution_backward",
    "ponder_cost",
    "act_step_forward",
]


def _check_iota(iota):
    if isinstance(iota, bool) or not isinstance(iota, numbers.Real) or not 0.0 <= iota < 1.0:
        raise ValueError(f"iota must be a number in [0, 1) (the halting margin), got {iota!r}")
    return float(iota)


def _check_p_tilde(p_tilde):
    p_tilde = as_float_array(p_tilde, "p_tilde", 2)
    if p_tilde.shape[0] < 1 or p_tilde.shape[1] < 1:
        raise ValueError(f"p_tilde has shape {p_tilde.shape}, expected (N, nu_max) with N, nu_max >= 1")
    if not np.all(np.isfinite(p_tilde)) or np.any(p_tilde < 0) or np.any(p_tilde > 1):
        raise ValueError("p_tilde must hold halting units in [0, 1] (sigmoid outputs)")
    return p_tilde


def _halting_steps(p_tilde, iota):
    nu_max = p_tilde.shape[1]
    reached = np.cumsum(p_tilde, axis=1) >= 1.0 - iota
    return np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, nu_max).astype(np.int64)


def act_halting_distribution(p_tilde, iota=0.01):
    """Halting probabilities, ponder steps and remainders of one input step of ACT.

    Inputs:
    - p_tilde: halting units of every ponder step, shape (N, nu_max), entries in [0, 1];
      column n - 1 holds ``p~^[n]``. Columns after an example's ``nu`` are not used.
    - iota: halting margin, a number in [0, 1); the default 0.01 is Graves' epsilon.

    Returns a tuple of:
    - p: halting probabilities, shape (N, nu_max): ``p~^[n]`` for n < nu, the remainder at
      n = nu, 0 after; each row sums to 1.
    - nu: ponder steps taken, int array of shape (N,), entries in 1..nu_max.
    - R: remainders ``1 - sum_{n < nu} p~^[n]``, shape (N,), entries in (iota, 1]: the sum
      before nu stays below 1 - iota, whether the example halted or reached the cap nu_max.
    """
    p_tilde = _check_p_tilde(p_tilde)
    iota = _check_iota(iota)
    nu = _halting_steps(p_tilde, iota)
    steps = np.arange(1, p_tilde.shape[1] + 1)
    before = steps[None, :] < nu[:, None]
    R = 1.0 - np.sum(np.where(before, p_tilde, 0.0), axis=1)
    p = np.where(before, p_tilde, 0.0)
    p[np.arange(p.shape[0]), nu - 1] = R
    return p.astype(p_tilde.dtype, copy=False), nu, R.astype(p_tilde.dtype, copy=False)


def act_halting_distribution_backward(dp, dR, p_tilde, iota=0.01):
    """Backward pass of ``act_halting_distribution`` with ``nu`` held fixed (it is piecewise constant).

    For n < nu: ``dp~^[n] = dp^[n] - dp^[nu] - dR`` (p~^[n] enters p^[n] directly and the
    remainder with a minus sign); for n >= nu the halting units do not enter: 0.

    Inputs:
    - dp: upstream gradient on p, shape (N, nu_max).
    - dR: upstream gradient on R, shape (N,) (``mu`` times ones for the ponder cost).
    - p_tilde: shape (N, nu_max); iota: the forward inputs.

    Returns:
    - dp_tilde: shape (N, nu_max).
    """
    p_tilde = _check_p_tilde(p_tilde)
    iota = _check_iota(iota)
    N, nu_max = p_tilde.shape
    dp = as_float_array(dp, "dp", 2)
    check_shape(dp, "dp", (N, nu_max), "(N, nu_max)")
    dR = as_float_array(dR, "dR", 1)
    check_shape(dR, "dR", (N,), "(N,)")
    nu = _halting_steps(p_tilde, iota)
    before = np.arange(1, nu_max + 1)[None, :] < nu[:, None]
    at_nu = dp[np.arange(N), nu - 1]
    return np.where(before, dp - at_nu[:, None] - dR[:, None], 0.0).astype(np.result_type(dp, dR, p_tilde))


def ponder_cost(nu, R):
    """The ponder cost ``P = sum_t (nu_t + R_t)``, summed over every entry given.

    Inputs:
    - nu: ponder steps, int array of any shape (e.g. (N,) or (N, T)), entries >= 1.
    - R: remainders, float array of the same shape.

    Returns:
    - P: a float. Its gradient with respect to every R_t is 1 (nu has none).
    """
    nu = np.asarray(nu)
    if nu.dtype == bool or not np.issubdtype(nu.dtype, np.integer) or (nu.size and nu.min() < 1):
        raise ValueError(f"nu must hold integer step counts >= 1, got dtype {nu.dtype}")
    R = as_float_array(R, "R", tuple(range(0, 33)))
    if R.shape != nu.shape:
        raise ValueError(f"R has shape {R.shape}, expected nu's shape {nu.shape}")
    return float(np.sum(nu) + np.sum(R))


def act_step_forward(x, h_prev, U, W, b, V_halt, c_halt, iota=0.01, nu_max=10):
    """One input step of an Elman RNN with adaptive computation time.

    Ponder step n reads ``x^[n] = [x; [n = 1]]`` (a flag on the first step only) and computes
    ``h^[n] = tanh(b + W h^[n-1] + U x^[n])`` from ``h^[0] = h_prev``, then the halting unit
    ``p~^[n] = sigmoid(c_halt + V_halt h^[n])``. All nu_max ponder steps are computed for the
    whole batch; ``act_halting_distribution`` decides which of them count.

    Inputs:
    - x: inputs, shape (N, D).
    - h_prev: state after the previous input step, shape (N, H).
    - U: input weights, shape (H, D + 1) (the last column reads the first-step flag).
    - W: recurrent weights, shape (H, H); b: hidden bias, shape (H,).
    - V_halt: halting layer, shape (1, H); c_halt: its bias, shape (1,).
    - iota: halting margin in [0, 1); nu_max: the cap on ponder steps (int >= 1).

    Returns a tuple of:
    - h: the mean state ``sum_n p^[n] h^[n]``, shape (N, H).
    - p: halting probabilities, shape (N, nu_max).
    - nu: ponder steps taken, int array of shape (N,).
    - R: remainders, shape (N,).
    - Hs_ponder: the states of every ponder step, shape (N, nu_max, H).
    """
    x = as_float_array(x, "x", 2)
    h_prev = as_float_array(h_prev, "h_prev", 2)
    W = as_float_array(W, "W", 2)
    N, D = x.shape
    H = W.shape[0]
    check_shape(W, "W", (H, H), "(H, H)")
    check_shape(h_prev, "h_prev", (N, H), "(N, H)")
    U = as_float_array(U, "U", 2)
    check_shape(U, "U", (H, D + 1), "(H, D + 1)")
    b = as_float_array(b, "b", 1)
    check_shape(b, "b", (H,), "(H,)")
    V_halt = as_float_array(V_halt, "V_halt", 2)
    check_shape(V_halt, "V_halt", (1, H), "(1, H)")
    c_halt = as_float_array(c_halt, "c_halt", 1)
    check_shape(c_halt, "c_halt", (1,), "(1,)")
    if isinstance(nu_max, bool) or not isinstance(nu_max, (int, np.integer)) or nu_max < 1:
        raise ValueError(f"nu_max must be an int >= 1, got {nu_max!r}")
    dtype = np.result_type(x, h_prev, U, W, b, V_halt, c_halt)
    Hs_ponder = np.empty((N, nu_max, H), dtype=dtype)
    p_tilde = np.empty((N, nu_max), dtype=dtype)
    xu = x @ U[:, :D].T + b
    h = h_prev
    for n in range(nu_max):
        a = xu + h @ W.T + (U[:, D] if n == 0 else 0.0)
        h = np.tanh(a)
        Hs_ponder[:, n] = h
        z = (h @ V_halt.T)[:, 0] + c_halt[0]
        e = np.exp(-np.abs(z))
        p_tilde[:, n] = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    p, nu, R = act_halting_distribution(p_tilde, iota)
    return np.einsum("nk,nkh->nh", p, Hs_ponder), p, nu, R, Hs_ponder
