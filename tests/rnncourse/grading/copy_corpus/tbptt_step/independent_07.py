import numpy as np


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    N, T = inputs.shape
    V, c = params["V"], params["c"]
    K = V.shape[0]
    X = np.zeros((N, T, K))
    X[np.arange(N)[:, None], np.arange(T), inputs] = 1
    h0, C0 = state
    Hs, Cs, backward = lstm(params, X, h0, C0)
    dHs = np.zeros_like(Hs)
    dV, dc = np.zeros_like(V), np.zeros_like(c)
    total_loss = 0.0
    for t in range(T):
        logits = Hs[:, t] @ V.T + c
        shift = logits - logits.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shift).sum(axis=1))
        y = targets[:, t]
        total_loss += np.sum(log_sum - shift[np.arange(N), y])
        probs = np.exp(shift - log_sum[:, None])
        probs[np.arange(N), y] -= 1
        g = probs / (N * T)
        dHs[:, t] = g @ V
        dV += g.T @ Hs[:, t]
        dc += g.sum(0)
    grads = backward(dHs)
    grads.update({"V": dV, "c": dc})
    norm = np.sqrt(sum((grads[k] ** 2).sum() for k in ("U", "W", "b", "V", "c")))
    if norm > max_norm:
        for k in grads:
            grads[k] = grads[k] * max_norm / norm
    new_params = {k: params[k] - lr * grads[k] for k in ("U", "W", "b", "V", "c")}
    return new_params, float(total_loss / (N * T)), (Hs[:, -1].copy(), Cs[:, -1].copy())
