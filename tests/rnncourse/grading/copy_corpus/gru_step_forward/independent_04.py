import math

import numpy as np


def gru_step_forward(x, h_prev, U, W, b):
    N, H = h_prev.shape
    out = np.empty((N, H))
    for n in range(N):
        ux = U.dot(x[n])
        wh = W.dot(h_prev[n])
        for k in range(H):
            r = 1 / (1 + math.exp(-(b[k] + ux[k] + wh[k])))
            z = 1 / (1 + math.exp(-(b[H + k] + ux[H + k] + wh[H + k])))
            cand = math.tanh(b[2 * H + k] + ux[2 * H + k] + r * wh[2 * H + k])
            out[n, k] = (1 - z) * h_prev[n, k] + z * cand
    return out
