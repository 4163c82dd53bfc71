"""output_backward: per-step contributions in a helper, single steps handled by the same helper."""
import numpy as np


def _layer_grads(g, h, V):
    # one step: g (N, K), h (N, H)
    return g @ V, g.T @ h, g.sum(axis=0)


def output_backward(dO, Hs, V):
    if dO.ndim == 2:
        return _layer_grads(dO, Hs, V)
    parts = [_layer_grads(dO[:, t], Hs[:, t], V) for t in range(dO.shape[1])]
    dHs = np.stack([p[0] for p in parts], axis=1)
    dV = np.sum([p[1] for p in parts], axis=0)
    dc = np.sum([p[2] for p in parts], axis=0)
    return dHs, dV, dc
