import math

import numpy as np


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, D = X.shape
    H = h0.shape[1]

    def sg(v):
        return 1 / (1 + np.exp(-v))

    total_log = np.zeros(T)        # sum over the examples of log ||dC||, per lag
    sum_log_f, count_f = 0.0, 0
    for n in range(N):
        h, C = h0[n], C0[n]
        rec = []
        for t in range(T):
            a = U @ X[n, t] + W @ h + b
            i, f, o, g = sg(a[:H]), sg(a[H:2 * H]), sg(a[2 * H:3 * H]), np.tanh(a[3 * H:])
            Cn = f * C + i * g
            rec.append((i, f, o, g, C, Cn))
            if t > 0:
                sum_log_f += float(np.sum(np.log(f)))
                count_f += H
            h, C = o * np.tanh(Cn), Cn
        dh_r, dC_r = np.zeros(H), np.zeros(H)
        for t in range(T - 1, -1, -1):
            i, f, o, g, Cp, Cn = rec[t]
            th = np.tanh(Cn)
            dh = dh_r + (1.0 if t == T - 1 else 0.0)
            dC = dC_r + dh * o * (1 - th * th)
            total_log[T - 1 - t] += math.log(math.sqrt(float(np.dot(dC, dC))))
            da = np.concatenate([dC * g * i * (1 - i), dC * Cp * f * (1 - f), dh * th * o * (1 - o),
                                 dC * i * (1 - g * g)])
            dh_r, dC_r = W.T @ da, dC * f
    y = total_log / N
    xs = list(range(T))
    x_bar, y_bar = sum(xs) / T, float(np.mean(y))
    num = sum((xk - x_bar) * (yk - y_bar) for xk, yk in zip(xs, y))
    den = sum((xk - x_bar) ** 2 for xk in xs)
    return num / den, sum_log_f / count_f
