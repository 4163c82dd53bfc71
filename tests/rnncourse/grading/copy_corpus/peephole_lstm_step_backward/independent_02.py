import numpy as np


def _sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    N, H = h_prev.shape
    dx, dh_prev, dC_prev = np.zeros_like(x), np.zeros_like(h_prev), np.zeros_like(C_prev)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    dpi = [np.zeros(H), np.zeros(H), np.zeros(H)]
    for n in range(N):
        c0 = C_prev[n]
        a = U @ x[n] + W @ h_prev[n] + b
        i = _sig(a[:H] + pi_i * c0)
        f = _sig(a[H:2 * H] + pi_f * c0)
        g = np.tanh(a[3 * H:])
        c1 = f * c0 + i * g
        o = _sig(a[2 * H:3 * H] + pi_omega * c1)
        th = np.tanh(c1)
        do = dh_next[n] * th * o * (1 - o)
        dc = dC_next[n] + dh_next[n] * o * (1 - th ** 2) + pi_omega * do
        di = dc * g * i * (1 - i)
        df = dc * c0 * f * (1 - f)
        dg = dc * i * (1 - g ** 2)
        da = np.concatenate([di, df, do, dg])
        dx[n] = U.T @ da
        dh_prev[n] = W.T @ da
        dC_prev[n] = dc * f + pi_i * di + pi_f * df
        dU += np.outer(da, x[n])
        dW += np.outer(da, h_prev[n])
        db += da
        dpi[0] += di * c0
        dpi[1] += df * c0
        dpi[2] += do * c1
    return dx, dh_prev, dC_prev, dU, dW, db, dpi[0], dpi[1], dpi[2]
