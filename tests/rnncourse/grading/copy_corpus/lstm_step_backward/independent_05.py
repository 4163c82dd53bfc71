import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    N, H = h_prev.shape
    D = x.shape[1]
    dx = np.zeros((N, D))
    dh_prev = np.zeros((N, H))
    dC_prev = np.zeros((N, H))
    dU = np.zeros(U.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(b.shape)
    for n in range(N):
        a = U @ x[n] + W @ h_prev[n] + b
        i = 1 / (1 + np.exp(-a[0:H]))
        f = 1 / (1 + np.exp(-a[H:2 * H]))
        o = 1 / (1 + np.exp(-a[2 * H:3 * H]))
        c = np.tanh(a[3 * H:4 * H])
        Cn = f * C_prev[n] + i * c
        tC = np.tanh(Cn)
        dh = dh_next[n]
        dC = dC_next[n] + dh * o * (1 - tC ** 2)
        da = np.concatenate([dC * c * i * (1 - i), dC * C_prev[n] * f * (1 - f),
                             dh * tC * o * (1 - o), dC * i * (1 - c ** 2)])
        dx[n] = U.T @ da
        dh_prev[n] = W.T @ da
        dC_prev[n] = dC * f
        dU += np.outer(da, x[n])
        dW += np.outer(da, h_prev[n])
        db += da
    return dx, dh_prev, dC_prev, dU, dW, db
