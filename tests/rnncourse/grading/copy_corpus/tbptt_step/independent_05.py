import numpy as np


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    U, W, b, V, c = (params[k] for k in ("U", "W", "b", "V", "c"))
    N, T = inputs.shape
    K = V.shape[0]
    X = np.eye(K)[inputs.reshape(-1)].reshape(N, T, K)
    Hs, Cs, backward = lstm(params, X, state[0], state[1])
    H = Hs.shape[-1]
    flat_H = Hs.reshape(N * T, H)
    logits = flat_H @ V.T + c
    logits = logits - logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    y = targets.reshape(-1)
    loss = -log_p[np.arange(N * T), y].mean()
    delta = np.exp(log_p)
    delta[np.arange(N * T), y] -= 1
    delta /= N * T
    grads = backward((delta @ V).reshape(N, T, H))
    grads["V"] = delta.T @ flat_H
    grads["c"] = delta.sum(axis=0)
    sq = sum(np.vdot(g, g) for g in grads.values())
    if np.sqrt(sq) > max_norm:
        ratio = max_norm / np.sqrt(sq)
        for k in grads:
            grads[k] = grads[k] * ratio
    updated = {k: params[k] - lr * grads[k] for k in ("U", "W", "b", "V", "c")}
    return updated, float(loss), (Hs[:, -1].copy(), Cs[:, -1].copy())
