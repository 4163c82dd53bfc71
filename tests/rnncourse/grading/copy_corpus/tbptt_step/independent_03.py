import math

import numpy as np


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    N, T = inputs.shape
    K = params["c"].shape[0]
    X = np.zeros((N, T, K))
    for n in range(N):
        for t in range(T):
            X[n, t, inputs[n, t]] = 1.0
    Hs, Cs, backward = lstm(params, X, state[0], state[1])
    V, c = params["V"], params["c"]
    dHs = np.zeros(Hs.shape)
    dV = np.zeros(V.shape)
    dc = np.zeros(c.shape)
    loss = 0.0
    for t in range(T):
        o = Hs[:, t] @ V.T + c
        o = o - o.max(axis=1, keepdims=True)
        p = np.exp(o)
        p /= p.sum(axis=1, keepdims=True)
        rows = np.arange(N)
        loss -= np.sum(o[rows, targets[:, t]] - np.log(np.exp(o).sum(axis=1)))
        do = p.copy()
        do[rows, targets[:, t]] -= 1
        do /= N * T
        dV += do.T @ Hs[:, t]
        dc += do.sum(axis=0)
        dHs[:, t] = do @ V
    loss /= N * T
    grads = backward(dHs)
    grads["V"], grads["c"] = dV, dc
    norm = math.sqrt(sum(float(np.sum(grads[k] ** 2)) for k in grads))
    factor = max_norm / norm if norm > max_norm else 1.0
    new_params = {}
    for key in params:
        new_params[key] = params[key] - lr * factor * grads[key]
    return new_params, float(loss), (Hs[:, -1].copy(), Cs[:, -1].copy())
