"""rnn_loss_and_grads in one function: forward loop, softmax, loss, backward loop."""
import numpy as np


def rnn_loss_and_grads(params, X, Y, h0):
    U, W, b, V, c = (params[k] for k in ("U", "W", "b", "V", "c"))
    N, T, _ = X.shape
    hs = [h0]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ U.T + hs[-1] @ W.T + b))
    loss = 0.0
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    dV, dc = np.zeros_like(V), np.zeros_like(c)
    dh_next = np.zeros_like(h0)
    probs = []
    for t in range(T):
        o = hs[t + 1] @ V.T + c
        o = o - o.max(axis=1, keepdims=True)
        p = np.exp(o) / np.exp(o).sum(axis=1, keepdims=True)
        loss -= np.log(p[np.arange(N), Y[:, t]]).sum()
        probs.append(p)
    for t in reversed(range(T)):
        do = probs[t].copy()
        do[np.arange(N), Y[:, t]] -= 1
        do /= N
        dV += do.T @ hs[t + 1]
        dc += do.sum(axis=0)
        dh = do @ V + dh_next
        da = dh * (1 - hs[t + 1] ** 2)
        dU += da.T @ X[:, t]
        dW += da.T @ hs[t]
        db += da.sum(axis=0)
        dh_next = da @ W
    return float(loss / N), {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}, hs[-1]
