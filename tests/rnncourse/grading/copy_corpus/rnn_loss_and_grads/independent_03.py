"""rnn_loss_and_grads: vectorised output layer and loss over all steps, einsum for the weights."""
import numpy as np


def rnn_loss_and_grads(params, X, Y, h0):
    U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["c"]
    N, T, D = X.shape
    H = W.shape[0]
    states = np.empty((N, T + 1, H))
    states[:, 0] = h0
    for t in range(T):
        states[:, t + 1] = np.tanh(X[:, t] @ U.T + states[:, t] @ W.T + b)
    Hs = states[:, 1:]
    logits = np.einsum("nth,kh->ntk", Hs, V) + c
    m = logits.max(-1, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(-1, keepdims=True))
    logp = logits - lse
    n_idx, t_idx = np.meshgrid(np.arange(N), np.arange(T), indexing="ij")
    loss = -logp[n_idx, t_idx, Y].sum() / N
    dO = np.exp(logp)
    dO[n_idx, t_idx, Y] -= 1.0
    dO /= N
    dV = np.einsum("ntk,nth->kh", dO, Hs)
    dc = dO.sum(axis=(0, 1))
    dH = np.einsum("ntk,kh->nth", dO, V)
    deltas = np.zeros((N, T, H))
    carry = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        deltas[:, t] = (dH[:, t] + carry) * (1 - Hs[:, t] ** 2)
        carry = deltas[:, t] @ W
    grads = {
        "U": np.einsum("nth,ntd->hd", deltas, X),
        "W": np.einsum("nth,ntk->hk", deltas, states[:, :-1]),
        "b": deltas.sum(axis=(0, 1)),
        "V": dV,
        "c": dc,
    }
    return float(loss), grads, Hs[:, -1].copy()
