import numpy as np


def _sigma(v):
    return np.exp(-np.logaddexp(0, -v))


def gru_step_forward(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    # gates: one product of [x, h] with [U W] over the first 2H rows
    xh = np.hstack([x, h_prev])
    gate_w = np.hstack([U[:2 * H], W[:2 * H]])
    rz = _sigma(xh @ gate_w.T + b[:2 * H])
    r, z = rz[:, :H], rz[:, H:]
    rec = h_prev @ W[2 * H:].T
    h_cand = np.tanh(x @ U[2 * H:].T + b[2 * H:] + r * rec)
    return z * h_cand + (1 - z) * h_prev
