import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    H = W.shape[1]
    # column layout: everything (H, N), as in a = b + W h + U x
    X, Hp, Cp = x.T, h_prev.T, C_prev.T
    dh, dCn = dh_next.T, dC_next.T
    a = U @ X + W @ Hp + b[:, None]
    sg = 1 / (1 + np.exp(-a[:3 * H]))
    i, f, om = sg[:H], sg[H:2 * H], sg[2 * H:]
    Ct = np.tanh(a[3 * H:])
    C = f * Cp + i * Ct
    tC = np.tanh(C)
    dC = dCn + dh * om * (1 - tC * tC)
    da = np.vstack([dC * Ct * i * (1 - i),
                    dC * Cp * f * (1 - f),
                    dh * tC * om * (1 - om),
                    dC * i * (1 - Ct * Ct)])  # (4H, N)
    dU = da @ X.T
    dW = da @ Hp.T
    db = da.sum(axis=1)
    dx = (U.T @ da).T
    dh_prev = (W.T @ da).T
    dC_prev = (dC * f).T
    return dx, dh_prev, dC_prev, dU, dW, db
