"""Neural Turing Machine memory (chapter 8): addressing, reading and writing, with backward passes.

Notation (the book's notation table, ch. 8; Graves, Wayne and Danihelka 2014 with the
renames of the registry). A memory ``M_t`` holds S slots of width M; slot i is row i
(0-based). One head of one example, math in column vectors:

    content      w^c_t(i) = softmax_i( beta_t cos(q_t, M_t(i)) )         key q_t, strength beta_t >= 0
    interpolate  w^g_t    = zeta_t w^c_t + (1 - zeta_t) w_{t-1}            gate zeta_t in [0, 1]
    shift        w~_t(i)  = sum_j w^g_t(j) s_t((i - j) mod S)              shift weighting s_t
    sharpen      w_t(i)   = w~_t(i)^xi_t / sum_j w~_t(j)^xi_t              xi_t >= 1
    read         m_t      = M_t^T w_t
    write        M_t      = M_{t-1} * (1 1^T - w_t u_t^T) + w_t v_t^T      erase u_t in [0, 1]^M, add v_t

Shift convention: ``s[k]`` is the weight of moving the focus by +k slots (k taken mod S, so
``s[S-1]`` moves it by -1). A one-hot ``s`` at k is ``np.roll(w, k)``: the mass at slot j goes
to slot j + k. Some implementations use the opposite sign; this one follows eq. (8) of
Graves et al. and the book's worked example.

Code puts the batch on the rows: ``memory`` (N, S, M), ``q`` (N, M), ``beta`` (N,), weightings
(N, S), ``zeta`` and ``xi`` (N,), ``s`` (N, S), ``u``, ``v`` and the read ``m`` (N, M). Forward
functions return arrays only; each ``*_backward`` takes the upstream gradient and the forward
inputs and recomputes what it needs.

Numerical care:

- The cosine divides by guarded norms ``||x||_o = sqrt(||x||^2 + NORM_GUARD^2)``, smooth
  everywhere, so a zero key or an empty (all-zero) slot gives a similarity of 0, and a finite
  gradient, instead of 0/0.
- Both softmaxes (content, sharpening) subtract the row maximum before ``exp``; sharpening works
  on ``xi log w~`` so weights near 1e-300 neither underflow to 0/0 nor give NaN, and exact zeros
  stay zero.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape

NORM_GUARD = 1e-8  # the guard inside every norm of the cosine similarity

__all__ = [
    "NORM_GUARD",
    "cosine_similarity",
    "content_addressing",
    "content_addressing_backward",
    "interpolate_weights",
    "interpolate_weights_backward",
    "circular_shift",
    "circular_shift_backward",
    "sharpen",
    "sharpen_backward",
    "ntm_addressing",
    "ntm_addressing_backward",
    "memory_read",
    "memory_read_backward",
    "memory_write",
    "memory_write_backward",
]


# ---------------------------------------------------------------------------- validation

def _finite(arr, name):
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers (no inf or nan)")
    return arr


def _memory(memory):
    memory = _finite(as_float_array(memory, "memory", 3), "memory")
    N, S, M = memory.shape
    if N < 1 or S < 1 or M < 1:
        raise ValueError(f"memory has shape {memory.shape}, expected (N, S, M) with N, S, M >= 1")
    return memory


def _rows(arr, name, N, width, symbols):
    arr = _finite(as_float_array(arr, name, 2), name)
    check_shape(arr, name, (N, width), symbols)
    return arr


def _per_example(arr, name, N, low=None, high=None, what=""):
    arr = _finite(as_float_array(arr, name, 1), name)
    check_shape(arr, name, (N,), "(N,)")
    if (low is not None and np.any(arr < low)) or (high is not None and np.any(arr > high)):
        raise ValueError(f"{name} must be {what}, got values from {arr.min()} to {arr.max()}")
    return arr


def _weighting(w, name, N=None, S=None):
    w = _finite(as_float_array(w, name, 2), name)
    if N is not None:
        check_shape(w, name, (N, S), "(N, S)")
    elif w.shape[0] < 1 or w.shape[1] < 1:
        raise ValueError(f"{name} has shape {w.shape}, expected (N, S) with N, S >= 1")
    return w


def _dtype(*arrays):
    return np.result_type(*arrays)


# ---------------------------------------------------------------------------- content

def _guarded_norm(x):
    return np.sqrt(np.sum(x * x, axis=-1) + NORM_GUARD**2)


def _cosine_parts(memory, q):
    dot = np.einsum("nsm,nm->ns", memory, q)
    norm_memory = _guarded_norm(memory)  # (N, S)
    norm_q = _guarded_norm(q)  # (N,)
    return dot / (norm_memory * norm_q[:, None]), norm_memory, norm_q


def _softmax_rows(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cosine_similarity(memory, q):
    """Cosine similarity between a query and every slot, with guarded norms.

    ``cos(q, M(i)) = q . M(i) / (||q||_o ||M(i)||_o)`` with
    ``||x||_o = sqrt(||x||^2 + NORM_GUARD^2)``: for vectors of norm well above 1e-8 this is
    the usual cosine; a zero query or an all-zero slot gives 0.

    Inputs:
    - memory: shape (N, S, M), slot i of example n is ``memory[n, i]``.
    - q: queries, shape (N, M).

    Returns:
    - cos: shape (N, S), every entry in [-1, 1].
    """
    memory = _memory(memory)
    N, S, M = memory.shape
    q = _rows(q, "q", N, M, "(N, M)")
    return _cosine_parts(memory, q)[0]


def content_addressing(memory, q, beta):
    """Content addressing: a softmax over slots of the key strength times the cosine similarity.

    ``w^c(i) = exp(beta cos(q, M(i))) / sum_j exp(beta cos(q, M(j)))``. ``beta = 0`` gives the
    uniform weighting; a large ``beta`` concentrates the weight on the most similar slot(s).
    The exponent is shifted by its row maximum, so any finite ``beta`` is safe.

    Inputs:
    - memory: shape (N, S, M).
    - q: queries (Graves' keys), shape (N, M).
    - beta: key strengths, shape (N,), every entry >= 0.

    Returns:
    - w_c: content weighting, shape (N, S); each row is >= 0 and sums to 1.
    """
    memory = _memory(memory)
    N, S, M = memory.shape
    q = _rows(q, "q", N, M, "(N, M)")
    beta = _per_example(beta, "beta", N, low=0.0, what=">= 0 (a key strength)")
    cos = _cosine_parts(memory, q)[0]
    return _softmax_rows(beta[:, None] * cos).astype(_dtype(memory, q, beta), copy=False)


def content_addressing_backward(dw_c, memory, q, beta):
    """Backward pass of ``content_addressing``.

    With the logits ``chi = beta cos`` and ``w^c = softmax(chi)``:
    ``dchi = w^c * (dw_c - sum_j w^c_j dw_c_j)``, ``dbeta = sum_i dchi_i cos_i``, and with
    ``dcos = beta dchi``, for ``cos_i = q.M(i) / (||M(i)||_o ||q||_o)``:
    ``dM(i) = dcos_i (q / (||M(i)||_o ||q||_o) - cos_i M(i) / ||M(i)||_o^2)`` and
    ``dq = sum_i dcos_i M(i) / (||M(i)||_o ||q||_o) - (sum_i dcos_i cos_i) q / ||q||_o^2``.

    Inputs:
    - dw_c: upstream gradient on w_c, shape (N, S).
    - memory: shape (N, S, M); q: shape (N, M); beta: shape (N,) (the forward inputs).

    Returns a tuple of:
    - dmemory: shape (N, S, M).
    - dq: shape (N, M).
    - dbeta: shape (N,).
    """
    memory = _memory(memory)
    N, S, M = memory.shape
    q = _rows(q, "q", N, M, "(N, M)")
    beta = _per_example(beta, "beta", N, low=0.0, what=">= 0 (a key strength)")
    dw_c = _weighting(dw_c, "dw_c", N, S)
    cos, norm_memory, norm_q = _cosine_parts(memory, q)
    w_c = _softmax_rows(beta[:, None] * cos)
    dz = w_c * (dw_c - np.sum(w_c * dw_c, axis=1, keepdims=True))
    dbeta = np.sum(dz * cos, axis=1)
    dcos = beta[:, None] * dz  # (N, S)
    denom = norm_memory * norm_q[:, None]  # (N, S)
    dmemory = (dcos / denom)[:, :, None] * q[:, None, :] \
        - (dcos * cos / norm_memory**2)[:, :, None] * memory
    dq = np.einsum("ns,nsm->nm", dcos / denom, memory) - (np.sum(dcos * cos, axis=1) / norm_q**2)[:, None] * q
    dtype = _dtype(dw_c, memory, q, beta)
    return dmemory.astype(dtype, copy=False), dq.astype(dtype, copy=False), dbeta.astype(dtype, copy=False)


# ---------------------------------------------------------------------------- location

def interpolate_weights(w_c, w_prev, zeta):
    """Interpolation gate: ``w^g = zeta w^c + (1 - zeta) w_prev``, one gate per example.

    ``zeta = 1`` uses content alone; ``zeta = 0`` ignores content and keeps the previous
    weighting (to be shifted next).

    Inputs:
    - w_c: content weighting, shape (N, S).
    - w_prev: the head's weighting of the previous step, shape (N, S).
    - zeta: interpolation gates, shape (N,), entries in [0, 1].

    Returns:
    - w_g: gated weighting, shape (N, S).
    """
    w_c = _weighting(w_c, "w_c")
    N, S = w_c.shape
    w_prev = _weighting(w_prev, "w_prev", N, S)
    zeta = _per_example(zeta, "zeta", N, 0.0, 1.0, "in [0, 1] (a gate)")
    return zeta[:, None] * w_c + (1.0 - zeta[:, None]) * w_prev


def interpolate_weights_backward(dw_g, w_c, w_prev, zeta):
    """Backward pass of ``interpolate_weights``.

    ``dw_c = zeta dw_g``, ``dw_prev = (1 - zeta) dw_g``, ``dzeta = sum_i dw_g(i) (w_c(i) - w_prev(i))``.

    Inputs:
    - dw_g: upstream gradient, shape (N, S).
    - w_c, w_prev: shape (N, S); zeta: shape (N,) (the forward inputs).

    Returns a tuple of:
    - dw_c: shape (N, S).
    - dw_prev: shape (N, S).
    - dzeta: shape (N,).
    """
    w_c = _weighting(w_c, "w_c")
    N, S = w_c.shape
    w_prev = _weighting(w_prev, "w_prev", N, S)
    zeta = _per_example(zeta, "zeta", N, 0.0, 1.0, "in [0, 1] (a gate)")
    dw_g = _weighting(dw_g, "dw_g", N, S)
    return zeta[:, None] * dw_g, (1.0 - zeta[:, None]) * dw_g, np.sum(dw_g * (w_c - w_prev), axis=1)


def _shift_weighting(s, N, S):
    s = _weighting(s, "s", N, S)
    # A negative weight would subtract a shifted copy: the result is no longer a weighting, and
    # sharpen (which needs entries >= 0) would fail later with a message that names w_tilde.
    if np.any(s < 0):
        raise ValueError(f"s must be >= 0 (weights of shifts, usually a softmax), got a minimum of {s.min()}")
    return s


def _offsets(S):
    """offsets[i, j] = (i - j) mod S: the shift that carries slot j to slot i."""
    i = np.arange(S)
    return (i[:, None] - i[None, :]) % S


def circular_shift(w_g, s):
    """Circular convolution of a weighting with a shift weighting.

    ``w~(i) = sum_j w^g(j) s((i - j) mod S) = sum_k s(k) roll(w^g, k)(i)``: ``s[k]`` is the
    weight of moving the focus by +k slots (``s[S-1]`` moves it by -1).

    Inputs:
    - w_g: weighting to shift, shape (N, S).
    - s: shift weightings, shape (N, S), entries >= 0; ``s[n, k]`` weighs a shift by +k (mod S).
      Usually a distribution over a few shifts such as {-1, 0, +1}.

    Returns:
    - w_tilde: shifted weighting, shape (N, S).
    """
    w_g = _weighting(w_g, "w_g")
    N, S = w_g.shape
    s = _shift_weighting(s, N, S)
    used = np.flatnonzero(np.any(s != 0, axis=0))
    if 2 * len(used) < S:
        # A controller allows a few shifts (say -1, 0, +1): sum those rolls, O(N S) each,
        # instead of forming the (N, S, S) circulant matrices.
        w_tilde = np.zeros(np.broadcast_shapes(w_g.shape, s.shape), dtype=np.result_type(w_g, s))
        for k in used:
            w_tilde += s[:, k, None] * np.roll(w_g, k, axis=1)
        return w_tilde
    return np.einsum("nij,nj->ni", s[:, _offsets(S)], w_g)


def circular_shift_backward(dw_tilde, w_g, s):
    """Backward pass of ``circular_shift``.

    ``dw_g(j) = sum_i dw~(i) s((i - j) mod S)`` (the shift by -k, i.e. the transpose) and
    ``ds(k) = sum_j dw~((j + k) mod S) w^g(j)`` (a circular cross-correlation).

    Inputs:
    - dw_tilde: upstream gradient, shape (N, S).
    - w_g, s: shape (N, S) each (the forward inputs).

    Returns a tuple of:
    - dw_g: shape (N, S).
    - ds: shape (N, S).
    """
    w_g = _weighting(w_g, "w_g")
    N, S = w_g.shape
    s = _shift_weighting(s, N, S)
    dw_tilde = _weighting(dw_tilde, "dw_tilde", N, S)
    dw_g = np.einsum("nij,ni->nj", s[:, _offsets(S)], dw_tilde)
    ahead = (np.arange(S)[:, None] + np.arange(S)[None, :]) % S  # ahead[k, j] = (j + k) mod S
    ds = np.einsum("nkj,nj->nk", dw_tilde[:, ahead], w_g)
    return dw_g, ds


def _sharpen_parts(w_tilde, xi):
    """log w~ (0 where w~ = 0), the mask of positive entries, log sum_j w~_j^xi and w."""
    positive = w_tilde > 0
    log_w = np.log(np.where(positive, w_tilde, 1.0))
    z = np.where(positive, xi[:, None] * log_w, -np.inf)
    top = z.max(axis=1, keepdims=True)
    e = np.exp(z - top)  # exp(-inf) = 0 exactly: zero weights stay zero
    total = e.sum(axis=1, keepdims=True)
    return log_w, positive, top + np.log(total), e / total


def _check_sharpen(w_tilde, xi):
    w_tilde = _weighting(w_tilde, "w_tilde")
    N = w_tilde.shape[0]
    if np.any(w_tilde < 0):
        raise ValueError(f"w_tilde must be >= 0 (a weighting raised to a power), got a minimum of {w_tilde.min()}")
    if np.any(w_tilde.max(axis=1) <= 0):
        raise ValueError("w_tilde must have at least one positive entry in every row (a weighting that sums to 1)")
    xi = _per_example(xi, "xi", N, low=1.0, what=">= 1 (a sharpening exponent)")
    return w_tilde, xi


def sharpen(w_tilde, xi):
    """Sharpening: ``w(i) = w~(i)^xi / sum_j w~(j)^xi``, computed as a softmax of ``xi log w~``.

    ``xi = 1`` only renormalises; a larger ``xi`` moves weight towards the largest entries.
    Working with logarithms keeps tiny weights (1e-200 raised to a power of 3 underflows to 0
    in a naive ``w ** xi``) from turning into 0/0, and exact zeros stay exactly zero.

    Inputs:
    - w_tilde: shifted weighting, shape (N, S), entries >= 0, at least one positive per row.
    - xi: sharpening exponents, shape (N,), entries >= 1.

    Returns:
    - w: the head's weighting, shape (N, S); each row is >= 0 and sums to 1.
    """
    w_tilde, xi = _check_sharpen(w_tilde, xi)
    return _sharpen_parts(w_tilde, xi)[3].astype(_dtype(w_tilde, xi), copy=False)


def sharpen_backward(dw, w_tilde, xi):
    """Backward pass of ``sharpen``: the gradients with respect to its two inputs.

    The gradients are finite for every input that ``sharpen`` accepts, weights near 1e-300
    and exact zeros included.

    Inputs:
    - dw: upstream gradient on the sharpened weighting w, shape (N, S).
    - w_tilde: shape (N, S); xi: shape (N,) (the forward inputs).

    Returns a tuple of:
    - dw_tilde: gradient with respect to w_tilde, shape (N, S).
    - dxi: gradient with respect to xi, shape (N,).
    """
    w_tilde, xi = _check_sharpen(w_tilde, xi)
    dw = _weighting(dw, "dw", *w_tilde.shape)
    log_w, positive, log_Z, w = _sharpen_parts(w_tilde, xi)
    g = dw - np.sum(w * dw, axis=1, keepdims=True)
    dxi = np.sum(w * g * log_w, axis=1)  # log_w is 0 where w = 0: no 0 * (-inf)
    exponent = np.where(positive, (xi[:, None] - 1.0) * log_w, np.where(xi[:, None] == 1.0, 0.0, -np.inf))
    ratio = np.exp(exponent - log_Z)  # w~^(xi-1) / Z
    dw_tilde = xi[:, None] * ratio * g
    dtype = _dtype(dw, w_tilde, xi)
    return dw_tilde.astype(dtype, copy=False), dxi.astype(dtype, copy=False)


# ---------------------------------------------------------------------------- one head

def ntm_addressing(memory, q, beta, zeta, s, xi, w_prev):
    """One head's addressing: content, then interpolation, then shift, then sharpening.

    Inputs:
    - memory: shape (N, S, M).
    - q: queries, shape (N, M); beta: key strengths, shape (N,), >= 0.
    - zeta: interpolation gates, shape (N,), in [0, 1].
    - s: shift weightings, shape (N, S) (``s[n, k]`` weighs a shift by +k mod S).
    - xi: sharpening exponents, shape (N,), >= 1.
    - w_prev: the head's previous weighting, shape (N, S).

    Returns:
    - w: the new weighting, shape (N, S).
    """
    w_c = content_addressing(memory, q, beta)
    w_g = interpolate_weights(w_c, w_prev, zeta)
    w_tilde = circular_shift(w_g, s)
    return sharpen(w_tilde, xi)


def ntm_addressing_backward(dw, memory, q, beta, zeta, s, xi, w_prev):
    """Backward pass of ``ntm_addressing``: the four backward passes in reverse order.

    Inputs:
    - dw: upstream gradient on w, shape (N, S).
    - memory, q, beta, zeta, s, xi, w_prev: the forward inputs (shapes as in ``ntm_addressing``).

    Returns a tuple of:
    - dmemory: shape (N, S, M).
    - dq: shape (N, M).
    - dbeta: shape (N,).
    - dzeta: shape (N,).
    - ds: shape (N, S).
    - dxi: shape (N,).
    - dw_prev: shape (N, S).
    """
    w_c = content_addressing(memory, q, beta)
    w_g = interpolate_weights(w_c, w_prev, zeta)
    w_tilde = circular_shift(w_g, s)
    dw_tilde, dxi = sharpen_backward(dw, w_tilde, xi)
    dw_g, ds = circular_shift_backward(dw_tilde, w_g, s)
    dw_c, dw_prev, dzeta = interpolate_weights_backward(dw_g, w_c, w_prev, zeta)
    dmemory, dq, dbeta = content_addressing_backward(dw_c, memory, q, beta)
    return dmemory, dq, dbeta, dzeta, ds, dxi, dw_prev


# ---------------------------------------------------------------------------- read and write

def memory_read(memory, w):
    """Read: the convex combination of the slots that the weighting gives, ``m = M^T w``.

    Inputs:
    - memory: shape (N, S, M).
    - w: the read head's weighting, shape (N, S).

    Returns:
    - m: the read vectors, shape (N, M); ``m[n] = sum_i w[n, i] memory[n, i]``.
    """
    memory = _memory(memory)
    N, S, M = memory.shape
    w = _weighting(w, "w", N, S)
    return np.einsum("ns,nsm->nm", w, memory)


def memory_read_backward(dm, memory, w):
    """Backward pass of ``memory_read``: ``dM = w dm^T`` and ``dw = M dm``.

    Inputs:
    - dm: upstream gradient on the read vectors, shape (N, M).
    - memory: shape (N, S, M); w: shape (N, S) (the forward inputs).

    Returns a tuple of:
    - dmemory: shape (N, S, M).
    - dw: shape (N, S).
    """
    memory = _memory(memory)
    N, S, M = memory.shape
    w = _weighting(w, "w", N, S)
    dm = _rows(dm, "dm", N, M, "(N, M)")
    return w[:, :, None] * dm[:, None, :], np.einsum("nsm,nm->ns", memory, dm)


def _check_write(memory, w, u, v):
    memory = _memory(memory)
    N, S, M = memory.shape
    w = _weighting(w, "w", N, S)
    u = _rows(u, "u", N, M, "(N, M)")
    if np.any(u < 0) or np.any(u > 1):
        raise ValueError(f"u must be in [0, 1] (an erase vector), got values from {u.min()} to {u.max()}")
    v = _rows(v, "v", N, M, "(N, M)")
    return memory, w, u, v


def memory_write(memory, w, u, v):
    """Write: erase, then add. ``M_t = M_{t-1} * (1 1^T - w u^T) + w v^T``.

    Slot i loses the fraction ``w(i) u(j)`` of its entry j and gains ``w(i) v(j)``. With a
    one-hot ``w`` at slot i and ``u = 1``, slot i is replaced by ``v``.

    Inputs:
    - memory: the memory before the write, shape (N, S, M); it is not modified.
    - w: the write head's weighting, shape (N, S).
    - u: erase vectors, shape (N, M), entries in [0, 1].
    - v: add vectors, shape (N, M).

    Returns:
    - memory_new: the memory after the write, shape (N, S, M).
    """
    memory, w, u, v = _check_write(memory, w, u, v)
    return memory * (1.0 - w[:, :, None] * u[:, None, :]) + w[:, :, None] * v[:, None, :]


def memory_write_backward(dmemory_new, memory, w, u, v):
    """Backward pass of ``memory_write``.

    ``dM_{t-1} = dM_t * (1 1^T - w u^T)``,
    ``dw(i) = sum_j dM_t(i, j) (v(j) - M_{t-1}(i, j) u(j))``,
    ``du(j) = -sum_i dM_t(i, j) M_{t-1}(i, j) w(i)``, ``dv(j) = sum_i dM_t(i, j) w(i)``.

    Inputs:
    - dmemory_new: upstream gradient on the memory after the write, shape (N, S, M).
    - memory: shape (N, S, M); w: shape (N, S); u, v: shape (N, M) (the forward inputs).

    Returns a tuple of:
    - dmemory: shape (N, S, M).
    - dw: shape (N, S).
    - du: shape (N, M).
    - dv: shape (N, M).
    """
    memory, w, u, v = _check_write(memory, w, u, v)
    dmemory_new = _finite(as_float_array(dmemory_new, "dmemory_new", 3), "dmemory_new")
    check_shape(dmemory_new, "dmemory_new", memory.shape, "(N, S, M)")
    dmemory = dmemory_new * (1.0 - w[:, :, None] * u[:, None, :])
    dw = np.einsum("nsm,nm->ns", dmemory_new, v) - np.einsum("nsm,nsm,nm->ns", dmemory_new, memory, u)
    du = -np.einsum("nsm,nsm,ns->nm", dmemory_new, memory, w)
    dv = np.einsum("nsm,ns->nm", dmemory_new, w)
    return dmemory, dw, du, dv
