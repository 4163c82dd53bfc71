"""Gated units (chapter 5): the LSTM, its peephole and coupled-gate variants, and the GRU.

Notation: the notation table of the book's preface; the stacking order is the one chapter 5
derives ("The LSTM, gate by gate"). Math in column vectors:

LSTM, with the four gate blocks stacked in the order (i, f, omega, C_tilde), so that
``U`` is 4H x D, ``W`` is 4H x H and ``b`` has 4H entries:

    a_t       = b + W h_{t-1} + U x_t                  (4H: blocks a^i, a^f, a^omega, a^C~)
    i_t       = sigma(a^i_t)        f_t = sigma(a^f_t)        omega_t = sigma(a^omega_t)
    C_tilde_t = tanh(a^C~_t)
    C_t       = f_t * C_{t-1} + i_t * C_tilde_t
    h_t       = omega_t * tanh(C_t)

The three sigmoid blocks are contiguous, so the code applies sigma once to ``a[:, :3H]``
and tanh once to ``a[:, 3H:]``. The output gate is omega (o_t is the logits).

Peephole LSTM (Gers & Schmidhuber), diagonal peepholes pi^i, pi^f, pi^omega (H each):
``i_t = sigma(a^i_t + pi^i * C_{t-1})``, ``f_t = sigma(a^f_t + pi^f * C_{t-1})``, and the
output gate looks at the *new* cell, ``omega_t = sigma(a^omega_t + pi^omega * C_t)``.

Coupled LSTM: no input gate, blocks (f, omega, C_tilde), 3H rows;
``C_t = f_t * C_{t-1} + (1 - f_t) * C_tilde_t``.

GRU, blocks (r, z, h_tilde), 3H rows, the reset applied *after* the recurrent product
(the cuDNN/PyTorch form, one fused product per step):

    r_t, z_t  = sigma(rows 0:2H of b + U x_t + W h_{t-1})
    h_tilde_t = tanh(b^h~ + U^h~ x_t + r_t * (W^h~ h_{t-1}))
    h_t       = (1 - z_t) * h_{t-1} + z_t * h_tilde_t

``gru_cho_step_forward`` is Cho et al.'s form, ``tanh(b^h~ + U^h~ x_t + W^h~ (r_t * h_{t-1}))``.
The two differ in general, but agree when all entries of r_t are equal (r_t = 1 is one case),
when W^h~ is diagonal (as for H = 1), when h_{t-1} = 0, and, in h_t, wherever z_t = 0
(chapter 5 checks each case).

Code keeps the math's parameter shapes with the batch on the rows:
``a = x @ U.T + h_prev @ W.T + b``. Forward functions return arrays; backward functions
take the inputs and the stored states (``Hs``, ``Cs``) and recompute the gates they need,
which is why they take ``b`` as well. ``lstm_forward`` and ``gru_forward`` can also return
their gates (``return_cache=True``), and the backward passes then use them (``cache=``)
instead of recomputing: 4H more numbers stored per step and example, one (GRU: two) large
matrix product saved. This is chapter 2's memory-for-time trade, made at the caller's choice.

Speed: the sequence functions check their inputs once, compute the input term
``XU = X @ U.T + b`` of every step in one product, do one fused product per step for all
gates into preallocated buffers, and keep float32 inputs in float32. The LSTM's sequence
passes work in columns inside (step t of all examples is an (H, N) slab, as in the math), so
that every gate block is contiguous. Without a cache, the backward passes recompute all gates
without a loop (for the LSTMs one large product ``[U W] [x_t; h_{t-1}]`` over all N*T
columns, for the GRU two, since the reset multiplies ``W^h~ h_{t-1}`` alone), leave only
``dh_{t-1} = ... + W^T da_t`` and the elementwise products of one step in the loop over
time, and get ``dU`` and ``dW`` from one large product after it.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_shape
from .rnn import input_projection

__all__ = [
    "lstm_step_forward",
    "lstm_step_backward",
    "lstm_forward",
    "lstm_backward",
    "lstm_gradient_norms_through_time",
    "peephole_lstm_step_forward",
    "peephole_lstm_step_backward",
    "peephole_lstm_forward",
    "peephole_lstm_backward",
    "coupled_lstm_step_forward",
    "coupled_lstm_forward",
    "gru_step_forward",
    "gru_step_backward",
    "gru_forward",
    "gru_backward",
    "gru_cho_step_forward",
    "cell_gradient_decay_rate",
]


# ------------------------------------------------------------------ checks


def _check_params(U, W, b, G, D, H, label):
    """Check stacked parameters of G gate blocks; ``label`` spells G*H, e.g. "4H"."""
    U = as_float_array(U, "U", 2)
    W = as_float_array(W, "W", 2)
    b = as_float_array(b, "b", 1)
    check_shape(W, "W", (G * H, H), f"({label}, H)")
    check_shape(U, "U", (G * H, D), f"({label}, D)")
    check_shape(b, "b", (G * H,), f"({label},)")
    return U, W, b


def _check_peepholes(pi_i, pi_f, pi_omega, H):
    out = []
    for name, pi in (("pi_i", pi_i), ("pi_f", pi_f), ("pi_omega", pi_omega)):
        pi = as_float_array(pi, name, 1)
        check_shape(pi, name, (H,), "(H,)")
        out.append(pi)
    return out


def _check_step(x, states, U, W, b, G, label):
    """Check one step's input ``x`` (N, D), states [(array, name)] of shape (N, H), and parameters."""
    x = as_float_array(x, "x", 2)
    arrays = [as_float_array(s, name, 2) for s, name in states]
    N, D = x.shape
    H = arrays[0].shape[1]
    for s, (_, name) in zip(arrays, states):
        check_shape(s, name, (N, H), "(N, H)")
    U, W, b = _check_params(U, W, b, G, D, H, label)
    return x, arrays, U, W, b


def _check_sequence(X, states, U, W, b, G, label):
    """Check a sequence ``X`` (N, T, D) with T >= 1, initial states (N, H), and parameters."""
    X = as_float_array(X, "X", 3)
    if X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    arrays = [as_float_array(s, name, 2) for s, name in states]
    N, _, D = X.shape
    H = arrays[0].shape[1]
    for s, (_, name) in zip(arrays, states):
        check_shape(s, name, (N, H), "(N, H)")
    U, W, b = _check_params(U, W, b, G, D, H, label)
    return X, arrays, U, W, b


def _check_stored(arrays, shape, label="(N, T, H)"):
    """Check stored per-step arrays [(array, name)] such as dHs, Hs, Cs against (N, T, H)."""
    out = []
    for arr, name in arrays:
        arr = as_float_array(arr, name, 3)
        check_shape(arr, name, shape, label)
        out.append(arr)
    return out


# -------------------------------------------------------- shared pieces


def _sigmoid(a, out=None):
    # sigma(a) = (1 + tanh(a/2)) / 2 exactly; tanh never overflows, so this is stable for
    # any a without the two-branch form, and it works in place on a slice of a buffer.
    out = np.empty_like(a) if out is None else out
    np.multiply(a, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def _previous(first, Ss):
    """The states the steps start from: ``[first, Ss[:, 0], ..., Ss[:, T-2]]``, shape (N, T, H)."""
    return np.concatenate([first[:, None, :], Ss[:, :-1]], axis=1)


def _stacked_inputs(X, h0, Hs, U, W, dtype):
    """``XH = [x_t; h_{t-1}]`` for every step, (N, T, D+H), and ``UW = [U W]``, (G*H, D+H)."""
    XH = np.concatenate([X.astype(dtype, copy=False), _previous(h0, Hs).astype(dtype, copy=False)], axis=2)
    UW = np.concatenate([U, W], axis=1).astype(dtype, copy=False)
    return XH, UW


def _rows_product(XH, UW, b):
    """``XH @ UW.T + b`` over all N*T rows, shape (N, T, G*H)."""
    N, T, _ = XH.shape
    A = _rows(XH) @ UW.T
    A += b
    return A.reshape(N, T, -1)


def _split_columns(M, D):
    """Split ``[dU dW]`` (G*H, D+H) into contiguous ``dU`` (G*H, D) and ``dW`` (G*H, H)."""
    return np.ascontiguousarray(M[:, :D]), np.ascontiguousarray(M[:, D:])


def _rows(A):
    """View (N, T, K) as (N*T, K): each (example, step) is one row of a matrix product."""
    return A.reshape(-1, A.shape[-1])


def _columns(A):
    """(N, T, K) as a contiguous (T, K, N): step t is ``A[:, t].T``, one column per example."""
    return np.ascontiguousarray(A.transpose(1, 2, 0))


def _batch_major(A):
    """The inverse of ``_columns``: (T, K, N) as a contiguous (N, T, K)."""
    return np.ascontiguousarray(A.transpose(2, 0, 1))


def _step_columns(A):
    """(T, K, N) as (K, T*N): every (step, example) one column of a matrix product."""
    T, K, N = A.shape
    return A.transpose(1, 0, 2).reshape(K, T * N)


# ------------------------------------------------------------------ LSTM


def _lstm_cell(xu, h_prev, C_prev, W, a, h_next, C_next, tanh_C):
    """One LSTM step without checks, in columns (the math's orientation), into the caller's buffers.

    ``xu`` (4H, N) is this step's ``U x + b`` for the N examples; ``a`` (4H, N) receives the
    gates (i, f, omega, C_tilde); ``h_next``, ``C_next``, ``tanh_C`` (H, N) receive the outputs.
    Columns keep each gate block a contiguous (H, N) slab, which makes the elementwise
    products of a step about three times cheaper than on the column blocks of an (N, 4H) row.
    """
    H = h_prev.shape[0]
    np.matmul(W, h_prev, out=a)  # the one product of the step, for all four gates
    a += xu
    _sigmoid(a[: 3 * H], out=a[: 3 * H])
    np.tanh(a[3 * H :], out=a[3 * H :])
    i, f, omega, C_tilde = a[:H], a[H : 2 * H], a[2 * H : 3 * H], a[3 * H :]
    np.multiply(f, C_prev, out=C_next)
    np.multiply(i, C_tilde, out=tanh_C)  # tanh_C is scratch until the next line
    C_next += tanh_C
    np.tanh(C_next, out=tanh_C)
    np.multiply(omega, tanh_C, out=h_next)


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    """One LSTM step: gates from ``a = b + W h_prev + U x``, then the new cell and state.

    Inputs:
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - C_prev: cell state from the previous step, shape (N, H).
    - U: stacked input weights, shape (4H, D), row blocks (i, f, omega, C_tilde).
    - W: stacked recurrent weights, shape (4H, H), same order.
    - b: stacked bias, shape (4H,), same order.

    Returns a tuple of:
    - h_next: the new hidden state ``omega * tanh(C_next)``, shape (N, H).
    - C_next: the new cell state ``f * C_prev + i * C_tilde``, shape (N, H).
    """
    x, (h_prev, C_prev), U, W, b = _check_step(x, [(h_prev, "h_prev"), (C_prev, "C_prev")], U, W, b, 4, "4H")
    N, H = h_prev.shape
    dtype = np.result_type(x, h_prev, C_prev, U, W, b)
    a = np.empty((4 * H, N), dtype=dtype)
    h_next, C_next, tanh_C = (np.empty((N, H), dtype=dtype) for _ in range(3))
    _lstm_cell((x @ U.T + b).T, h_prev.T, C_prev.T, W, a, h_next.T, C_next.T, tanh_C.T)
    return h_next, C_next


def lstm_forward(X, h0, C0, U, W, b, return_cache=False):
    """Run the LSTM over a whole sequence, with the same U, W, b at every step.

    Inputs:
    - X: input sequence, shape (N, T, D); ``X[:, t]`` is the input at step t.
    - h0: initial hidden state, shape (N, H).
    - C0: initial cell state, shape (N, H).
    - U: stacked input weights, shape (4H, D), row blocks (i, f, omega, C_tilde).
    - W: stacked recurrent weights, shape (4H, H).
    - b: stacked bias, shape (4H,).
    - return_cache: if True, also return the gates of every step, so that ``lstm_backward``
      need not recompute them (the usual trade of memory, 4H numbers per step and example,
      for time, one large matrix product).

    Returns a tuple of:
    - Hs: hidden states of every step, shape (N, T, H); ``Hs[:, t]`` is the state after
      reading ``X[:, t]`` (h0 is not included).
    - Cs: cell states of every step, shape (N, T, H) (C0 is not included).
    - cache (only if return_cache): the gates (i, f, omega, C_tilde) of every step after
      their nonlinearities, shape (N, T, 4H).
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 4, "4H")
    N, T, _ = X.shape
    H = h0.shape[1]
    dtype = np.result_type(X, h0, C0, U, W, b)
    XU = _columns(input_projection(X, U, b, dtype))  # (T, 4H, N)
    W = W.astype(dtype, copy=False)
    Hs = np.empty((T, H, N), dtype=dtype)  # column layout inside; (N, T, H) outside
    Cs = np.empty((T, H, N), dtype=dtype)
    gates = np.empty((T, 4 * H, N), dtype=dtype) if return_cache else None
    a = np.empty((4 * H, N), dtype=dtype)
    tanh_C = np.empty((H, N), dtype=dtype)
    h, C = h0.T, C0.T
    for t in range(T):
        _lstm_cell(XU[t], h, C, W, a if gates is None else gates[t], Hs[t], Cs[t], tanh_C)
        h, C = Hs[t], Cs[t]
    Hs, Cs = _batch_major(Hs), _batch_major(Cs)
    # The cache is handed back as a (N, T, 4H) view of the column buffer, which lstm_backward
    # turns back into columns without a copy.
    return (Hs, Cs, gates.transpose(2, 0, 1)) if return_cache else (Hs, Cs)


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    """Backward pass of one LSTM step (``lstm_step_forward``).

    The gates are recomputed from the inputs. With ``dh = dh_next`` and the total cell
    gradient ``dC = dC_next + dh * omega * (1 - tanh(C_next)^2)``:

        da^i = dC * C_tilde * i (1 - i)        da^f = dC * C_prev * f (1 - f)
        da^omega = dh * tanh(C_next) * omega (1 - omega)
        da^C~ = dC * i * (1 - C_tilde^2)       dC_prev = dC * f
        dx = da U,  dh_prev = da W,  dU = da^T x,  dW = da^T h_prev,  db = sum of da

    Inputs:
    - dh_next: upstream gradient on h_next, shape (N, H).
    - dC_next: upstream gradient on C_next (from the next step's cell), shape (N, H).
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - C_prev: cell state from the previous step, shape (N, H).
    - U: stacked input weights, shape (4H, D).
    - W: stacked recurrent weights, shape (4H, H).
    - b: stacked bias, shape (4H,).

    Returns a tuple of:
    - dx: gradient with respect to x, shape (N, D).
    - dh_prev: gradient with respect to h_prev, shape (N, H).
    - dC_prev: gradient with respect to C_prev, shape (N, H).
    - dU: gradient with respect to U, shape (4H, D), summed over the batch.
    - dW: gradient with respect to W, shape (4H, H), summed over the batch.
    - db: gradient with respect to b, shape (4H,), summed over the batch.
    """
    states = [(h_prev, "h_prev"), (C_prev, "C_prev"), (dh_next, "dh_next"), (dC_next, "dC_next")]
    x, (h_prev, C_prev, dh, dC_next), U, W, b = _check_step(x, states, U, W, b, 4, "4H")
    H = h_prev.shape[1]
    a = x @ U.T + h_prev @ W.T + b
    i, f, omega = (_sigmoid(a[:, k * H : (k + 1) * H]) for k in range(3))
    C_tilde = np.tanh(a[:, 3 * H :])
    tanh_C = np.tanh(f * C_prev + i * C_tilde)
    dC = dC_next + dh * omega * (1 - tanh_C**2)
    da = np.concatenate(
        [
            dC * C_tilde * i * (1 - i),
            dC * C_prev * f * (1 - f),
            dh * tanh_C * omega * (1 - omega),
            dC * i * (1 - C_tilde**2),
        ],
        axis=1,
    )
    return da @ U, da @ W, dC * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)


def lstm_backward(dHs, X, h0, C0, Hs, Cs, U, W, b, dC_T=None, cache=None):
    """Backpropagation through time for ``lstm_forward``.

    ``dHs[:, t]`` is the gradient of the loss on ``Hs[:, t]`` through the outputs only; the
    function adds the paths through the later states, from the last step back to the first.
    The cell is the "conveyor belt": from one step to the one before, its gradient is only
    multiplied by the forget gate, ``dC_{t-1} = f_t * dC_t`` (plus what enters through h).

    Inputs:
    - dHs: upstream gradients on every hidden state, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - C0: initial cell state, shape (N, H).
    - Hs: hidden states returned by lstm_forward, shape (N, T, H).
    - Cs: cell states returned by lstm_forward, shape (N, T, H).
    - U: stacked input weights, shape (4H, D).
    - W: stacked recurrent weights, shape (4H, H).
    - b: stacked bias, shape (4H,); needed because the gates are recomputed.
    - dC_T: optional upstream gradient on the last cell state ``Cs[:, -1]`` (for instance
      when it initialises a decoder), shape (N, H); None means zero.
    - cache: optional gates from ``lstm_forward(..., return_cache=True)``, shape (N, T, 4H);
      None recomputes them from X, h0 and Hs.

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T, D).
    - dh0: gradient with respect to h0, shape (N, H).
    - dC0: gradient with respect to C0, shape (N, H).
    - dU: gradient with respect to U, shape (4H, D).
    - dW: gradient with respect to W, shape (4H, H).
    - db: gradient with respect to b, shape (4H,).
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 4, "4H")
    N, T, D = X.shape
    H = h0.shape[1]
    dHs, Hs, Cs = _check_stored([(dHs, "dHs"), (Hs, "Hs"), (Cs, "Cs")], (N, T, H))
    dtype = np.result_type(dHs, X, h0, C0, Hs, Cs, U, W, b)
    dC_carry = np.zeros((H, N), dtype=dtype)  # dL/dC_t through C_{t+1}, in columns
    if dC_T is not None:
        dC_T = as_float_array(dC_T, "dC_T", 2)
        check_shape(dC_T, "dC_T", (N, H), "(N, H)")
        dC_carry += dC_T.T

    # [x_t; h_{t-1}] of every step and example as the columns of one (D+H, T*N) matrix.
    XH = np.concatenate([_columns(X.astype(dtype, copy=False)), _columns(_previous(h0, Hs).astype(dtype, copy=False))], axis=1)
    XH = _step_columns(XH)
    if cache is None:
        # Recompute every gate of every step at once, a_t = b + [U W] [x_t; h_{t-1}] for all
        # T*N columns in one large product (the decks' W [h_{t-1}, x_t] form), no loop.
        UW = np.concatenate([U, W], axis=1).astype(dtype, copy=False)
        A = UW @ XH
        A += b[:, None]
        A = np.ascontiguousarray(A.reshape(4 * H, T, N).transpose(1, 0, 2))  # (T, 4H, N)
        _sigmoid(A[:, : 3 * H], out=A[:, : 3 * H])
        np.tanh(A[:, 3 * H :], out=A[:, 3 * H :])
    else:
        (cache,) = _check_stored([(cache, "cache")], (N, T, 4 * H), "(N, T, 4H)")
        A = _columns(cache)  # no copy for the cache lstm_forward returns
    Cs = _columns(Cs)
    dHs = _columns(dHs)
    tanh_C = np.tanh(Cs)

    # The loop is lstm_step_backward's equations in columns, with the gates read from A.
    dA = np.empty((T, 4 * H, N), dtype=dtype)
    dh_rec = np.zeros((H, N), dtype=dtype)  # dL/dh_t through step t+1
    dh, dC, scratch = (np.empty((H, N), dtype=dtype) for _ in range(3))
    W_T = np.ascontiguousarray(W.T, dtype=dtype)
    for t in range(T - 1, -1, -1):
        i, f, omega, C_tilde = A[t, :H], A[t, H : 2 * H], A[t, 2 * H : 3 * H], A[t, 3 * H :]
        C_prev = Cs[t - 1] if t > 0 else C0.T
        da = dA[t]
        np.add(dHs[t], dh_rec, out=dh)
        # dC = dC_carry + dh * omega * (1 - tanh(C_t)^2)
        np.multiply(tanh_C[t], tanh_C[t], out=scratch)
        np.subtract(1, scratch, out=scratch)
        scratch *= omega
        np.multiply(scratch, dh, out=dC)
        dC += dC_carry
        # da^i = dC * C_tilde * i (1 - i)
        np.subtract(1, i, out=scratch)
        scratch *= i
        scratch *= C_tilde
        np.multiply(scratch, dC, out=da[:H])
        # da^f = dC * C_prev * f (1 - f)
        np.subtract(1, f, out=scratch)
        scratch *= f
        scratch *= C_prev
        np.multiply(scratch, dC, out=da[H : 2 * H])
        # da^omega = dh * tanh(C_t) * omega (1 - omega)
        np.subtract(1, omega, out=scratch)
        scratch *= omega
        scratch *= tanh_C[t]
        np.multiply(scratch, dh, out=da[2 * H : 3 * H])
        # da^C~ = dC * i * (1 - C_tilde^2)
        np.multiply(C_tilde, C_tilde, out=scratch)
        np.subtract(1, scratch, out=scratch)
        scratch *= i
        np.multiply(scratch, dC, out=da[3 * H :])
        np.multiply(dC, f, out=dC_carry)  # the conveyor belt: dC_{t-1} = f_t * dC_t + ...
        np.matmul(W_T, da, out=dh_rec)

    dA = _step_columns(dA)  # (4H, T*N)
    dX = _batch_major((U.T.astype(dtype, copy=False) @ dA).reshape(D, T, N).transpose(1, 0, 2))
    dUW = dA @ XH.T  # [dU dW] in one product
    return dX, dh_rec.T.copy(), dC_carry.T.copy(), dUW[:, :D].copy(), dUW[:, D:].copy(), dA.sum(axis=1)


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    """The norms of the total gradients ``dL/dh_t`` and ``dL/dC_t`` on every state of an LSTM.

    The LSTM counterpart of ``gradient_norms_through_time`` (chapter 3). The loss is
    ``L = sum_t <dHs[:, t], h_t>``; the total gradient on a state counts every path from that
    state to the loss, through its own output and through all the later steps, so
    ``||dL/dC_t||`` measures how much of a late loss still reaches an early cell.

    Inputs:
    - dHs: upstream gradients on every hidden state from the outputs, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0, C0: initial hidden and cell states, shape (N, H) each.
    - Hs, Cs: hidden and cell states after every step (lstm_step_forward applied at each t), shape (N, T, H) each.
    - U: stacked input weights, shape (4H, D).
    - W: stacked recurrent weights, shape (4H, H).
    - b: stacked bias, shape (4H,).

    Returns a tuple of:
    - h_norms: shape (N, T); ``h_norms[n, t]`` is the norm of the total dL/dHs[n, t].
    - C_norms: shape (N, T); ``C_norms[n, t]`` is the norm of the total dL/dCs[n, t].
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 4, "4H")
    N, T, _ = X.shape
    H = h0.shape[1]
    dHs, Hs, Cs = _check_stored([(dHs, "dHs"), (Hs, "Hs"), (Cs, "Cs")], (N, T, H))
    dtype = np.result_type(dHs, X, h0, C0, Hs, Cs, U, W, b)
    h_norms = np.empty((N, T), dtype=dtype)
    C_norms = np.empty((N, T), dtype=dtype)
    dh_rec = np.zeros((N, H), dtype=dtype)  # dL/dh_t through step t+1
    dC_rec = np.zeros((N, H), dtype=dtype)  # dL/dC_t through step t+1
    for t in range(T - 1, -1, -1):
        h_prev = Hs[:, t - 1] if t > 0 else h0
        C_prev = Cs[:, t - 1] if t > 0 else C0
        dh = dHs[:, t] + dh_rec
        # The total on C_t adds the path through h_t = omega_t * tanh(C_t).
        a_omega = X[:, t] @ U[2 * H : 3 * H].T + h_prev @ W[2 * H : 3 * H].T + b[2 * H : 3 * H]
        dC = dC_rec + dh * _sigmoid(a_omega) * (1 - np.tanh(Cs[:, t]) ** 2)
        h_norms[:, t] = np.sqrt(np.sum(dh * dh, axis=1))
        C_norms[:, t] = np.sqrt(np.sum(dC * dC, axis=1))
        _, dh_rec, dC_rec, _, _, _ = lstm_step_backward(dh, dC_rec, X[:, t], h_prev, C_prev, U, W, b)
    return h_norms, C_norms


# ------------------------------------------------------- peephole LSTM


def _peephole_cell(xu, h_prev, C_prev, W, pi_i, pi_f, pi_omega, a, h_next, C_next, tanh_C):
    """One peephole-LSTM step without checks, writing into the caller's buffers (as ``_lstm_cell``)."""
    H = h_prev.shape[1]
    np.matmul(h_prev, W.T, out=a)
    a += xu
    np.multiply(pi_i, C_prev, out=tanh_C)  # tanh_C is scratch until the cell is known
    a[:, :H] += tanh_C
    np.multiply(pi_f, C_prev, out=tanh_C)
    a[:, H : 2 * H] += tanh_C
    _sigmoid(a[:, : 2 * H], out=a[:, : 2 * H])
    np.tanh(a[:, 3 * H :], out=a[:, 3 * H :])
    i, f, C_tilde = a[:, :H], a[:, H : 2 * H], a[:, 3 * H :]
    np.multiply(f, C_prev, out=C_next)
    np.multiply(i, C_tilde, out=tanh_C)
    C_next += tanh_C
    # The output gate looks at the new cell, so it comes after it.
    np.multiply(pi_omega, C_next, out=tanh_C)
    a[:, 2 * H : 3 * H] += tanh_C
    omega = _sigmoid(a[:, 2 * H : 3 * H], out=a[:, 2 * H : 3 * H])
    np.tanh(C_next, out=tanh_C)
    np.multiply(omega, tanh_C, out=h_next)


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    """One step of the LSTM with diagonal peepholes (Gers & Schmidhuber).

    ``i = sigma(a^i + pi_i * C_prev)``, ``f = sigma(a^f + pi_f * C_prev)``,
    ``C_next = f * C_prev + i * C_tilde``, ``omega = sigma(a^omega + pi_omega * C_next)``
    (the output gate sees the new cell), ``h_next = omega * tanh(C_next)``.

    Inputs:
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - C_prev: cell state from the previous step, shape (N, H).
    - U: stacked input weights, shape (4H, D), row blocks (i, f, omega, C_tilde).
    - W: stacked recurrent weights, shape (4H, H).
    - b: stacked bias, shape (4H,).
    - pi_i, pi_f, pi_omega: peephole weights of the input, forget and output gates, shape (H,) each.

    Returns a tuple of:
    - h_next: the new hidden state, shape (N, H).
    - C_next: the new cell state, shape (N, H).
    """
    x, (h_prev, C_prev), U, W, b = _check_step(x, [(h_prev, "h_prev"), (C_prev, "C_prev")], U, W, b, 4, "4H")
    N, H = h_prev.shape
    pi_i, pi_f, pi_omega = _check_peepholes(pi_i, pi_f, pi_omega, H)
    dtype = np.result_type(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega)
    a = np.empty((N, 4 * H), dtype=dtype)
    h_next, C_next, tanh_C = (np.empty((N, H), dtype=dtype) for _ in range(3))
    _peephole_cell(x @ U.T + b, h_prev, C_prev, W, pi_i, pi_f, pi_omega, a, h_next, C_next, tanh_C)
    return h_next, C_next


def peephole_lstm_forward(X, h0, C0, U, W, b, pi_i, pi_f, pi_omega):
    """Run the peephole LSTM over a whole sequence.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0, C0: initial hidden and cell states, shape (N, H) each.
    - U, W, b: stacked parameters, shapes (4H, D), (4H, H), (4H,), blocks (i, f, omega, C_tilde).
    - pi_i, pi_f, pi_omega: peephole weights, shape (H,) each.

    Returns a tuple of:
    - Hs: hidden states of every step, shape (N, T, H).
    - Cs: cell states of every step, shape (N, T, H).
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 4, "4H")
    N, T, _ = X.shape
    H = h0.shape[1]
    pi_i, pi_f, pi_omega = _check_peepholes(pi_i, pi_f, pi_omega, H)
    dtype = np.result_type(X, h0, C0, U, W, b, pi_i, pi_f, pi_omega)
    XU = input_projection(X, U, b, dtype)
    W, pi_i, pi_f, pi_omega = (p.astype(dtype, copy=False) for p in (W, pi_i, pi_f, pi_omega))
    Hs = np.empty((N, T, H), dtype=dtype)
    Cs = np.empty((N, T, H), dtype=dtype)
    a = np.empty((N, 4 * H), dtype=dtype)
    tanh_C = np.empty((N, H), dtype=dtype)
    h, C = h0, C0
    for t in range(T):
        _peephole_cell(XU[:, t], h, C, W, pi_i, pi_f, pi_omega, a, Hs[:, t], Cs[:, t], tanh_C)
        h, C = Hs[:, t], Cs[:, t]
    return Hs, Cs


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    """Backward pass of one peephole-LSTM step (``peephole_lstm_step_forward``).

    ``dh_next`` and ``dC_next`` are the gradients of a scalar loss L on ``h_next`` and
    ``C_next`` (``dC_next`` the part that reaches the new cell from later steps, not through
    ``h_next``); the function returns the gradients of L on the step's inputs and parameters.

    Inputs:
    - dh_next: upstream gradient on h_next, shape (N, H).
    - dC_next: upstream gradient on C_next from the next step's cell, shape (N, H).
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - C_prev: cell state from the previous step, shape (N, H).
    - U: stacked input weights, shape (4H, D), row blocks (i, f, omega, C_tilde).
    - W: stacked recurrent weights, shape (4H, H), same order.
    - b: stacked bias, shape (4H,), same order.
    - pi_i, pi_f, pi_omega: peephole weights of the input, forget and output gates, shape (H,) each.

    Returns a tuple of:
    - dx: gradient with respect to x, shape (N, D).
    - dh_prev: gradient with respect to h_prev, shape (N, H).
    - dC_prev: gradient with respect to C_prev, shape (N, H).
    - dU: gradient with respect to U, shape (4H, D), summed over the batch.
    - dW: gradient with respect to W, shape (4H, H), summed over the batch.
    - db: gradient with respect to b, shape (4H,), summed over the batch.
    - dpi_i: gradient with respect to pi_i, shape (H,), summed over the batch.
    - dpi_f: gradient with respect to pi_f, shape (H,), summed over the batch.
    - dpi_omega: gradient with respect to pi_omega, shape (H,), summed over the batch.
    """
    states = [(h_prev, "h_prev"), (C_prev, "C_prev"), (dh_next, "dh_next"), (dC_next, "dC_next")]
    x, (h_prev, C_prev, dh, dC_next), U, W, b = _check_step(x, states, U, W, b, 4, "4H")
    H = h_prev.shape[1]
    pi_i, pi_f, pi_omega = _check_peepholes(pi_i, pi_f, pi_omega, H)
    a = x @ U.T + h_prev @ W.T + b
    i = _sigmoid(a[:, :H] + pi_i * C_prev)
    f = _sigmoid(a[:, H : 2 * H] + pi_f * C_prev)
    C_tilde = np.tanh(a[:, 3 * H :])
    C_next = f * C_prev + i * C_tilde
    omega = _sigmoid(a[:, 2 * H : 3 * H] + pi_omega * C_next)
    tanh_C = np.tanh(C_next)
    da_omega = dh * tanh_C * omega * (1 - omega)
    dC = dC_next + dh * omega * (1 - tanh_C**2) + da_omega * pi_omega
    da_i = dC * C_tilde * i * (1 - i)
    da_f = dC * C_prev * f * (1 - f)
    da = np.concatenate([da_i, da_f, da_omega, dC * i * (1 - C_tilde**2)], axis=1)
    dC_prev = dC * f + da_i * pi_i + da_f * pi_f
    dpis = (da_i * C_prev).sum(axis=0), (da_f * C_prev).sum(axis=0), (da_omega * C_next).sum(axis=0)
    return (da @ U, da @ W, dC_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0)) + dpis


def peephole_lstm_backward(dHs, X, h0, C0, Hs, Cs, U, W, b, pi_i, pi_f, pi_omega, dC_T=None):
    """Backpropagation through time for ``peephole_lstm_forward``.

    Inputs:
    - dHs: upstream gradients on every hidden state, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0, C0: initial states, shape (N, H) each.
    - Hs, Cs: states returned by peephole_lstm_forward, shape (N, T, H) each.
    - U, W, b: stacked parameters, shapes (4H, D), (4H, H), (4H,).
    - pi_i, pi_f, pi_omega: peephole weights, shape (H,) each.
    - dC_T: optional upstream gradient on the last cell state, shape (N, H); None means zero.

    Returns a tuple of:
    - dX: shape (N, T, D); dh0: shape (N, H); dC0: shape (N, H).
    - dU: shape (4H, D); dW: shape (4H, H); db: shape (4H,).
    - dpi_i, dpi_f, dpi_omega: shape (H,) each.
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 4, "4H")
    N, T, D = X.shape
    H = h0.shape[1]
    pi_i, pi_f, pi_omega = _check_peepholes(pi_i, pi_f, pi_omega, H)
    dHs, Hs, Cs = _check_stored([(dHs, "dHs"), (Hs, "Hs"), (Cs, "Cs")], (N, T, H))
    dtype = np.result_type(dHs, X, h0, C0, Hs, Cs, U, W, b, pi_i, pi_f, pi_omega)
    dC_carry = np.zeros((N, H), dtype=dtype)
    if dC_T is not None:
        dC_T = as_float_array(dC_T, "dC_T", 2)
        check_shape(dC_T, "dC_T", (N, H), "(N, H)")
        dC_carry += dC_T

    XH, UW = _stacked_inputs(X, h0, Hs, U, W, dtype)
    A = _rows_product(XH, UW, b)
    C_prev = _previous(C0, Cs)
    A[..., :H] += pi_i * C_prev
    A[..., H : 2 * H] += pi_f * C_prev
    A[..., 2 * H : 3 * H] += pi_omega * Cs
    _sigmoid(A[..., : 3 * H], out=A[..., : 3 * H])
    np.tanh(A[..., 3 * H :], out=A[..., 3 * H :])
    i, f, omega, C_tilde = A[..., :H], A[..., H : 2 * H], A[..., 2 * H : 3 * H], A[..., 3 * H :]
    tanh_C = np.tanh(Cs)
    dC_per_dh = omega * (1 - tanh_C**2)
    da_i_per_dC = C_tilde * i * (1 - i)
    da_f_per_dC = C_prev * f * (1 - f)
    da_omega_per_dh = tanh_C * omega * (1 - omega)
    da_C_tilde_per_dC = i * (1 - C_tilde**2)
    f = np.ascontiguousarray(f)
    pi_i, pi_f, pi_omega = (p.astype(dtype, copy=False) for p in (pi_i, pi_f, pi_omega))

    dA = np.empty((N, T, 4 * H), dtype=dtype)
    dh_rec = np.zeros((N, H), dtype=dtype)
    dh = np.empty((N, H), dtype=dtype)
    dC = np.empty((N, H), dtype=dtype)
    scratch = np.empty((N, H), dtype=dtype)
    W = W.astype(dtype, copy=False)
    for t in range(T - 1, -1, -1):
        np.add(dHs[:, t], dh_rec, out=dh)
        da_omega = np.multiply(dh, da_omega_per_dh[:, t], out=dA[:, t, 2 * H : 3 * H])
        np.multiply(dh, dC_per_dh[:, t], out=dC)
        dC += dC_carry
        np.multiply(da_omega, pi_omega, out=scratch)  # the output gate saw this step's cell
        dC += scratch
        da_i = np.multiply(dC, da_i_per_dC[:, t], out=dA[:, t, :H])
        da_f = np.multiply(dC, da_f_per_dC[:, t], out=dA[:, t, H : 2 * H])
        np.multiply(dC, da_C_tilde_per_dC[:, t], out=dA[:, t, 3 * H :])
        np.multiply(dC, f[:, t], out=dC_carry)
        np.multiply(da_i, pi_i, out=scratch)  # the input and forget gates saw the previous cell
        dC_carry += scratch
        np.multiply(da_f, pi_f, out=scratch)
        dC_carry += scratch
        np.matmul(dA[:, t], W, out=dh_rec)

    dA2 = _rows(dA)
    dX = (dA2 @ U).reshape(N, T, D)
    dpi_i = np.einsum("nth,nth->h", dA[..., :H], C_prev)
    dpi_f = np.einsum("nth,nth->h", dA[..., H : 2 * H], C_prev)
    dpi_omega = np.einsum("nth,nth->h", dA[..., 2 * H : 3 * H], Cs)
    dU, dW = _split_columns(dA2.T @ _rows(XH), D)
    return dX, dh_rec, dC_carry, dU, dW, dA2.sum(axis=0), dpi_i, dpi_f, dpi_omega


# -------------------------------------------------------- coupled LSTM


def _coupled_cell(xu, h_prev, C_prev, W, a, h_next, C_next, tanh_C):
    """One coupled-gate LSTM step without checks; ``a`` (N, 3H) receives (f, omega, C_tilde)."""
    H = h_prev.shape[1]
    np.matmul(h_prev, W.T, out=a)
    a += xu
    _sigmoid(a[:, : 2 * H], out=a[:, : 2 * H])
    np.tanh(a[:, 2 * H :], out=a[:, 2 * H :])
    f, omega, C_tilde = a[:, :H], a[:, H : 2 * H], a[:, 2 * H :]
    # C_next = f * C_prev + (1 - f) * C_tilde, written as C_tilde + f * (C_prev - C_tilde)
    # to need no second buffer; the two are equal.
    np.subtract(C_prev, C_tilde, out=C_next)
    C_next *= f
    C_next += C_tilde
    np.tanh(C_next, out=tanh_C)
    np.multiply(omega, tanh_C, out=h_next)


def coupled_lstm_step_forward(x, h_prev, C_prev, U, W, b):
    """One step of the LSTM with coupled input and forget gates: the input gate is ``1 - f``.

    ``C_next = f * C_prev + (1 - f) * C_tilde``, ``h_next = omega * tanh(C_next)``: the cell
    only takes new content where it forgets old content.

    Inputs:
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - C_prev: cell state from the previous step, shape (N, H).
    - U: stacked input weights, shape (3H, D), row blocks (f, omega, C_tilde).
    - W: stacked recurrent weights, shape (3H, H), same order.
    - b: stacked bias, shape (3H,), same order.

    Returns a tuple of:
    - h_next: the new hidden state, shape (N, H).
    - C_next: the new cell state, shape (N, H).
    """
    x, (h_prev, C_prev), U, W, b = _check_step(x, [(h_prev, "h_prev"), (C_prev, "C_prev")], U, W, b, 3, "3H")
    N, H = h_prev.shape
    dtype = np.result_type(x, h_prev, C_prev, U, W, b)
    a = np.empty((N, 3 * H), dtype=dtype)
    h_next, C_next, tanh_C = (np.empty((N, H), dtype=dtype) for _ in range(3))
    _coupled_cell(x @ U.T + b, h_prev, C_prev, W, a, h_next, C_next, tanh_C)
    return h_next, C_next


def coupled_lstm_forward(X, h0, C0, U, W, b):
    """Run the coupled-gate LSTM over a whole sequence.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0, C0: initial hidden and cell states, shape (N, H) each.
    - U, W, b: stacked parameters, shapes (3H, D), (3H, H), (3H,), blocks (f, omega, C_tilde).

    Returns a tuple of:
    - Hs: hidden states of every step, shape (N, T, H).
    - Cs: cell states of every step, shape (N, T, H).
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 3, "3H")
    N, T, _ = X.shape
    H = h0.shape[1]
    dtype = np.result_type(X, h0, C0, U, W, b)
    XU = input_projection(X, U, b, dtype)
    W = W.astype(dtype, copy=False)
    Hs = np.empty((N, T, H), dtype=dtype)
    Cs = np.empty((N, T, H), dtype=dtype)
    a = np.empty((N, 3 * H), dtype=dtype)
    tanh_C = np.empty((N, H), dtype=dtype)
    h, C = h0, C0
    for t in range(T):
        _coupled_cell(XU[:, t], h, C, W, a, Hs[:, t], Cs[:, t], tanh_C)
        h, C = Hs[:, t], Cs[:, t]
    return Hs, Cs


# ------------------------------------------------------------------- GRU


def _gru_cell(xu, h_prev, W, hw, h_next, g=None):
    """One GRU step without checks (reset after the product), writing into the caller's buffers.

    ``xu`` (N, 3H) is this step's ``x @ U.T + b``; ``hw`` (N, 3H) receives ``h_prev @ W.T``
    and then the gates (r, z, h_tilde) in place; ``h_next`` (N, H) receives the new state;
    ``g`` (N, H), if given, receives ``W^h~ h_prev`` for the backward pass.
    """
    H = h_prev.shape[1]
    np.matmul(h_prev, W.T, out=hw)  # the one product of the step: W^r h, W^z h and W^h~ h
    if g is not None:
        g[...] = hw[:, 2 * H :]
    hw[:, : 2 * H] += xu[:, : 2 * H]
    _sigmoid(hw[:, : 2 * H], out=hw[:, : 2 * H])
    r, z, h_tilde = hw[:, :H], hw[:, H : 2 * H], hw[:, 2 * H :]
    h_tilde *= r  # the reset scales W^h~ h_{t-1}, after the product
    h_tilde += xu[:, 2 * H :]
    np.tanh(h_tilde, out=h_tilde)
    # h_next = (1 - z) * h_prev + z * h_tilde, written as h_prev + z * (h_tilde - h_prev).
    np.subtract(h_tilde, h_prev, out=h_next)
    h_next *= z
    h_next += h_prev


def gru_step_forward(x, h_prev, U, W, b):
    """One GRU step, the reset applied after the recurrent product (cuDNN/PyTorch form).

    ``r, z = sigma(rows 0:2H of b + W h_prev + U x)``,
    ``h_tilde = tanh(b^h~ + U^h~ x + r * (W^h~ h_prev))``,
    ``h_next = (1 - z) * h_prev + z * h_tilde`` (z is the share of the candidate).

    Inputs:
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - U: stacked input weights, shape (3H, D), row blocks (r, z, h_tilde).
    - W: stacked recurrent weights, shape (3H, H), same order.
    - b: stacked bias, shape (3H,), same order.

    Returns:
    - h_next: the new hidden state, shape (N, H).
    """
    x, (h_prev,), U, W, b = _check_step(x, [(h_prev, "h_prev")], U, W, b, 3, "3H")
    N, H = h_prev.shape
    dtype = np.result_type(x, h_prev, U, W, b)
    hw = np.empty((N, 3 * H), dtype=dtype)
    h_next = np.empty((N, H), dtype=dtype)
    _gru_cell(x @ U.T + b, h_prev, W, hw, h_next)
    return h_next


def gru_cho_step_forward(x, h_prev, U, W, b):
    """One GRU step in Cho et al.'s (2014) form: the reset is applied to h_prev before the product.

    ``r, z`` as in ``gru_step_forward``, then
    ``h_tilde = tanh(b^h~ + U^h~ x + W^h~ (r * h_prev))`` and
    ``h_next = (1 - z) * h_prev + z * h_tilde``. It needs a second product per step that
    waits for r, which is why the package's GRU uses the other form. The two agree when all
    entries of r are equal (r = 1 among them), when W^h~ is diagonal, when h_prev = 0, or where
    z = 0, and differ in general (chapter 5).

    Inputs:
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - U, W, b: stacked parameters, shapes (3H, D), (3H, H), (3H,), blocks (r, z, h_tilde).

    Returns:
    - h_next: the new hidden state, shape (N, H).
    """
    x, (h_prev,), U, W, b = _check_step(x, [(h_prev, "h_prev")], U, W, b, 3, "3H")
    H = h_prev.shape[1]
    rz = _sigmoid(x @ U[: 2 * H].T + h_prev @ W[: 2 * H].T + b[: 2 * H])
    r, z = rz[:, :H], rz[:, H:]
    h_tilde = np.tanh(x @ U[2 * H :].T + (r * h_prev) @ W[2 * H :].T + b[2 * H :])
    return (1 - z) * h_prev + z * h_tilde


def gru_forward(X, h0, U, W, b, return_cache=False):
    """Run the GRU (reset after the product) over a whole sequence.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - U, W, b: stacked parameters, shapes (3H, D), (3H, H), (3H,), blocks (r, z, h_tilde).
    - return_cache: if True, also return what ``gru_backward`` would otherwise recompute
      (memory, 4H numbers per step and example, for time: two large matrix products).

    Returns:
    - Hs: hidden states of every step, shape (N, T, H) (h0 is not included).
    - cache (only if return_cache): shape (N, T, 4H), blocks (r, z, h_tilde, W^h~ h_{t-1}):
      the gates after their nonlinearities and the recurrent product the reset scales.
    """
    X, (h0,), U, W, b = _check_sequence(X, [(h0, "h0")], U, W, b, 3, "3H")
    N, T, _ = X.shape
    H = h0.shape[1]
    dtype = np.result_type(X, h0, U, W, b)
    XU = input_projection(X, U, b, dtype)
    W = W.astype(dtype, copy=False)
    Hs = np.empty((N, T, H), dtype=dtype)
    cache = np.empty((N, T, 4 * H), dtype=dtype) if return_cache else None
    hw = np.empty((N, 3 * H), dtype=dtype)
    h = h0
    for t in range(T):
        if cache is None:
            _gru_cell(XU[:, t], h, W, hw, Hs[:, t])
        else:
            _gru_cell(XU[:, t], h, W, cache[:, t, : 3 * H], Hs[:, t], g=cache[:, t, 3 * H :])
        h = Hs[:, t]
    return (Hs, cache) if return_cache else Hs


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    """Backward pass of one GRU step (``gru_step_forward``).

    ``dh_next`` is the gradient of a scalar loss L on ``h_next``; the function returns the
    gradients of L on the step's inputs and parameters.

    Inputs:
    - dh_next: upstream gradient on h_next, shape (N, H).
    - x: inputs at this step, shape (N, D).
    - h_prev: hidden state from the previous step, shape (N, H).
    - U: stacked input weights, shape (3H, D), row blocks (r, z, h_tilde).
    - W: stacked recurrent weights, shape (3H, H), same order.
    - b: stacked bias, shape (3H,), same order.

    Returns a tuple of:
    - dx: gradient with respect to x, shape (N, D).
    - dh_prev: gradient with respect to h_prev, shape (N, H).
    - dU: gradient with respect to U, shape (3H, D), summed over the batch.
    - dW: gradient with respect to W, shape (3H, H), summed over the batch.
    - db: gradient with respect to b, shape (3H,), summed over the batch.
    """
    x, (h_prev, dh), U, W, b = _check_step(x, [(h_prev, "h_prev"), (dh_next, "dh_next")], U, W, b, 3, "3H")
    H = h_prev.shape[1]
    xu = x @ U.T + b
    hw = h_prev @ W.T
    rz = _sigmoid(xu[:, : 2 * H] + hw[:, : 2 * H])
    r, z = rz[:, :H], rz[:, H:]
    g = hw[:, 2 * H :]
    h_tilde = np.tanh(xu[:, 2 * H :] + r * g)
    da_z = dh * (h_tilde - h_prev) * z * (1 - z)
    da_h_tilde = dh * z * (1 - h_tilde**2)
    da_r = da_h_tilde * g * r * (1 - r)
    dxu = np.concatenate([da_r, da_z, da_h_tilde], axis=1)
    dhw = np.concatenate([da_r, da_z, r * da_h_tilde], axis=1)
    dh_prev = dh * (1 - z) + dhw @ W
    return dxu @ U, dh_prev, dxu.T @ x, dhw.T @ h_prev, dxu.sum(axis=0)


def gru_backward(dHs, X, h0, Hs, U, W, b, cache=None):
    """Backpropagation through time for ``gru_forward``.

    Inputs:
    - dHs: upstream gradients on every hidden state through the outputs, shape (N, T, H).
    - X: input sequence, shape (N, T, D).
    - h0: initial hidden state, shape (N, H).
    - Hs: hidden states returned by gru_forward, shape (N, T, H).
    - U, W, b: stacked parameters, shapes (3H, D), (3H, H), (3H,); b is needed because the
      gates are recomputed.
    - cache: optional, from ``gru_forward(..., return_cache=True)``, shape (N, T, 4H); None
      recomputes the gates from X, h0 and Hs.

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T, D).
    - dh0: gradient with respect to h0, shape (N, H).
    - dU: gradient with respect to U, shape (3H, D).
    - dW: gradient with respect to W, shape (3H, H).
    - db: gradient with respect to b, shape (3H,).
    """
    X, (h0,), U, W, b = _check_sequence(X, [(h0, "h0")], U, W, b, 3, "3H")
    N, T, D = X.shape
    H = h0.shape[1]
    dHs, Hs = _check_stored([(dHs, "dHs"), (Hs, "Hs")], (N, T, H))
    dtype = np.result_type(dHs, X, h0, Hs, U, W, b)

    H_prev = _previous(h0, Hs)
    if cache is None:
        # Recompute every gate of every step at once (see gru_step_backward for the equations).
        XU = input_projection(X, U, b, dtype)
        HW = (_rows(H_prev) @ W.T.astype(dtype, copy=False)).reshape(N, T, 3 * H)
        RZ = XU[..., : 2 * H] + HW[..., : 2 * H]
        _sigmoid(RZ, out=RZ)
        r, z = RZ[..., :H], RZ[..., H:]
        g = HW[..., 2 * H :]
        h_tilde = np.tanh(XU[..., 2 * H :] + r * g)
    else:
        (cache,) = _check_stored([(cache, "cache")], (N, T, 4 * H), "(N, T, 4H)")
        r, z, h_tilde, g = (cache[..., k * H : (k + 1) * H] for k in range(4))
    da_z_per_dh = (h_tilde - H_prev) * z * (1 - z)
    da_h_tilde_per_dh = z * (1 - h_tilde**2)
    da_r_per_da_h_tilde = g * r * (1 - r)
    keep = 1 - z  # dh_{t-1} gets (1 - z) dh_t directly
    r = np.ascontiguousarray(r)

    dXU = np.empty((N, T, 3 * H), dtype=dtype)  # gradient on the input term XU (and on b)
    dHW = np.empty((N, T, 3 * H), dtype=dtype)  # gradient on the recurrent product h_{t-1} W^T
    dh_rec = np.zeros((N, H), dtype=dtype)
    dh = np.empty((N, H), dtype=dtype)
    W = W.astype(dtype, copy=False)
    for t in range(T - 1, -1, -1):
        np.add(dHs[:, t], dh_rec, out=dh)
        np.multiply(dh, da_z_per_dh[:, t], out=dXU[:, t, H : 2 * H])
        da_h_tilde = np.multiply(dh, da_h_tilde_per_dh[:, t], out=dXU[:, t, 2 * H :])
        np.multiply(da_h_tilde, da_r_per_da_h_tilde[:, t], out=dXU[:, t, :H])
        dHW[:, t, : 2 * H] = dXU[:, t, : 2 * H]
        np.multiply(da_h_tilde, r[:, t], out=dHW[:, t, 2 * H :])
        np.matmul(dHW[:, t], W, out=dh_rec)
        np.multiply(dh, keep[:, t], out=dh)
        dh_rec += dh

    dXU2, dHW2 = _rows(dXU), _rows(dHW)
    dX = (dXU2 @ U).reshape(N, T, D)
    return dX, dh_rec, dXU2.T @ _rows(X), dHW2.T @ _rows(H_prev), dXU2.sum(axis=0)


# ------------------------------------- decay of the cell's gradient (assignment 5)


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    """How fast the gradient on the LSTM's cell decays with the lag, measured and as the forget gates predict.

    The loss is the sum of the entries of the last hidden state (a gradient of ones on
    ``Hs[:, -1]``, none on the other states). Going back from the last step, the norm of
    the total gradient on the cell, ``||dL/dC_t||`` (as ``lstm_gradient_norms_through_time``
    returns it), falls about geometrically with the lag ``k = T-1-t``, so its logarithm
    falls about linearly:

    - measured: the slope of the least-squares line through the points
      ``(k, mean over the examples of log ||dL/dC_{T-1-k}||)``, k = 0, ..., T-1;
    - predicted: the mean over the examples, the units and the steps t = 1, ..., T-1 of
      ``log f_t``: the forget gates by which the cell's own path multiplies the gradient
      on its way from the last cell back to the first (the first step's gate multiplies
      C0, which is not measured).

    With W = 0 and one forget-gate value f for every unit and step, both are ``log f``.
    Both are negative; the closer to 0, the longer the cell carries a gradient back.

    Inputs:
    - X: input sequence, shape (N, T, D), with T >= 2.
    - h0, C0: initial hidden and cell states, shape (N, H) each.
    - U: stacked input weights, shape (4H, D), row blocks (i, f, omega, C_tilde).
    - W: stacked recurrent weights, shape (4H, H).
    - b: stacked bias, shape (4H,).

    Returns a tuple of:
    - measured: the fitted slope of the mean log norm against the lag, a Python float.
    - predicted: the mean log forget gate of steps 1 to T-1, a Python float.
    """
    X, (h0, C0), U, W, b = _check_sequence(X, [(h0, "h0"), (C0, "C0")], U, W, b, 4, "4H")
    N, T, _ = X.shape
    if T < 2:
        raise ValueError(f"X has shape {X.shape}, expected at least two time steps (T >= 2) to fit a slope")
    H = h0.shape[1]
    Hs, Cs = lstm_forward(X, h0, C0, U, W, b)
    dHs = np.zeros_like(Hs)
    dHs[:, -1] = 1.0
    _, C_norms = lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b)
    lags = np.arange(T, dtype=np.float64)
    mean_log = np.mean(np.log(C_norms[:, ::-1].astype(np.float64)), axis=0)  # entry k is lag k
    # least-squares slope, written out (np.polyfit would do the same)
    centred = lags - lags.mean()
    measured = float(np.sum(centred * (mean_log - mean_log.mean())) / np.sum(centred * centred))
    a_f = X[:, 1:] @ U[H : 2 * H].T + Hs[:, :-1] @ W[H : 2 * H].T + b[H : 2 * H]
    predicted = float(np.mean(np.log(_sigmoid(a_f.astype(np.float64)))))
    return measured, predicted
