"""esn_forecast with einsum and the bias as the first weight."""
import numpy as np


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    keep = 1.0 - 1.0 / np.asarray(gamma, dtype=float)
    drive = np.einsum("hd,t->th", U, x) + b  # input part of every step, U has one column
    H = W.shape[0]
    S = np.empty((len(x), H))
    s = np.zeros(H)
    for t in range(len(x)):
        s = keep * s + (1.0 - keep) * np.tanh(drive[t] + np.einsum("hk,k->h", W, s))
        S[t] = s
    Z = np.concatenate([np.ones((len(x), 1)), S], axis=1)
    Ztr = Z[washout:n_train - 1]
    G = np.einsum("ti,tj->ij", Ztr, Ztr)
    G[1:, 1:] += mu * np.eye(H)
    coef = np.linalg.solve(G, np.einsum("ti,t->i", Ztr, x[washout + 1:n_train]))
    return Z[n_train - 1:len(x) - 1] @ coef
