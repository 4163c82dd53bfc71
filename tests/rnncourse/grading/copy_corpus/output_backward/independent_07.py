"""output_backward: the bias gradient first, sums over all leading axes by repeated sum(0)."""
import numpy as np


def output_backward(dO, Hs, V):
    dc = dO
    while dc.ndim > 1:
        dc = dc.sum(axis=0)
    if dO.ndim == 3:
        dV = sum(dO[:, t].T.dot(Hs[:, t]) for t in range(dO.shape[1]))
    else:
        dV = dO.T.dot(Hs)
    return dO.dot(V), dV, dc
