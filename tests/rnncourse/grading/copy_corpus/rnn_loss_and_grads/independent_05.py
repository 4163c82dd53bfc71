"""rnn_loss_and_grads: caches of the forward pass in a dict, one backward helper."""
import numpy as np


def _forward(p, X, h0):
    cache = {"h": [h0], "p": []}
    for t in range(X.shape[1]):
        h = np.tanh(np.dot(X[:, t], p["U"].T) + np.dot(cache["h"][-1], p["W"].T) + p["b"])
        o = np.dot(h, p["V"].T) + p["c"]
        e = np.exp(o - np.max(o, axis=1, keepdims=True))
        cache["h"].append(h)
        cache["p"].append(e / np.sum(e, axis=1, keepdims=True))
    return cache


def _backward(p, X, Y, cache):
    N = X.shape[0]
    g = {k: np.zeros_like(v, dtype=float) for k, v in p.items()}
    dh_future = np.zeros_like(cache["h"][0], dtype=float)
    for t in reversed(range(X.shape[1])):
        dout = cache["p"][t].copy()
        dout[np.arange(N), Y[:, t]] -= 1
        dout = dout / N
        g["V"] += np.dot(dout.T, cache["h"][t + 1])
        g["c"] += np.sum(dout, axis=0)
        dz = (np.dot(dout, p["V"]) + dh_future) * (1 - cache["h"][t + 1] ** 2)
        g["U"] += np.dot(dz.T, X[:, t])
        g["W"] += np.dot(dz.T, cache["h"][t])
        g["b"] += np.sum(dz, axis=0)
        dh_future = np.dot(dz, p["W"])
    return g


def rnn_loss_and_grads(params, X, Y, h0):
    cache = _forward(params, X, h0)
    N = X.shape[0]
    loss = -sum(np.sum(np.log(cache["p"][t][np.arange(N), Y[:, t]])) for t in range(X.shape[1])) / N
    grads = _backward(params, X, Y, cache)
    return float(loss), {k: grads[k] for k in ("U", "W", "b", "V", "c")}, cache["h"][-1]
