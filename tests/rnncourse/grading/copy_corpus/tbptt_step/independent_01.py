import numpy as np


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    N, T = inputs.shape
    K = params["V"].shape[0]
    X = np.eye(K)[inputs]
    Hs, Cs, backward = lstm(params, X, state[0], state[1])
    O = Hs @ params["V"].T + params["c"]
    O_shift = O - O.max(axis=2, keepdims=True)
    log_p = O_shift - np.log(np.exp(O_shift).sum(axis=2, keepdims=True))
    Y = np.eye(K)[targets]
    loss = -np.sum(Y * log_p) / (N * T)
    dO = (np.exp(log_p) - Y) / (N * T)
    grads = backward(dO @ params["V"])
    grads["V"] = np.einsum("ntk,nth->kh", dO, Hs)
    grads["c"] = dO.sum(axis=(0, 1))
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    if norm > max_norm:
        grads = {k: g * (max_norm / norm) for k, g in grads.items()}
    new_params = {k: params[k] - lr * grads[k] for k in params}
    return new_params, float(loss), (Hs[:, -1].copy(), Cs[:, -1].copy())
