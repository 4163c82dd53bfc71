"""output_backward with explicit loops over every leading index."""
import numpy as np


def output_backward(dO, Hs, V):
    K, H = V.shape
    flat_o = dO.reshape(-1, K)
    flat_h = Hs.reshape(-1, H)
    dH = np.zeros(flat_h.shape)
    dV = np.zeros((K, H))
    dc = np.zeros(K)
    for r in range(flat_o.shape[0]):
        for k in range(K):
            g = flat_o[r, k]
            dc[k] += g
            for j in range(H):
                dV[k, j] += g * flat_h[r, j]
                dH[r, j] += g * V[k, j]
    return dH.reshape(Hs.shape), dV, dc
