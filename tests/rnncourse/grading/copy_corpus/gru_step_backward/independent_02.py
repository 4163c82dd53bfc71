import numpy as np


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    """Backward pass of one GRU step, block by block."""
    H = W.shape[1]
    R, Z, C = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)
    reset = 1 / (1 + np.exp(-(x @ U[R].T + h_prev @ W[R].T + b[R])))
    update = 1 / (1 + np.exp(-(x @ U[Z].T + h_prev @ W[Z].T + b[Z])))
    rec_c = h_prev @ W[C].T
    cand = np.tanh(x @ U[C].T + b[C] + reset * rec_c)

    d_update = dh_next * (cand - h_prev) * update * (1 - update)
    d_cand = dh_next * update * (1 - cand * cand)
    d_reset = d_cand * rec_c * reset * (1 - reset)
    d_rec_c = reset * d_cand

    dx = d_reset @ U[R] + d_update @ U[Z] + d_cand @ U[C]
    dh_prev = (dh_next * (1 - update) + d_reset @ W[R] + d_update @ W[Z] + d_rec_c @ W[C])
    dU = np.vstack([d_reset.T @ x, d_update.T @ x, d_cand.T @ x])
    dW = np.vstack([d_reset.T @ h_prev, d_update.T @ h_prev, d_rec_c.T @ h_prev])
    db = np.hstack([d_reset.sum(0), d_update.sum(0), d_cand.sum(0)])
    return dx, dh_prev, dU, dW, db
