import numpy as np


def gru_step_backward(dh_next, x, h_prev, U, W, b):
    N, H = h_prev.shape
    dx = np.zeros_like(x)
    dh_prev = np.zeros_like(h_prev)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    for n in range(N):
        xn, hn, dh = x[n], h_prev[n], dh_next[n]
        ux = U @ xn + b
        wh = W @ hn
        r = 1 / (1 + np.exp(-(ux[:H] + wh[:H])))
        z = 1 / (1 + np.exp(-(ux[H:2 * H] + wh[H:2 * H])))
        c = np.tanh(ux[2 * H:] + r * wh[2 * H:])
        dc = dh * z * (1 - c ** 2)
        dz = dh * (c - hn) * z * (1 - z)
        dr = dc * wh[2 * H:] * r * (1 - r)
        d_ux = np.concatenate([dr, dz, dc])
        d_wh = np.concatenate([dr, dz, dc * r])
        dx[n] = U.T @ d_ux
        dh_prev[n] = dh * (1 - z) + W.T @ d_wh
        dU += np.outer(d_ux, xn)
        dW += np.outer(d_wh, hn)
        db += d_ux
    return dx, dh_prev, dU, dW, db
