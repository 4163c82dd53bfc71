import numpy as np


def logsumexp(a, axis=-1, keepdims=False):
    top = np.max(a, axis=axis, keepdims=True)
    out = top + np.log(np.sum(np.exp(a - top), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def tbptt_step(params, inputs, targets, state, lstm, lr, max_norm):
    N, T = inputs.shape
    V, c = params["V"], params["c"]
    K = V.shape[0]
    X = np.zeros((N, T, K))
    X[np.arange(N)[:, None], np.arange(T)[None, :], inputs] = 1.0
    h0, C0 = state
    Hs, Cs, backward = lstm(params, X, h0, C0)
    logits = Hs @ V.T + c
    log_probs = logits - logsumexp(logits, axis=2, keepdims=True)
    n_idx, t_idx = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    loss = -log_probs[n_idx, t_idx, targets].mean()
    d_logits = np.exp(log_probs)
    d_logits[n_idx, t_idx, targets] -= 1.0
    d_logits /= N * T
    dV = d_logits.reshape(-1, K).T @ Hs.reshape(N * T, -1)
    dc = d_logits.reshape(-1, K).sum(axis=0)
    grads = dict(backward(d_logits @ V))
    grads.update(V=dV, c=dc)
    total = np.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    new = {name: value - lr * scale * grads[name] for name, value in params.items()}
    return new, float(loss), (Hs[:, T - 1].copy(), Cs[:, T - 1].copy())
