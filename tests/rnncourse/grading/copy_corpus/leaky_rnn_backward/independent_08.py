"""leaky_rnn_backward with explicit loops over units for the elementwise parts."""
import numpy as np


def leaky_rnn_backward(dHs, X, h0, Hs, U, W, gamma):
    N, T, D = X.shape
    H = W.shape[0]
    gvec = np.broadcast_to(np.asarray(gamma, dtype=float), (H,))
    dX = np.zeros((N, T, D))
    dU = np.zeros((H, D))
    dW = np.zeros((H, H))
    db = np.zeros(H)
    later = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        h_prev = h0 if t == 0 else Hs[:, t - 1]
        dz = np.zeros((N, H))
        direct = np.zeros((N, H))
        for i in range(H):
            s = gvec[i] * Hs[:, t, i] - (gvec[i] - 1.0) * h_prev[:, i]
            tot = dHs[:, t, i] + later[:, i]
            dz[:, i] = tot * (1.0 - s ** 2) / gvec[i]
            direct[:, i] = tot * (1.0 - 1.0 / gvec[i])
        dX[:, t] = dz @ U
        dU += dz.T @ X[:, t]
        dW += dz.T @ h_prev
        db += dz.sum(axis=0)
        later = direct + dz @ W
    return dX, later, dU, dW, db
