"""output_backward: outer products summed over examples and steps, with np.outer."""
import numpy as np


def output_backward(dO, Hs, V):
    dHs = np.matmul(dO, V)
    dV = np.zeros_like(V, dtype=float)
    for g, h in zip(dO.reshape(-1, dO.shape[-1]), Hs.reshape(-1, Hs.shape[-1])):
        dV += np.outer(g, h)
    dc = np.add.reduce(dO.reshape(-1, dO.shape[-1]), axis=0)
    return dHs, dV, dc
