"""One interface over the package's recurrent cells, for the modules that compose them.

``bidirectional``, ``seq2seq`` and ``attention`` run a recurrence whose cell is chosen by name
("rnn", "lstm", "gru"). These adapters only dispatch to ``rnncourse.rnn``, ``rnncourse.bptt``
and ``rnncourse.gated``; they hold no math of their own, so a cell is defined in one place.
A direction's (or a decoder's) recurrent parameters are a dict with ``U``, ``W`` and ``b``,
stacked as in ``gated`` for the gated cells (G = 1, 4, 3 row blocks).
"""

from __future__ import annotations

from .bptt import rnn_backward, rnn_step_backward
from .gated import gru_backward, gru_forward, gru_step_backward, gru_step_forward, lstm_backward, lstm_forward
from .rnn import rnn_forward, rnn_step_forward

CELLS = ("rnn", "lstm", "gru")
#: Row blocks of U, W and b for each cell.
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def check_cell(cell, allowed=CELLS):
    if not isinstance(cell, str) or cell not in allowed:
        raise ValueError(f"cell must be one of {list(allowed)}, got {cell!r}")
    return cell


def check_param_dict(p, name, keys=("U", "W", "b")):
    """Raise unless ``p`` is a dict holding ``keys``; ``name`` is how the caller knows it."""
    if not isinstance(p, dict):
        raise ValueError(f"{name} must be a dict with keys {list(keys)}, got a {type(p).__name__}")
    missing = [k for k in keys if k not in p]
    if missing:
        raise ValueError(f"{name} is missing {missing}, expected keys {list(keys)}")
    return p


def sequence_forward(cell, X, h0, p, C0=None):
    """Run ``cell`` over X (N, T, D) from h0 (and C0 for the LSTM); return (Hs, Cs or None)."""
    if cell == "rnn":
        return rnn_forward(X, h0, p["U"], p["W"], p["b"]), None
    if cell == "gru":
        return gru_forward(X, h0, p["U"], p["W"], p["b"]), None
    return lstm_forward(X, h0, C0, p["U"], p["W"], p["b"])


def sequence_backward(cell, dHs, X, h0, Hs, p, C0=None, Cs=None):
    """BPTT of ``sequence_forward``; return (dX, dh0, dC0 or None, {"U", "W", "b"})."""
    if cell == "rnn":
        dX, dh0, dU, dW, db = rnn_backward(dHs, X, h0, Hs, p["U"], p["W"])
        dC0 = None
    elif cell == "gru":
        dX, dh0, dU, dW, db = gru_backward(dHs, X, h0, Hs, p["U"], p["W"], p["b"])
        dC0 = None
    else:
        dX, dh0, dC0, dU, dW, db = lstm_backward(dHs, X, h0, C0, Hs, Cs, p["U"], p["W"], p["b"])
    return dX, dh0, dC0, {"U": dU, "W": dW, "b": db}


def step_forward(cell, x, h_prev, U, W, b):
    """One step of a cell whose state is h alone (rnn, gru)."""
    if cell == "rnn":
        return rnn_step_forward(x, h_prev, U, W, b)
    return gru_step_forward(x, h_prev, U, W, b)


def step_backward(cell, dh_next, x, h_prev, h_next, U, W, b):
    """Backward of ``step_forward``; return (dx, dh_prev, dU, dW, db)."""
    if cell == "rnn":
        return rnn_step_backward(dh_next, x, h_prev, h_next, U, W)
    return gru_step_backward(dh_next, x, h_prev, U, W, b)
