"""Echo state networks: a fixed random reservoir and a trained linear readout.

The reservoir is a (leaky) RNN whose weights are drawn at random and never
trained: ``W`` is rescaled to a chosen spectral radius ``rho`` (the largest
modulus of its eigenvalues), which for ``rho < 1`` typically gives the echo
state property: the state forgets its initial value and becomes a function of
the recent inputs. Only the readout ``o_t = c + V h_t`` is trained, by ridge
regression, which has a closed form:

    [V c]^T = (Z^T Z + mu P)^{-1} Z^T Y,   Z = [states, 1],   P = diag(1, ..., 1, 0)

(the bias ``c`` is not penalised; ``mu`` is the penalty's weight, the book's mu). ``memory_capacity`` measures how much of the
input's past a reservoir can recall linearly, and ``esn_forecast`` predicts a
scalar series one step ahead. ``mackey_glass`` generates the classic test series.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import as_float_array, check_shape
from .leaky import leaky_rnn_forward

__all__ = [
    "scale_to_spectral_radius",
    "make_reservoir",
    "esn_states",
    "ridge_readout",
    "memory_capacity",
    "memory_capacity_by_radius",
    "esn_forecast",
    "mackey_glass",
    "nmse",
]


def _check_real(value, name, minimum=None, strict=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    if minimum is not None and (value < minimum or (strict and value == minimum)):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}, got {value!r}")
    return float(value)


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def scale_to_spectral_radius(W, rho):
    """Rescale a square matrix so that its spectral radius (largest |eigenvalue|) is ``rho``.

    Inputs:
    - W: square matrix, shape (H, H), with at least one nonzero eigenvalue.
    - rho: the target spectral radius, a number >= 0.

    Returns:
    - W_scaled: ``W * rho / max|eig(W)|``, shape (H, H); W itself is not modified.
    """
    W = as_float_array(W, "W", 2)
    check_shape(W, "W", (W.shape[0], W.shape[0]), "(H, H)")
    rho = _check_real(rho, "rho", 0.0)
    radius = np.max(np.abs(np.linalg.eigvals(W)))
    if not radius > 0:
        raise ValueError("W has spectral radius 0 (all eigenvalues are zero); it cannot be rescaled")
    return W * (rho / radius)


def make_reservoir(H, D, rho, rng, input_scale=1.0, density=1.0, bias_scale=0.0):
    """A random reservoir: recurrent weights with spectral radius ``rho``, random input weights.

    ``W`` has entries N(0, 1), of which a fraction ``1 - density`` is set to zero,
    and is then rescaled to spectral radius ``rho``. ``U`` and ``b`` are uniform in
    [-input_scale, input_scale] and [-bias_scale, bias_scale].

    Inputs:
    - H, D: reservoir size and input size (positive ints).
    - rho: target spectral radius of W (>= 0).
    - rng: a ``numpy.random.Generator``.
    - input_scale: half-width of the input weights' range (>= 0).
    - density: fraction of nonzero recurrent weights, in (0, 1].
    - bias_scale: half-width of the biases' range (>= 0).

    Returns:
    - params: dict with ``U`` (H, D), ``W`` (H, H) and ``b`` (H,).
    """
    H = _check_int(H, "H", 1)
    D = _check_int(D, "D", 1)
    rho = _check_real(rho, "rho", 0.0)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    input_scale = _check_real(input_scale, "input_scale", 0.0)
    bias_scale = _check_real(bias_scale, "bias_scale", 0.0)
    density = _check_real(density, "density", 0.0, strict=True)
    if density > 1:
        raise ValueError(f"density must be in (0, 1], got {density!r}")
    W = rng.normal(0.0, 1.0, (H, H))
    if density < 1:
        W = W * (rng.random((H, H)) < density)
        if not np.any(W):
            W[rng.integers(H), rng.integers(H)] = 1.0
    return {
        "U": rng.uniform(-input_scale, input_scale, (H, D)),
        "W": scale_to_spectral_radius(W, rho) if np.max(np.abs(np.linalg.eigvals(W))) > 0 else W,
        "b": rng.uniform(-bias_scale, bias_scale, H),
    }


def esn_states(X, h0, U, W, b, gamma=1.0, washout=0):
    """Drive a reservoir with an input sequence and collect its states after a washout.

    The states are those of ``leaky_rnn_forward`` (gamma = 1: plain tanh units);
    the first ``washout`` steps, which still depend on ``h0``, are dropped.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0: initial state, shape (N, H).
    - U, W, b: the reservoir, shapes (H, D), (H, H), (H,).
    - gamma: time constants, a number or an array of shape (H,), entries >= 1.
    - washout: number of initial steps to drop, an int in [0, T).

    Returns:
    - states: shape (N, T - washout, H); ``states[:, i]`` is the state after reading
      ``X[:, washout + i]``.
    """
    Hs = leaky_rnn_forward(X, h0, U, W, b, gamma)
    washout = _check_int(washout, "washout", 0)
    if washout >= Hs.shape[1]:
        raise ValueError(f"washout must be smaller than T = {Hs.shape[1]}, got {washout}")
    return Hs[:, washout:]


def ridge_readout(states, targets, mu):
    """Fit a linear readout ``o = c + V h`` by ridge regression (closed form).

    Returns the minimiser of ``sum_m ||targets[m] - c - V states[m]||^2 + mu ||V||_F^2``
    (the bias c is not penalised), which is unique for mu > 0.

    Inputs:
    - states: reservoir states, one per row, shape (T_tr, H).
    - targets: desired outputs, shape (T_tr, K).
    - mu: ridge penalty, a number > 0.

    Returns a tuple of:
    - V: readout weights, shape (K, H).
    - c: readout bias, shape (K,).
    """
    states = as_float_array(states, "states", 2)
    targets = as_float_array(targets, "targets", 2)
    T_tr, H = states.shape
    if targets.shape[0] != T_tr:
        raise ValueError(
            f"targets has shape {targets.shape}, expected (T_tr, K) with T_tr = {T_tr} rows, one per row of states"
        )
    mu = _check_real(mu, "mu", 0.0, strict=True)
    Z = np.hstack([states, np.ones((T_tr, 1), dtype=states.dtype)])
    P = np.eye(H + 1)
    P[H, H] = 0.0
    coef = np.linalg.solve(Z.T @ Z + mu * P, Z.T @ targets)  # (H + 1, K)
    return coef[:H].T.copy(), coef[H].copy()


def memory_capacity(x, states, max_delay, mu=1e-6):
    """Linear memory capacity: how well readouts of ``h_t`` recall the past inputs ``x_{t-k}``.

    For each delay k = 1..max_delay, a ridge readout is trained to output
    ``x[t - k]`` from ``states[t]`` on the first half of the n = T - max_delay steps
    t = max_delay..T-1 (the first n // 2 of them) and evaluated on the remaining steps;
    ``mc_k[k-1]``, the book's MC_k, is the squared correlation between its outputs and
    ``x[t - k]`` there. The capacity is the sum of ``mc_k``.

    Inputs:
    - x: scalar input sequence that drove the reservoir, shape (T,).
    - states: reservoir states, shape (T, H); ``states[t]`` is the state after reading ``x[t]``.
    - max_delay: the largest delay, an int >= 1 with ``T - max_delay >= 4``.
    - mu: ridge penalty of the readouts (> 0).

    Returns a tuple of:
    - mc: the memory capacity, ``float(mc_k.sum())``.
    - mc_k: MC_k for k = 1..max_delay, the squared correlation at each delay, shape (max_delay,).
    """
    x = as_float_array(x, "x", 1)
    states = as_float_array(states, "states", 2)
    T = x.shape[0]
    if states.shape[0] != T:
        raise ValueError(f"states has shape {states.shape}, expected (T, H) with T = {T} (the length of x)")
    max_delay = _check_int(max_delay, "max_delay", 1)
    if T - max_delay < 4:
        raise ValueError(f"max_delay must leave at least 4 steps, got max_delay={max_delay} with T={T}")
    steps = np.arange(max_delay, T)
    half = len(steps) // 2
    train, test = steps[:half], steps[half:]
    mc_k = np.zeros(max_delay)
    for k in range(1, max_delay + 1):
        V, c = ridge_readout(states[train], x[train - k][:, None], mu)
        y = states[test] @ V[0] + c[0]
        target = x[test - k]
        yc, tc = y - y.mean(), target - target.mean()
        denom = np.sum(yc * yc) * np.sum(tc * tc)
        mc_k[k - 1] = np.sum(yc * tc) ** 2 / denom if denom > 0 else 0.0
    return float(mc_k.sum()), mc_k


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-6):
    """Memory capacity of one reservoir direction at several spectral radii.

    For each ``rho`` in ``rhos``, the recurrent weights are rescaled to spectral
    radius ``rho`` (``W``'s direction is kept, its size set), the reservoir
    (gamma = 1, plain tanh units) reads ``x`` from a zero state, and the memory
    capacity of its states is measured as ``memory_capacity`` does.

    Inputs:
    - x: scalar input sequence, shape (T,).
    - U, W, b: the reservoir, shapes (H, 1), (H, H), (H,); W has at least one nonzero eigenvalue.
    - rhos: the spectral radii, shape (R,), entries >= 0.
    - max_delay: the largest delay, an int >= 1 with ``T - max_delay >= 4``.
    - mu: ridge penalty of the readouts (> 0).

    Returns a tuple of:
    - mc: the memory capacity at each radius, shape (R,).
    - mc_k: ``mc_k[i, k-1]`` is MC_k at radius ``rhos[i]``, shape (R, max_delay).
    """
    x = as_float_array(x, "x", 1)
    rhos = as_float_array(rhos, "rhos", 1)
    if rhos.size == 0 or np.any(rhos < 0):
        raise ValueError(f"rhos must hold at least one radius, all >= 0, got {rhos}")
    W = as_float_array(W, "W", 2)
    H = W.shape[0]
    mc, mc_k = np.zeros(rhos.shape[0]), np.zeros((rhos.shape[0], _check_int(max_delay, "max_delay", 1)))
    for i, rho in enumerate(rhos):
        W_rho = scale_to_spectral_radius(W, float(rho))
        states = leaky_rnn_forward(x[None, :, None], np.zeros((1, H)), U, W_rho, b, 1.0)[0]
        mc[i], mc_k[i] = memory_capacity(x, states, max_delay, mu)
    return mc, mc_k


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    """Predict a scalar series one step ahead with an echo state network.

    The reservoir (U, W, b, gamma) reads ``x[t]`` at step t from a zero state, and a
    ridge readout of the state after reading ``x[t]`` predicts ``x[t + 1]``. The readout
    is trained on every step whose state and target are available for training: the
    states of the first ``washout`` steps train nothing, and no value of the held-out
    part ``x[n_train:]`` is a target. Each held-out value is predicted from the state
    that has read exactly the values before it.

    Inputs:
    - x: the series, shape (T,).
    - U, W, b: the reservoir, shapes (H, 1), (H, H), (H,).
    - gamma: time constants, a number or an array of shape (H,), entries >= 1.
    - n_train: length of the training part, an int with washout + 2 <= n_train < T.
    - washout: number of initial steps whose states are not used for training (int >= 0).
    - mu: ridge penalty (> 0).

    Returns:
    - predictions: shape (T - n_train,); ``predictions[i]`` predicts ``x[n_train + i]``.
    """
    x = as_float_array(x, "x", 1)
    T = x.shape[0]
    washout = _check_int(washout, "washout", 0)
    n_train = _check_int(n_train, "n_train", washout + 2)
    if n_train >= T:
        raise ValueError(f"n_train must be smaller than T = {T} (leave a held-out part), got {n_train}")
    H = np.shape(W)[0] if np.ndim(W) == 2 else 0
    states = leaky_rnn_forward(x[None, :, None], np.zeros((1, H)), U, W, b, gamma)[0]
    V, c = ridge_readout(states[washout:n_train - 1], x[washout + 1:n_train, None], mu)
    return states[n_train - 1:T - 1] @ V[0] + c[0]


def nmse(predictions, targets):
    """Normalised mean squared error: ``mean((predictions - targets)^2) / var(targets)``.

    Inputs:
    - predictions, targets: arrays of the same shape, at least two entries.

    Returns:
    - the error as a float; 1.0 is what predicting the mean of the targets scores.
    """
    p = as_float_array(predictions, "predictions", tuple(range(1, 33)))
    y = as_float_array(targets, "targets", tuple(range(1, 33)))
    check_shape(p, "predictions", y.shape, "the shape of targets")
    if y.size < 2 or not np.var(y) > 0:
        raise ValueError("targets must have at least two entries that are not all equal")
    return float(np.mean((p - y) ** 2) / np.var(y))


def mackey_glass(T, delay=17, rate=0.2, decay=0.1, exponent=10, x0=1.2, dt=0.1, discard=500):
    """The Mackey-Glass delay differential equation, integrated numerically, one sample per unit time.

    ``dchi/dt = rate chi(t - delay) / (1 + chi(t - delay)^exponent) - decay chi(t)``, integrated
    with Euler steps of size dt from the constant history chi = x0; the first ``discard``
    samples (the transient) are dropped. delay = 17 gives the classic mildly chaotic series.

    Inputs:
    - T: number of samples to return (int >= 1).
    - delay, rate, decay, exponent, x0: the equation's delay and constants (delay a positive
      multiple of dt).
    - dt: Euler step, with 1/dt an integer.
    - discard: number of initial samples dropped (int >= 0).

    Returns:
    - x: the series, shape (T,).
    """
    T = _check_int(T, "T", 1)
    discard = _check_int(discard, "discard", 0)
    dt = _check_real(dt, "dt", 0.0, strict=True)
    per_unit = int(round(1 / dt))
    lag = int(round(delay / dt))
    if abs(per_unit * dt - 1) > 1e-9 or lag < 1:
        raise ValueError(f"1/dt must be an integer and delay >= dt, got dt={dt!r}, delay={delay!r}")
    n_steps = (T + discard) * per_unit
    x = np.empty(n_steps + lag + 1)
    x[: lag + 1] = x0
    for i in range(lag, lag + n_steps):
        delayed = x[i - lag]
        x[i + 1] = x[i] + dt * (rate * delayed / (1 + delayed**exponent) - decay * x[i])
    samples = x[lag + per_unit :: per_unit]
    return samples[discard : discard + T].copy()
