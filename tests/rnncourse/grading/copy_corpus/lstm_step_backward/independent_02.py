import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    """Backward pass of one LSTM step, gate by gate."""
    H = W.shape[1]
    blocks = [slice(k * H, (k + 1) * H) for k in range(4)]
    pre = [x @ U[s].T + h_prev @ W[s].T + b[s] for s in blocks]
    in_gate = 1 / (1 + np.exp(-pre[0]))
    forget = 1 / (1 + np.exp(-pre[1]))
    out_gate = 1 / (1 + np.exp(-pre[2]))
    cand = np.tanh(pre[3])
    cell = forget * C_prev + in_gate * cand
    tanh_cell = np.tanh(cell)

    d_cell = dC_next + dh_next * out_gate * (1 - tanh_cell * tanh_cell)
    grads = [
        d_cell * cand * in_gate * (1 - in_gate),
        d_cell * C_prev * forget * (1 - forget),
        dh_next * tanh_cell * out_gate * (1 - out_gate),
        d_cell * in_gate * (1 - cand * cand),
    ]

    dx = sum(g @ U[s] for g, s in zip(grads, blocks))
    dh_prev = sum(g @ W[s] for g, s in zip(grads, blocks))
    dU = np.vstack([g.T @ x for g in grads])
    dW = np.vstack([g.T @ h_prev for g in grads])
    db = np.concatenate([g.sum(axis=0) for g in grads])
    return dx, dh_prev, d_cell * forget, dU, dW, db
