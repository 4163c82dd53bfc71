import numpy as np


def attention_weights_backward(dalpha, alpha):
    dE = np.zeros_like(alpha)
    a2 = alpha.reshape(-1, alpha.shape[-1])
    d2 = dalpha.reshape(-1, alpha.shape[-1])
    out = dE.reshape(a2.shape)
    for r in range(a2.shape[0]):
        jac = np.diag(a2[r]) - np.outer(a2[r], a2[r])
        out[r] = jac @ d2[r]
    return dE
