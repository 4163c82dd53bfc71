import numpy as np


def sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def peephole_lstm_step_forward(x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[1]
    D = x.shape[1]
    Uk = U.reshape(4, H, D)
    Wk = W.reshape(4, H, H)
    bk = b.reshape(4, H)
    lin = [x @ Uk[k].T + h_prev @ Wk[k].T + bk[k] for k in range(4)]
    # diagonal peephole matrices, as in the paper
    P_i, P_f, P_o = np.diag(pi_i), np.diag(pi_f), np.diag(pi_omega)
    ig = sig(lin[0] + C_prev @ P_i)
    fg = sig(lin[1] + C_prev @ P_f)
    new_cell = fg * C_prev
    new_cell = new_cell + ig * np.tanh(lin[3])
    og = sig(lin[2] + new_cell @ P_o)
    new_hidden = og * np.tanh(new_cell)
    return new_hidden, new_cell
