import numpy as np


def gru_step_forward(x, h_prev, U, W, b):
    H = h_prev.shape[1]
    U3 = U.reshape(3, H, -1)
    W3 = W.reshape(3, H, H)
    b3 = b.reshape(3, H)
    lin = {}
    for k, name in enumerate(("r", "z", "h")):
        lin[name] = (x @ U3[k].T + b3[k], h_prev @ W3[k].T)
    r = 1 / (1 + np.exp(-sum(lin["r"])))
    z = 1 / (1 + np.exp(-sum(lin["z"])))
    inp, rec = lin["h"]
    candidate = np.tanh(inp + r * rec)
    return z * candidate + (1 - z) * h_prev
