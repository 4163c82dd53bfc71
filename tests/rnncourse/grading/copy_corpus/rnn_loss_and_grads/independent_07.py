"""rnn_loss_and_grads: time-major arrays, the forward and backward loops over a transposed X."""
import numpy as np


def rnn_loss_and_grads(params, X, Y, h0):
    U, W, b, V, c = params["U"], params["W"], params["b"], params["V"], params["c"]
    xs = np.swapaxes(X, 0, 1)
    ys = Y.T
    T, N = ys.shape
    H = np.zeros((T + 1, N, W.shape[0]))
    H[0] = h0
    P = np.zeros((T, N, V.shape[0]))
    nll = 0.0
    for t in range(T):
        H[t + 1] = np.tanh(xs[t].dot(U.T) + H[t].dot(W.T) + b)
        logits = H[t + 1].dot(V.T) + c
        a = logits.max(axis=1)
        logz = a + np.log(np.exp(logits - a[:, None]).sum(axis=1))
        P[t] = np.exp(logits - logz[:, None])
        nll += np.sum(logz - logits[np.arange(N), ys[t]])
    dU, dW, db, dV, dc = (np.zeros(U.shape), np.zeros(W.shape), np.zeros(b.shape), np.zeros(V.shape),
                          np.zeros(c.shape))
    dnext = np.zeros((N, W.shape[0]))
    for t in range(T)[::-1]:
        g = P[t].copy()
        g[np.arange(N), ys[t]] -= 1.0
        g /= N
        dV += g.T.dot(H[t + 1])
        dc += g.sum(0)
        dpre = (g.dot(V) + dnext) * (1.0 - H[t + 1] ** 2)
        dU += dpre.T.dot(xs[t])
        dW += dpre.T.dot(H[t])
        db += dpre.sum(0)
        dnext = dpre.dot(W)
    return nll / N, {"U": dU, "W": dW, "b": db, "V": dV, "c": dc}, H[T]
