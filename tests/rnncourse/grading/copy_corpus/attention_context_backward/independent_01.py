import numpy as np


def attention_context_backward(dMs, alpha, values):
    if alpha.ndim == 2:
        dalpha = np.einsum("nh,njh->nj", dMs, values)
        dvalues = np.einsum("nj,nh->njh", alpha, dMs)
    else:
        dalpha = np.einsum("nth,njh->ntj", dMs, values)
        dvalues = np.einsum("ntj,nth->njh", alpha, dMs)
    return dalpha, dvalues
