import math

import numpy as np


def _one_hot(idx, K):
    out = np.zeros(idx.shape + (K,))
    np.put_along_axis(out, idx[..., None], 1.0, axis=-1)
    return out


def _softmax_cross_entropy(O, targets):
    """Mean cross-entropy over every position, and its gradient on the logits."""
    z = O - O.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    Y = _one_hot(targets, O.shape[-1])
    n = targets.size
    return -(Y * log_p).sum() / n, (np.exp(log_p) - Y) / n


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    K = params["V"].shape[0]
    Hs, Cs, backward = lstm(params, _one_hot(inputs, K), state[0], state[1])
    O = Hs @ params["V"].T + params["c"]
    loss, dO = _softmax_cross_entropy(O, targets)
    H = Hs.shape[2]
    grads = {
        "V": dO.reshape(-1, K).T @ Hs.reshape(-1, H),
        "c": dO.reshape(-1, K).sum(axis=0),
    }
    grads.update(backward(dO @ params["V"]))
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    coef = lr * (max_norm / norm if norm > max_norm else 1.0)
    new_params = {k: p - coef * grads[k] for k, p in params.items()}
    return new_params, float(loss), (Hs[:, -1].copy(), Cs[:, -1].copy())
