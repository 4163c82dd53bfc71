"""rnn_loss_and_grads one sequence at a time, with column vectors and outer products."""
import math

import numpy as np


def rnn_loss_and_grads(params, X, Y, h0):
    U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["c"]
    N, T, _ = X.shape
    grads = {k: np.zeros(np.shape(v)) for k, v in params.items()}
    total = 0.0
    h_last = np.zeros(h0.shape)
    for n in range(N):
        hs = [h0[n]]
        ps = []
        for t in range(T):
            hs.append(np.tanh(U @ X[n, t] + W @ hs[-1] + b))
            o = V @ hs[-1] + c
            e = np.exp(o - o.max())
            ps.append(e / e.sum())
            total -= math.log(ps[-1][Y[n, t]])
        h_last[n] = hs[-1]
        dh_next = np.zeros(len(b))
        for t in range(T - 1, -1, -1):
            do = ps[t].copy()
            do[Y[n, t]] -= 1.0
            do = do / N
            grads["V"] += np.outer(do, hs[t + 1])
            grads["c"] += do
            da = (V.T @ do + dh_next) * (1.0 - hs[t + 1] ** 2)
            grads["U"] += np.outer(da, X[n, t])
            grads["W"] += np.outer(da, hs[t])
            grads["b"] += da
            dh_next = W.T @ da
    return total / N, {k: grads[k] for k in ("U", "W", "b", "V", "c")}, h_last
