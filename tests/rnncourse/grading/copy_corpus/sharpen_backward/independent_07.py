import numpy as np


def _lse(z):
    top = np.max(z, axis=-1, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=-1, keepdims=True))


def sharpen_backward(dw, w_tilde, xi):
    xi_col = xi[:, None]
    nonzero = w_tilde > 0
    L = np.log(np.where(nonzero, w_tilde, 1.0))
    scores = np.where(nonzero, xi_col * L, -np.inf)
    log_Z = _lse(scores)
    w = np.exp(scores - log_Z)
    g = dw - np.einsum("ij,ij->i", w, dw)[:, None]
    d_xi = np.einsum("ij,ij,ij->i", w, g, L)
    log_ratio = np.where(nonzero, (xi_col - 1.0) * L - log_Z, -np.inf)
    log_ratio = np.where(~nonzero & (xi_col == 1.0), -log_Z, log_ratio)
    d_w_tilde = xi_col * np.exp(log_ratio) * g
    return d_w_tilde, d_xi
