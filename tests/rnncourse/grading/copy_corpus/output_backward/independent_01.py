"""output_backward with einsum on rows: batch and time flattened, "..." for dHs."""
import numpy as np


def output_backward(dO, Hs, V):
    dHs = np.einsum("...k,kh->...h", dO, V)
    g = dO.reshape(-1, dO.shape[-1])
    dV = np.einsum("rk,rh->kh", g, Hs.reshape(-1, Hs.shape[-1]))
    dc = np.einsum("rk->k", g)
    return dHs, dV, dc
