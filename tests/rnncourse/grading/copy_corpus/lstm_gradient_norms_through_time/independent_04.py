import math

import numpy as np


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    h_norms = np.zeros((N, T))
    C_norms = np.zeros((N, T))
    for n in range(N):
        dh_later = np.zeros(H)
        dC_later = np.zeros(H)
        for t in range(T - 1, -1, -1):
            hp = Hs[n, t - 1] if t else h0[n]
            cp = Cs[n, t - 1] if t else C0[n]
            a = U @ X[n, t] + W @ hp + b
            i = 1 / (1 + np.exp(-a[:H]))
            f = 1 / (1 + np.exp(-a[H:2 * H]))
            o = 1 / (1 + np.exp(-a[2 * H:3 * H]))
            g = np.tanh(a[3 * H:])
            th = np.tanh(Cs[n, t])
            dh = dHs[n, t] + dh_later
            dC = dC_later + dh * o * (1 - th * th)
            h_norms[n, t] = math.sqrt(float(dh @ dh))
            C_norms[n, t] = math.sqrt(float(dC @ dC))
            da = np.concatenate([dC * g * i * (1 - i), dC * cp * f * (1 - f),
                                 dh * th * o * (1 - o), dC * i * (1 - g * g)])
            dh_later = W.T @ da
            dC_later = dC * f
    return h_norms, C_norms
