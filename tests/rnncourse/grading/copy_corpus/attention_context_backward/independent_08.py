import numpy as np


def attention_context_backward(dMs, alpha, values):
    if alpha.ndim == 2:
        dalpha = np.einsum("nh,njh->nj", dMs, values)
        dvalues = alpha[..., None] * dMs[:, None, :]
    else:
        dalpha = dMs @ values.swapaxes(-1, -2)
        dvalues = alpha.swapaxes(-1, -2) @ dMs
    return dalpha, dvalues
