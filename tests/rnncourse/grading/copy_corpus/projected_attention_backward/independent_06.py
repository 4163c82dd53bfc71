import math

import numpy as np


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    N = Hs_dec.shape[0]
    H_a = W_q.shape[0]
    div = math.sqrt(H_a) if scaled else 1.0
    grads = [np.zeros_like(a) for a in (W_q, U_k, U_v, Hs_dec, Hs_enc)]
    for n in range(N):
        # one example: all its steps as a matrix, states as rows
        X, Z, G = Hs_dec[n], Hs_enc[n], dMs[n]
        Qn, Kn, Vn = X @ W_q.T, Z @ U_k.T, Z @ U_v.T
        E = Qn @ Kn.T / div
        if mask is not None:
            E[:, ~mask[n]] = -np.inf
        A = np.exp(E - E.max(axis=1, keepdims=True))
        A = A / A.sum(axis=1, keepdims=True)
        dA = G @ Vn.T
        dV = A.T @ G
        dE = A * dA - A * (A * dA).sum(axis=1, keepdims=True)
        dQ = dE @ Kn / div
        dK = dE.T @ Qn / div
        grads[0] += dQ.T @ X
        grads[1] += dK.T @ Z
        grads[2] += dV.T @ Z
        grads[3][n] = dQ @ W_q
        grads[4][n] = dK @ U_k + dV @ U_v
    return tuple(grads)
