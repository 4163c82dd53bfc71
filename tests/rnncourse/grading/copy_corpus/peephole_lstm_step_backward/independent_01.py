import numpy as np


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    """Backward pass of one peephole-LSTM step, gate by gate."""
    H = W.shape[1]
    blocks = [slice(k * H, (k + 1) * H) for k in range(4)]
    lin = [x @ U[s].T + h_prev @ W[s].T + b[s] for s in blocks]
    in_gate = 1 / (1 + np.exp(-(lin[0] + pi_i * C_prev)))
    forget = 1 / (1 + np.exp(-(lin[1] + pi_f * C_prev)))
    cand = np.tanh(lin[3])
    cell = forget * C_prev + in_gate * cand
    out_gate = 1 / (1 + np.exp(-(lin[2] + pi_omega * cell)))
    squashed = np.tanh(cell)

    g_out = dh_next * squashed * out_gate * (1 - out_gate)
    # three routes into the new cell: later steps, h_next directly, the output gate's peephole
    g_cell = dC_next + dh_next * out_gate * (1 - squashed * squashed) + g_out * pi_omega
    g_in = g_cell * cand * in_gate * (1 - in_gate)
    g_forget = g_cell * C_prev * forget * (1 - forget)
    g_cand = g_cell * in_gate * (1 - cand * cand)
    grads = [g_in, g_forget, g_out, g_cand]

    dx = sum(g @ U[s] for g, s in zip(grads, blocks))
    dh_prev = sum(g @ W[s] for g, s in zip(grads, blocks))
    dC_prev = g_cell * forget + g_in * pi_i + g_forget * pi_f
    dU = np.vstack([g.T @ x for g in grads])
    dW = np.vstack([g.T @ h_prev for g in grads])
    db = np.concatenate([g.sum(axis=0) for g in grads])
    return (dx, dh_prev, dC_prev, dU, dW, db,
            (g_in * C_prev).sum(axis=0), (g_forget * C_prev).sum(axis=0), (g_out * cell).sum(axis=0))
