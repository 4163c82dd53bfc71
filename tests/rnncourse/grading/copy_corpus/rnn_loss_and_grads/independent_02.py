"""rnn_loss_and_grads assembled from the notebook's earlier functions (defined here)."""
import numpy as np


def rnn_forward(X, h0, U, W, b):
    Hs = np.zeros((X.shape[0], X.shape[1], W.shape[0]))
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        Hs[:, t] = h
    return Hs


def sequence_cross_entropy(O, Y):
    z = O - O.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return float(-np.take_along_axis(logp, Y[..., None], axis=-1).sum() / O.shape[0])


def sequence_cross_entropy_backward(O, Y):
    z = np.exp(O - O.max(axis=-1, keepdims=True))
    p = z / z.sum(axis=-1, keepdims=True)
    return (p - np.eye(O.shape[-1])[Y]) / O.shape[0]


def output_backward(dO, Hs, V):
    return dO @ V, np.einsum("ntk,nth->kh", dO, Hs), dO.sum(axis=(0, 1))


def rnn_backward(dHs, X, h0, Hs, U, W):
    dX, dU, dW, db = np.zeros(X.shape), np.zeros(U.shape), np.zeros(W.shape), np.zeros(W.shape[0])
    dh = np.zeros(h0.shape)
    for t in reversed(range(X.shape[1])):
        da = (dHs[:, t] + dh) * (1 - Hs[:, t] ** 2)
        dX[:, t] = da @ U
        dU += da.T @ X[:, t]
        dW += da.T @ (Hs[:, t - 1] if t > 0 else h0)
        db += da.sum(axis=0)
        dh = da @ W
    return dX, dh, dU, dW, db


def rnn_loss_and_grads(params, X, Y, h0):
    Hs = rnn_forward(X, h0, params["U"], params["W"], params["b"])
    O = Hs @ params["V"].T + params["c"]
    loss = sequence_cross_entropy(O, Y)
    dHs, dV, dc = output_backward(sequence_cross_entropy_backward(O, Y), Hs, params["V"])
    _, _, dU, dW, db = rnn_backward(dHs, X, h0, Hs, params["U"], params["W"])
    return loss, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}, Hs[:, -1]
