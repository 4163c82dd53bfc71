"""Bidirectional recurrent networks (chapter 6): two recurrences, one per reading direction.

Notation (the book's notation table, chapter 6). The forward recurrence reads
``x_1 .. x_T`` from ``h0_fwd``; the backward recurrence reads ``x_T .. x_1`` from ``h0_bwd``
(the book's right arrow state at T+1). Each has its own parameters, dicts ``fwd`` and ``bwd``
with ``U``, ``W``, ``b``:

    ->h_t = cell(x_t, ->h_{t-1}; fwd)        t = 1 .. T
    <-h_t = cell(x_t, <-h_{t+1}; bwd)        t = T .. 1
    h_t   = [->h_t ; <-h_t]                   (2H)

Both state sequences are returned *aligned with time*: ``Hs[:, t, H:]`` is the backward state at
position t, the one that has read ``x_t .. x_T``, not the t-th state that the backward recurrence
computed. Forgetting to reverse the backward states back is the classic bug; the tests check it
on a case whose answer can be worked out by hand.

The cell is any of the package's: ``"rnn"`` (``rnncourse.rnn``), ``"lstm"`` and ``"gru"``
(``rnncourse.gated``), with the stacked parameter shapes of those modules (G = 1, 4, 3 blocks:
U (G*H, D), W (G*H, H), b (G*H,)). The recurrences are those modules' functions; this module
only reverses, runs and concatenates.
"""

from __future__ import annotations

import numpy as np

from ._cells import GATES, check_cell, check_param_dict, sequence_backward, sequence_forward
from ._validate import as_float_array, check_shape

__all__ = ["birnn_forward", "birnn_backward"]


def _check_inputs(X, h0_fwd, h0_bwd, fwd, bwd, cell, C0_fwd, C0_bwd):
    cell = check_cell(cell)
    X = as_float_array(X, "X", 3)
    if X.shape[1] < 1:
        raise ValueError(f"X has shape {X.shape}, expected at least one time step (T >= 1)")
    N = X.shape[0]
    h0_fwd = as_float_array(h0_fwd, "h0_fwd", 2)
    H = h0_fwd.shape[1]
    check_shape(h0_fwd, "h0_fwd", (N, H), "(N, H)")
    h0_bwd = as_float_array(h0_bwd, "h0_bwd", 2)
    check_shape(h0_bwd, "h0_bwd", (N, H), "(N, H) (both directions have H units)")
    check_param_dict(fwd, "fwd")
    check_param_dict(bwd, "bwd")
    G = GATES[cell]
    for name, p in (("fwd", fwd), ("bwd", bwd)):
        W = np.shape(p["W"])
        if W != (G * H, H):
            label = "H" if G == 1 else f"{G}H"
            raise ValueError(
                f"{name}['W'] has shape {W}, expected ({label}, H) = ({G * H}, {H}) for cell {cell!r} "
                f"with H = {H} (from h0_fwd)"
            )
    C0s = []
    for name, C0 in (("C0_fwd", C0_fwd), ("C0_bwd", C0_bwd)):
        if cell != "lstm":
            if C0 is not None:
                raise ValueError(f"{name} is only for cell 'lstm', got an array for cell {cell!r}")
            C0s.append(None)
            continue
        C0 = np.zeros((N, H), dtype=X.dtype) if C0 is None else as_float_array(C0, name, 2)
        check_shape(C0, name, (N, H), "(N, H)")
        C0s.append(C0)
    return X, h0_fwd, h0_bwd, cell, C0s[0], C0s[1]


def _run(cell, X, h0, p, C0, name):
    try:
        return sequence_forward(cell, X, h0, p, C0)
    except ValueError as err:
        raise ValueError(f"{name} direction: {err}") from None


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    """Bidirectional RNN: run ``cell`` forwards and backwards in time, concatenate the states.

    Inputs:
    - X: input sequence, shape (N, T, D).
    - h0_fwd: initial state of the forward direction (before x_1), shape (N, H).
    - h0_bwd: initial state of the backward direction (before it reads x_T), shape (N, H).
    - fwd: dict of the forward direction's parameters, ``U`` (G*H, D), ``W`` (G*H, H),
      ``b`` (G*H,), with G = 1 ("rnn"), 4 ("lstm", blocks i, f, omega, C_tilde) or
      3 ("gru", blocks r, z, h_tilde).
    - bwd: the same for the backward direction.
    - cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
    - C0_fwd, C0_bwd: initial cell states for ``"lstm"``, shape (N, H) each, or None for
      zeros; must be None for the other cells.

    Returns:
    - Hs: the concatenated states, shape (N, T, 2H): ``Hs[:, t, :H]`` is the forward state
      after reading ``x_1 .. x_t`` and ``Hs[:, t, H:]`` the backward state after reading
      ``x_T .. x_t`` (both aligned with time; index t is the book's t+1).
    - Cs (only for ``"lstm"``, then the return value is the tuple ``(Hs, Cs)``): the cell
      states, shape (N, T, 2H), aligned the same way.
    """
    X, h0_fwd, h0_bwd, cell, C0_fwd, C0_bwd = _check_inputs(X, h0_fwd, h0_bwd, fwd, bwd, cell, C0_fwd, C0_bwd)
    Hs_fwd, Cs_fwd = _run(cell, X, h0_fwd, fwd, C0_fwd, "fwd")
    # The backward direction is an ordinary recurrence over the reversed sequence; its outputs
    # come out in reading order (x_T first) and are reversed back to line up with time.
    Hs_rev, Cs_rev = _run(cell, X[:, ::-1], h0_bwd, bwd, C0_bwd, "bwd")
    Hs = np.concatenate([Hs_fwd, Hs_rev[:, ::-1]], axis=2)
    if cell != "lstm":
        return Hs
    return Hs, np.concatenate([Cs_fwd, Cs_rev[:, ::-1]], axis=2)


def birnn_backward(dHs, X, h0_fwd, h0_bwd, Hs, fwd, bwd, cell="rnn", Cs=None, C0_fwd=None, C0_bwd=None):
    """Backward pass of ``birnn_forward``: BPTT through each direction, then the sum on X.

    The upstream gradient on the backward states is reversed into the order in which that
    recurrence computed them, backpropagated, and the resulting input gradient is reversed
    back; the input gradient is the sum of the two directions'.

    Inputs:
    - dHs: upstream gradients on the concatenated states, shape (N, T, 2H) (time-aligned).
    - X: input sequence, shape (N, T, D).
    - h0_fwd, h0_bwd: initial states, shape (N, H) each.
    - Hs: the states ``birnn_forward`` returned, shape (N, T, 2H).
    - fwd, bwd: parameter dicts as in ``birnn_forward``.
    - cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
    - Cs: for ``"lstm"`` the cell states ``birnn_forward`` returned, shape (N, T, 2H);
      None for the other cells.
    - C0_fwd, C0_bwd: for ``"lstm"`` the initial cell states, shape (N, H), or None for zeros.

    Returns a tuple of:
    - dX: gradient with respect to X, shape (N, T, D).
    - dh0_fwd: gradient with respect to h0_fwd, shape (N, H).
    - dh0_bwd: gradient with respect to h0_bwd, shape (N, H).
    - dfwd: dict with ``U``, ``W``, ``b``, the gradients of the forward direction's parameters.
    - dbwd: the same for the backward direction.
    - and, only for ``"lstm"``, two more: dC0_fwd, dC0_bwd, shape (N, H) each.
    """
    X, h0_fwd, h0_bwd, cell, C0_fwd, C0_bwd = _check_inputs(X, h0_fwd, h0_bwd, fwd, bwd, cell, C0_fwd, C0_bwd)
    N, T, _ = X.shape
    H = h0_fwd.shape[1]
    dHs = as_float_array(dHs, "dHs", 3)
    check_shape(dHs, "dHs", (N, T, 2 * H), "(N, T, 2H)")
    Hs = as_float_array(Hs, "Hs", 3)
    check_shape(Hs, "Hs", (N, T, 2 * H), "(N, T, 2H)")
    if cell == "lstm":
        if Cs is None:
            raise ValueError(
                "Cs is None, expected the cell states (N, T, 2H) that birnn_forward returned for 'lstm'"
            )
        Cs = as_float_array(Cs, "Cs", 3)
        check_shape(Cs, "Cs", (N, T, 2 * H), "(N, T, 2H)")
        Cs_fwd, Cs_rev = Cs[..., :H], Cs[:, ::-1, H:]
    elif Cs is not None:
        raise ValueError(f"Cs is only for cell 'lstm', got an array for cell {cell!r}")
    else:
        Cs_fwd = Cs_rev = None
    try:
        dX, dh0_fwd, dC0_fwd, dfwd = sequence_backward(
            cell, dHs[..., :H], X, h0_fwd, Hs[..., :H], fwd, C0_fwd, Cs_fwd
        )
    except ValueError as err:
        raise ValueError(f"fwd direction: {err}") from None
    try:
        dX_rev, dh0_bwd, dC0_bwd, dbwd = sequence_backward(
            cell, dHs[:, ::-1, H:], X[:, ::-1], h0_bwd, Hs[:, ::-1, H:], bwd, C0_bwd, Cs_rev
        )
    except ValueError as err:
        raise ValueError(f"bwd direction: {err}") from None
    dX = dX + dX_rev[:, ::-1]
    if cell != "lstm":
        return dX, dh0_fwd, dh0_bwd, dfwd, dbwd
    return dX, dh0_fwd, dh0_bwd, dfwd, dbwd, dC0_fwd, dC0_bwd
