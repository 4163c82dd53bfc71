"""rnn_loss_and_grads with log-softmax for the loss (stable) and one-hot targets for dO."""
import numpy as np


def rnn_loss_and_grads(params, X, Y, h0):
    N, T, _ = X.shape
    K = params["V"].shape[0]
    onehot = np.eye(K)[Y]  # (N, T, K)
    h = h0
    hist = []
    for t in range(T):
        h = np.tanh(params["b"] + h @ params["W"].T + X[:, t] @ params["U"].T)
        hist.append(h)
    Hs = np.stack(hist, axis=1)
    O = Hs @ params["V"].T + params["c"]
    shift = O - O.max(axis=2, keepdims=True)
    log_sm = shift - np.log(np.sum(np.exp(shift), axis=2, keepdims=True))
    loss = float(-(onehot * log_sm).sum() / N)
    dO = (np.exp(log_sm) - onehot) / N
    dV = sum(dO[:, t].T @ Hs[:, t] for t in range(T))
    dc = dO.sum(axis=0).sum(axis=0)
    dHs = dO @ params["V"]
    dU = np.zeros(params["U"].shape)
    dW = np.zeros(params["W"].shape)
    db = np.zeros(params["b"].shape)
    back = np.zeros(h0.shape)
    for t in range(T - 1, -1, -1):
        delta = (dHs[:, t] + back) * (1.0 - Hs[:, t] ** 2)
        dU = dU + delta.T @ X[:, t]
        dW = dW + delta.T @ (hist[t - 1] if t > 0 else h0)
        db = db + delta.sum(axis=0)
        back = delta @ params["W"]
    return loss, dict(U=dU, W=dW, b=db, V=dV, c=dc), hist[-1]
