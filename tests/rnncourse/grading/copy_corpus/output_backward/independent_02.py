"""output_backward: add a time axis to a single step, loop over the steps, drop the axis again."""
import numpy as np


def output_backward(dO, Hs, V):
    single = dO.ndim == 2
    if single:
        dO, Hs = dO[:, None, :], Hs[:, None, :]
    N, T, K = dO.shape
    dHs = np.zeros(Hs.shape)
    dV = np.zeros(V.shape)
    dc = np.zeros(K)
    for t in range(T):
        dHs[:, t] = dO[:, t] @ V
        dV += dO[:, t].T @ Hs[:, t]
        dc += dO[:, t].sum(axis=0)
    if single:
        dHs = dHs[:, 0]
    return dHs, dV, dc
