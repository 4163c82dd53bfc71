import numpy as np


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    H = W.shape[1]
    # work with column vectors like in the book: a = b + W h + U x, shape (4H, N)
    a = U @ x.T + W @ h_prev.T + b[:, None]
    names = ["i", "f", "omega", "C_tilde"]
    g = {name: a[k * H:(k + 1) * H].T for k, name in enumerate(names)}
    for name in ["i", "f", "omega"]:
        g[name] = 1 / (1 + np.exp(-g[name]))
    g["C_tilde"] = np.tanh(g["C_tilde"])
    C_next = g["f"] * C_prev + g["i"] * g["C_tilde"]
    h_next = g["omega"] * np.tanh(C_next)
    return h_next, C_next
