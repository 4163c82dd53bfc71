"""A trainable Neural Turing Machine (chapter 8), and the LSTM it is compared with on the copy task.

The NTM: an LSTM controller, one write head and one read head over a memory of S slots of
width M, an output layer on the controller state and the read vector. Math in column vectors,
one example, step t = 1..T (Graves, Wayne and Danihelka 2014, with the registry's renames):

    controller   h_t, C_t = LSTM([x_t; m_{t-1}], h_{t-1}, C_{t-1})          (rnncourse.gated)
    write head   a^write_t = c^write + V^write h_t, split into q_t, beta_t, zeta_t, s_t, xi_t, u_t, v_t
                 w^write_t = addressing(M_{t-1}, q_t, beta_t, zeta_t, s_t, xi_t, w^write_{t-1})
                 M_t = M_{t-1} * (1 1^T - w^write_t u_t^T) + w^write_t v_t^T
    read head    a^read_t = c^read + V^read h_t, split into q_t, beta_t, zeta_t, s_t, xi_t
                 w^read_t = addressing(M_t, ..., w^read_{t-1});  m_t = M_t^T w^read_t
    output       o_t = c + V [h_t; m_t],   yhat_t = sigma(o_t)

Each head's raw outputs are squashed into their ranges: ``beta = softplus``, ``zeta = sigma``,
the three shift weights (moves -1, 0, +1) a softmax, ``xi = 1 + softplus``, the erase vector
``u = sigma`` and the add vector ``v = tanh``. The rows of ``V_read`` (and ``c_read``) are, in
order: q (M rows), beta, zeta, the shift logits for -1, 0, +1, xi: M + 6 rows. ``V_write`` has
the same M + 6 rows followed by u (M rows) and v (M rows): 3M + 6 rows. The addressing, the
read and the write are ``rnncourse.ntm``'s functions; the controller is
``rnncourse.gated``'s LSTM step.

The start is fixed, not learned: ``h_0 = C_0 = 0``, ``m_0 = 0``, every slot of ``M_0`` holds
the constant ``MEMORY_INIT`` (so that no slot has the guarded cosine's zero norm and content
addressing starts uniform), and both heads start focused on slot 0.

The baseline (``lstm_copy_*``) is an LSTM whose output layer reads its state:
``o_t = c + V h_t``. Both models are scored by ``copy_loss``: sigmoid outputs, binary
cross-entropy summed over the scored steps and bits and averaged over the batch.

Parameters are dicts of arrays; the batch is on the rows: ``X`` (N, T, D), logits ``O``
(N, T, K). The NTM's parameters: ``U`` (4H, D + M), ``W`` (4H, H), ``b`` (4H,) of the
controller; ``V_write`` (3M + 6, H), ``c_write`` (3M + 6,); ``V_read`` (M + 6, H),
``c_read`` (M + 6,); ``V`` (K, H + M), ``c`` (K,).
"""

from __future__ import annotations


import numpy as np

from ._validate import as_float_array, check_shape
from .gated import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward
from .ntm import memory_read, memory_read_backward, memory_write, memory_write_backward
from .ntm import ntm_addressing, ntm_addressing_backward

__all__ = [
    "MEMORY_INIT",
    "SHIFTS",
    "init_ntm_params",
    "ntm_forward",
    "ntm_backward",
    "ntm_loss_and_grads",
    "init_lstm_copy_params",
    "lstm_copy_forward",
    "lstm_copy_loss_and_grads",
    "copy_loss",
    "copy_bit_errors",
    "count_params",
]

MEMORY_INIT = 1e-6  # every entry of M_0
SHIFTS = (-1, 0, 1)  # the moves a head may make; its shift weighting s_t is zero elsewhere

_HEAD = 6  # beta, zeta, three shift logits, xi
# Initial biases of the heads' gate and sharpening logits: zeta = sigma(-2) = 0.12 and
# xi = 1 + softplus(2) = 3.1. A head then starts by mostly keeping its previous focus, sharply,
# instead of blurring it over the whole memory, and a written vector lands in few slots.
ZETA_LOGIT_INIT, XI_LOGIT_INIT = -2.0, 2.0


# ---------------------------------------------------------------------------- checks

def _positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _check_rng(rng):
    if rng is None:
        return np.random.default_rng(0)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator, got a {type(rng).__name__}")
    return rng


def _check_params(params, expected):
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict from names to arrays, got a {type(params).__name__}")
    if set(params) != set(expected):
        raise ValueError(f"params has keys {sorted(params)}, expected {sorted(expected)}")
    for name, (shape, symbols) in expected.items():
        arr = as_float_array(params[name], f"params[{name!r}]", len(shape))
        check_shape(arr, f"params[{name!r}]", shape, symbols)


def _ntm_sizes(params):
    """(D, H, M, K) from the parameter shapes, then every shape checked against them."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict from names to arrays, got a {type(params).__name__}")
    for name in ("U", "W", "V_read", "V"):
        if name not in params:
            raise ValueError(f"params has no {name!r}; expected the keys of init_ntm_params")
    H = np.shape(params["W"])[-1]
    M = np.shape(params["V_read"])[0] - _HEAD
    D = np.shape(params["U"])[-1] - M
    K = np.shape(params["V"])[0]
    if H < 1 or M < 1 or D < 1 or K < 1:
        raise ValueError(f"params give H = {H}, M = {M}, D = {D}, K = {K}; each must be >= 1")
    _check_params(params, {
        "U": ((4 * H, D + M), "(4H, D + M)"), "W": ((4 * H, H), "(4H, H)"), "b": ((4 * H,), "(4H,)"),
        "V_write": ((3 * M + _HEAD, H), "(3M + 6, H)"), "c_write": ((3 * M + _HEAD,), "(3M + 6,)"),
        "V_read": ((M + _HEAD, H), "(M + 6, H)"), "c_read": ((M + _HEAD,), "(M + 6,)"),
        "V": ((K, H + M), "(K, H + M)"), "c": ((K,), "(K,)"),
    })
    return D, H, M, K


def _check_inputs(X, D):
    X = as_float_array(X, "X", 3)
    N, T, width = X.shape
    if N < 1 or T < 1:
        raise ValueError(f"X has shape {X.shape}, expected (N, T, D) with N, T >= 1")
    if width != D:
        raise ValueError(f"X has shape {X.shape}, expected (N, T, D) with D = {D} (from params['U'])")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must hold finite numbers (no inf or nan)")
    return X


def count_params(params):
    """The number of trainable numbers in a parameter dict (the sum of the arrays' sizes)."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict from names to arrays, got a {type(params).__name__}")
    return int(sum(np.size(p) for p in params.values()))


# ---------------------------------------------------------------------------- squashing

def _sigmoid(a):
    return np.exp(-np.logaddexp(0.0, -a))


def _softplus(a):
    return np.logaddexp(0.0, a)


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _head_values(raw, M, S, write):
    """Squash one head's raw outputs (N, M + 6 or 3M + 6) into its addressing (and write) arguments."""
    values = {
        "q": raw[:, :M],
        "beta": _softplus(raw[:, M]),
        "zeta": _sigmoid(raw[:, M + 1]),
        "shift": _softmax_rows(raw[:, M + 2:M + 5]),  # weights of the moves in SHIFTS
        "xi": 1.0 + _softplus(raw[:, M + 5]),
    }
    s = np.zeros((raw.shape[0], S))
    for j, k in enumerate(SHIFTS):
        s[:, k % S] += values["shift"][:, j]  # with S < 3 two moves land on one slot: their weights add
    values["s"] = s
    if write:
        values["u"] = _sigmoid(raw[:, M + _HEAD:2 * M + _HEAD])
        values["v"] = np.tanh(raw[:, 2 * M + _HEAD:])
    return values


def _head_backward(grads, raw, values, M, S):
    """Gradient on a head's raw outputs from the gradients on its squashed values."""
    draw = np.zeros_like(raw)
    draw[:, :M] = grads["q"]
    draw[:, M] = grads["beta"] * _sigmoid(raw[:, M])
    zeta = values["zeta"]
    draw[:, M + 1] = grads["zeta"] * zeta * (1.0 - zeta)
    dshift = np.stack([grads["s"][:, k % S] for k in SHIFTS], axis=1)
    shift = values["shift"]
    draw[:, M + 2:M + 5] = shift * (dshift - np.sum(shift * dshift, axis=1, keepdims=True))
    draw[:, M + 5] = grads["xi"] * _sigmoid(raw[:, M + 5])
    if "u" in values:
        u, v = values["u"], values["v"]
        draw[:, M + _HEAD:2 * M + _HEAD] = grads["u"] * u * (1.0 - u)
        draw[:, 2 * M + _HEAD:] = grads["v"] * (1.0 - v * v)
    return draw


# ---------------------------------------------------------------------------- the NTM

def init_ntm_params(D, H, S, M, K, rng=None):
    """Initial parameters of the NTM: an LSTM controller of H units, a read and a write head.

    Weights are uniform in ``±1/sqrt(fan_in)``; biases are zero except the controller's forget
    gate (1, so that the cell keeps its content at first) and each head's gate and sharpening
    logits (``ZETA_LOGIT_INIT``, ``XI_LOGIT_INIT``: a head starts near zeta = 0.12, xi = 3.1).
    S is checked but stored nowhere: the memory size is an argument of ``ntm_forward``, so one
    trained NTM can run with a larger memory.

    Inputs:
    - D: input width (ints >= 1 here and below); H: controller units; S: memory slots;
      M: slot width; K: output bits.
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns:
    - params: dict with ``U`` (4H, D + M), ``W`` (4H, H), ``b`` (4H,), ``V_write`` (3M + 6, H),
      ``c_write`` (3M + 6,), ``V_read`` (M + 6, H), ``c_read`` (M + 6,), ``V`` (K, H + M), ``c`` (K,).
    """
    D, H, S, M, K = (_positive_int(v, n) for v, n in ((D, "D"), (H, "H"), (S, "S"), (M, "M"), (K, "K")))
    rng = _check_rng(rng)

    def uniform(rows, fan_in):
        bound = 1.0 / np.sqrt(fan_in)
        return rng.uniform(-bound, bound, (rows, fan_in))

    b = np.zeros(4 * H)
    b[H:2 * H] = 1.0
    c_write, c_read = np.zeros(3 * M + _HEAD), np.zeros(M + _HEAD)
    for c_head in (c_write, c_read):
        c_head[M + 1] = ZETA_LOGIT_INIT
        c_head[M + 5] = XI_LOGIT_INIT
    return {
        "U": uniform(4 * H, D + M), "W": uniform(4 * H, H), "b": b,
        "V_write": uniform(3 * M + _HEAD, H), "c_write": c_write,
        "V_read": uniform(M + _HEAD, H), "c_read": c_read,
        "V": uniform(K, H + M), "c": np.zeros(K),
    }


def ntm_forward(X, params, S):
    """Run the NTM over a batch of sequences.

    Inputs:
    - X: inputs, shape (N, T, D).
    - params: dict as returned by ``init_ntm_params`` (shapes there).
    - S: number of memory slots (int >= 1); need not be the S of training.

    Returns a tuple of:
    - O: output logits, shape (N, T, K); ``sigmoid(O)`` are the predicted bits.
    - cache: dict of what every step computed, for ``ntm_backward`` and for figures:
      ``Hs``, ``Cs`` (N, T, H); ``Ms`` (N, T, M), the reads m_t; ``w_write``, ``w_read``
      (N, T, S), the weightings; ``memory`` (N, T + 1, S, M), with ``memory[:, 0]`` = M_0 and
      ``memory[:, t + 1]`` the memory after the write of step t; ``raw_write`` (N, T, 3M + 6)
      and ``raw_read`` (N, T, M + 6), the heads' outputs before squashing; ``X`` and ``S``.
    """
    D, H, M, K = _ntm_sizes(params)
    S = _positive_int(S, "S")
    X = _check_inputs(X, D)
    N, T, _ = X.shape
    p = params
    Hs, Cs, Ms = np.zeros((N, T, H)), np.zeros((N, T, H)), np.zeros((N, T, M))
    w_write_all, w_read_all = np.zeros((N, T, S)), np.zeros((N, T, S))
    memory_all = np.empty((N, T + 1, S, M))
    raw_write_all, raw_read_all = np.zeros((N, T, 3 * M + _HEAD)), np.zeros((N, T, M + _HEAD))
    memory_all[:, 0] = MEMORY_INIT
    h, C, m = np.zeros((N, H)), np.zeros((N, H)), np.zeros((N, M))
    w_write = w_read = np.tile(np.eye(S)[0], (N, 1))
    for t in range(T):
        h, C = lstm_step_forward(np.concatenate([X[:, t], m], axis=1), h, C, p["U"], p["W"], p["b"])
        memory = memory_all[:, t]
        raw = h @ p["V_write"].T + p["c_write"]
        hw = _head_values(raw, M, S, write=True)
        w_write = ntm_addressing(memory, hw["q"], hw["beta"], hw["zeta"], hw["s"], hw["xi"], w_write)
        memory = memory_write(memory, w_write, hw["u"], hw["v"])
        raw_write_all[:, t] = raw
        raw = h @ p["V_read"].T + p["c_read"]
        hr = _head_values(raw, M, S, write=False)
        w_read = ntm_addressing(memory, hr["q"], hr["beta"], hr["zeta"], hr["s"], hr["xi"], w_read)
        m = memory_read(memory, w_read)
        raw_read_all[:, t] = raw
        Hs[:, t], Cs[:, t], Ms[:, t] = h, C, m
        w_write_all[:, t], w_read_all[:, t], memory_all[:, t + 1] = w_write, w_read, memory
    O = np.concatenate([Hs, Ms], axis=2) @ p["V"].T + p["c"]
    cache = {"X": X, "S": S, "Hs": Hs, "Cs": Cs, "Ms": Ms, "w_write": w_write_all, "w_read": w_read_all,
             "memory": memory_all, "raw_write": raw_write_all, "raw_read": raw_read_all}
    return O, cache


def ntm_backward(dO, params, cache):
    """Backpropagation through time for ``ntm_forward``.

    Going back from the last step, each step receives the gradient on its read ``m_t`` (from the
    output and from the controller's next input), on its weightings (from the next step's
    addressing, through ``w_prev``), on the memory ``M_t`` (from this step's read and from the
    next step's write and write addressing), and on ``h_t``, ``C_t`` (from the output, the two
    heads and the next controller step). The backward passes of ``rnncourse.ntm`` and of
    ``gated.lstm_step_backward`` do the rest.

    Inputs:
    - dO: upstream gradient on the logits, shape (N, T, K).
    - params: the parameters given to ``ntm_forward``.
    - cache: the cache ``ntm_forward`` returned.

    Returns:
    - grads: dict with the keys and shapes of ``params``.
    """
    D, H, M, K = _ntm_sizes(params)
    if not isinstance(cache, dict) or "w_read" not in cache:
        raise ValueError("cache must be the dict that ntm_forward returned")
    X, S = cache["X"], cache["S"]
    N, T, _ = X.shape
    dO = as_float_array(dO, "dO", 3)
    check_shape(dO, "dO", (N, T, K), "(N, T, K)")
    p = params
    grads = {k: np.zeros_like(v, dtype=float) for k, v in p.items()}
    Hs, Cs, Ms = cache["Hs"], cache["Cs"], cache["Ms"]
    HM = np.concatenate([Hs, Ms], axis=2)
    grads["V"] = np.einsum("ntk,ntj->kj", dO, HM)
    grads["c"] = dO.sum(axis=(0, 1))
    dHM = dO @ p["V"]
    dh_out, dm_out = dHM[:, :, :H], dHM[:, :, H:]
    dh_next, dC_next = np.zeros((N, H)), np.zeros((N, H))  # through step t+1's controller
    dm_next = np.zeros((N, M))  # d m_t through step t+1's controller input
    dmemory = np.zeros((N, S, M))  # d M_t through step t+1's write
    dw_write_next, dw_read_next = np.zeros((N, S)), np.zeros((N, S))  # through step t+1's w_prev
    start = np.tile(np.eye(S)[0], (N, 1))
    for t in range(T - 1, -1, -1):
        memory_before, memory = cache["memory"][:, t], cache["memory"][:, t + 1]
        w_write_prev = cache["w_write"][:, t - 1] if t > 0 else start
        w_read_prev = cache["w_read"][:, t - 1] if t > 0 else start
        h = Hs[:, t]
        # read head: m_t = M_t^T w_read_t, w_read_t from M_t
        raw_r = cache["raw_read"][:, t]
        hr = _head_values(raw_r, M, S, write=False)
        dmem_read, dw_read = memory_read_backward(dm_out[:, t] + dm_next, memory, cache["w_read"][:, t])
        dmemory = dmemory + dmem_read
        dmem_addr, dq, dbeta, dzeta, ds, dxi, dw_read_next = ntm_addressing_backward(
            dw_read + dw_read_next, memory, hr["q"], hr["beta"], hr["zeta"], hr["s"], hr["xi"], w_read_prev)
        dmemory = dmemory + dmem_addr
        draw = _head_backward({"q": dq, "beta": dbeta, "zeta": dzeta, "s": ds, "xi": dxi}, raw_r, hr, M, S)
        grads["V_read"] += draw.T @ h
        grads["c_read"] += draw.sum(axis=0)
        dh = dh_out[:, t] + dh_next + draw @ p["V_read"]
        # write head: M_t = write(M_{t-1}, w_write_t, u_t, v_t), w_write_t from M_{t-1}
        raw_w = cache["raw_write"][:, t]
        hw = _head_values(raw_w, M, S, write=True)
        dmemory, dw_write, du, dv = memory_write_backward(dmemory, memory_before, cache["w_write"][:, t],
                                                          hw["u"], hw["v"])
        dmem_addr, dq, dbeta, dzeta, ds, dxi, dw_write_next = ntm_addressing_backward(
            dw_write + dw_write_next, memory_before, hw["q"], hw["beta"], hw["zeta"], hw["s"], hw["xi"],
            w_write_prev)
        dmemory = dmemory + dmem_addr  # now d M_{t-1} through step t
        head_grads = {"q": dq, "beta": dbeta, "zeta": dzeta, "s": ds, "xi": dxi, "u": du, "v": dv}
        draw = _head_backward(head_grads, raw_w, hw, M, S)
        grads["V_write"] += draw.T @ h
        grads["c_write"] += draw.sum(axis=0)
        dh = dh + draw @ p["V_write"]
        # controller: input [x_t; m_{t-1}]
        h_prev = Hs[:, t - 1] if t > 0 else np.zeros((N, H))
        C_prev = Cs[:, t - 1] if t > 0 else np.zeros((N, H))
        m_prev = Ms[:, t - 1] if t > 0 else np.zeros((N, M))
        x_in = np.concatenate([X[:, t], m_prev], axis=1)
        dx_in, dh_next, dC_next, dU, dW, db = lstm_step_backward(dh, dC_next, x_in, h_prev, C_prev,
                                                                 p["U"], p["W"], p["b"])
        grads["U"] += dU
        grads["W"] += dW
        grads["b"] += db
        dm_next = dx_in[:, D:]
    return grads


# ---------------------------------------------------------------------------- loss

def _check_targets(O, Y, mask):
    O = as_float_array(O, "O", 3)
    Y = as_float_array(Y, "Y", 3)
    check_shape(Y, "Y", O.shape, "(N, T, K), the shape of O")
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (O.shape[1],):
        raise ValueError(f"mask must be a bool array of shape (T,) = ({O.shape[1]},), "
                         f"got dtype {mask.dtype} and shape {mask.shape}")
    if np.any((Y != 0) & (Y != 1)):
        raise ValueError("Y must hold bits (0.0 or 1.0)")
    return O, Y, mask


def copy_loss(O, Y, mask):
    """Binary cross-entropy of sigmoid outputs, summed over the scored steps and bits, mean over N.

    ``L = (1/N) sum_n sum_{t: mask_t} sum_k [log(1 + exp(o_tk)) - y_tk o_tk]`` (in nats), the
    cross-entropy of ``yhat = sigmoid(o)`` computed without forming ``yhat``; its gradient is
    ``dL/do_tk = (sigmoid(o_tk) - y_tk) / N`` on scored steps and 0 elsewhere.

    Inputs:
    - O: logits, shape (N, T, K).
    - Y: target bits, shape (N, T, K), entries 0.0 or 1.0.
    - mask: bool array of shape (T,), True on the scored steps (as ``copy_task`` returns it).

    Returns a tuple of:
    - loss: a Python float.
    - dO: gradient on O, shape (N, T, K).
    """
    O, Y, mask = _check_targets(O, Y, mask)
    N = O.shape[0]
    scored = mask[None, :, None]
    loss = float(np.sum(np.where(scored, np.logaddexp(0.0, O) - Y * O, 0.0)) / N)
    dO = np.where(scored, _sigmoid(O) - Y, 0.0) / N
    return loss, dO


def copy_bit_errors(O, Y, mask):
    """Wrong bits per sequence on the scored steps, with the outputs thresholded at 1/2 (``O > 0``).

    Inputs:
    - O: logits, shape (N, T, K); Y: target bits, shape (N, T, K); mask: bool, shape (T,).

    Returns:
    - errors: shape (N,), the number of wrong bits of each sequence (floats).
    """
    O, Y, mask = _check_targets(O, Y, mask)
    return np.sum((O[:, mask] > 0) != (Y[:, mask] > 0.5), axis=(1, 2)).astype(float)


def ntm_loss_and_grads(X, Y, mask, params, S):
    """Copy loss of the NTM on one batch, and its gradient on every parameter.

    Inputs:
    - X: inputs, shape (N, T, D); Y: targets, shape (N, T, K); mask: bool, shape (T,).
    - params: dict as returned by ``init_ntm_params``; S: memory slots.

    Returns a tuple of:
    - loss: ``copy_loss`` of the logits, a float.
    - grads: dict with the keys and shapes of ``params``.
    - O: the logits, shape (N, T, K).
    """
    O, cache = ntm_forward(X, params, S)
    loss, dO = copy_loss(O, Y, mask)
    return loss, ntm_backward(dO, params, cache), O


# ---------------------------------------------------------------------------- the LSTM baseline

def _lstm_sizes(params):
    if not isinstance(params, dict) or "W" not in params or "U" not in params or "V" not in params:
        raise ValueError("params must be the dict of init_lstm_copy_params (keys U, W, b, V, c)")
    H = np.shape(params["W"])[-1]
    D = np.shape(params["U"])[-1]
    K = np.shape(params["V"])[0]
    if H < 1 or D < 1 or K < 1:
        raise ValueError(f"params give H = {H}, D = {D}, K = {K}; each must be >= 1")
    _check_params(params, {
        "U": ((4 * H, D), "(4H, D)"), "W": ((4 * H, H), "(4H, H)"), "b": ((4 * H,), "(4H,)"),
        "V": ((K, H), "(K, H)"), "c": ((K,), "(K,)"),
    })
    return D, H, K


def init_lstm_copy_params(D, H, K, rng=None):
    """Initial parameters of the LSTM baseline: ``o_t = c + V h_t`` on an LSTM of H units.

    Initialised as the NTM's controller and output layer (uniform in ``±1/sqrt(fan_in)``, forget
    bias 1, other biases 0).

    Inputs:
    - D: input width; H: hidden units; K: output bits (ints >= 1).
    - rng: ``numpy.random.Generator`` (default ``np.random.default_rng(0)``).

    Returns:
    - params: dict with ``U`` (4H, D), ``W`` (4H, H), ``b`` (4H,), ``V`` (K, H), ``c`` (K,).
    """
    D, H, K = (_positive_int(v, n) for v, n in ((D, "D"), (H, "H"), (K, "K")))
    rng = _check_rng(rng)
    b = np.zeros(4 * H)
    b[H:2 * H] = 1.0
    return {
        "U": rng.uniform(-1, 1, (4 * H, D)) / np.sqrt(D), "W": rng.uniform(-1, 1, (4 * H, H)) / np.sqrt(H),
        "b": b, "V": rng.uniform(-1, 1, (K, H)) / np.sqrt(H), "c": np.zeros(K),
    }


def lstm_copy_forward(X, params):
    """Logits of the LSTM baseline over a batch of sequences.

    Inputs:
    - X: inputs, shape (N, T, D).
    - params: dict as returned by ``init_lstm_copy_params``.

    Returns a tuple of:
    - O: logits, shape (N, T, K).
    - cache: dict with ``X``, ``Hs``, ``Cs`` (N, T, H) and the gates ``gates`` (N, T, 4H), for
      the backward pass.
    """
    D, H, K = _lstm_sizes(params)
    X = _check_inputs(X, D)
    N = X.shape[0]
    zeros = np.zeros((N, H))
    Hs, Cs, gates = lstm_forward(X, zeros, zeros, params["U"], params["W"], params["b"], return_cache=True)
    return Hs @ params["V"].T + params["c"], {"X": X, "Hs": Hs, "Cs": Cs, "gates": gates}


def lstm_copy_loss_and_grads(X, Y, mask, params):
    """Copy loss of the LSTM baseline on one batch, and its gradient on every parameter.

    Inputs:
    - X: inputs, shape (N, T, D); Y: targets, shape (N, T, K); mask: bool, shape (T,).
    - params: dict as returned by ``init_lstm_copy_params``.

    Returns a tuple of:
    - loss: ``copy_loss`` of the logits, a float.
    - grads: dict with the keys and shapes of ``params``.
    - O: the logits, shape (N, T, K).
    """
    O, cache = lstm_copy_forward(X, params)
    loss, dO = copy_loss(O, Y, mask)
    p = params
    N, H = O.shape[0], p["W"].shape[1]
    zeros = np.zeros((N, H))
    _, _, _, dU, dW, db = lstm_backward(dO @ p["V"], cache["X"], zeros, zeros, cache["Hs"], cache["Cs"],
                                        p["U"], p["W"], p["b"], cache=cache["gates"])
    dV = np.einsum("ntk,nth->kh", dO, cache["Hs"])
    grads = {"U": dU, "W": dW, "b": db, "V": dV, "c": dO.sum(axis=(0, 1))}
    return loss, grads, O
