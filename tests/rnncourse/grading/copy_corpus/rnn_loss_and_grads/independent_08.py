"""rnn_loss_and_grads: backward step helper returning a tuple, accumulated with zip."""
import numpy as np


def softmax_rows(z):
    z = z - z.max(axis=-1, keepdims=True)
    ez = np.exp(z)
    return ez / ez.sum(axis=-1, keepdims=True)


def step_back(dh, x, h_prev, h, U, W):
    d = dh * (1 - h ** 2)
    return d @ W, d.T @ x, d.T @ h_prev, d.sum(axis=0)


def rnn_loss_and_grads(params, X, Y, h0):
    """Full BPTT over the batch."""
    U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["c"]
    N, T = Y.shape
    states = [h0]
    for t in range(T):
        states.append(np.tanh(X[:, t] @ U.T + states[t] @ W.T + b))
    probs = [softmax_rows(s @ V.T + c) for s in states[1:]]
    rows = np.arange(N)
    loss = -np.sum([np.log(probs[t][rows, Y[:, t]]).sum() for t in range(T)]) / N
    dV, dc = np.zeros_like(V), np.zeros_like(c)
    acc = [np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)]
    dh_prev = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        do = probs[t]
        do[rows, Y[:, t]] -= 1
        do = do / N
        dV += do.T @ states[t + 1]
        dc += do.sum(axis=0)
        dh_prev, *parts = step_back(do @ V + dh_prev, X[:, t], states[t], states[t + 1], U, W)
        acc = [a + p for a, p in zip(acc, parts)]
    return float(loss), {"U": acc[0], "W": acc[1], "b": acc[2], "V": dV, "c": dc}, states[-1]
