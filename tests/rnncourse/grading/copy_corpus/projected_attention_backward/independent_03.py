import numpy as np


def _softmax_masked(scores, mask):
    if mask is not None:
        scores = np.where(mask[:, None, :], scores, -np.inf)
    z = np.exp(scores - np.max(scores, axis=2, keepdims=True))
    return z / np.sum(z, axis=2, keepdims=True)


def _flat_outer(grad, x):
    # sum over every example and position of grad x^T
    return grad.reshape(-1, grad.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    q = Hs_dec @ W_q.T
    k = Hs_enc @ U_k.T
    v = Hs_enc @ U_v.T
    factor = W_q.shape[0] ** -0.5 if scaled else 1.0
    w = _softmax_masked(factor * np.matmul(q, k.transpose(0, 2, 1)), mask)
    g_w = np.matmul(dMs, v.transpose(0, 2, 1))
    g_v = np.matmul(w.transpose(0, 2, 1), dMs)
    g_scores = factor * (w * g_w - w * np.sum(w * g_w, axis=2, keepdims=True))
    g_q = np.matmul(g_scores, k)
    g_k = np.matmul(g_scores.transpose(0, 2, 1), q)
    grad_enc = np.matmul(g_k, U_k)
    grad_enc = grad_enc + np.matmul(g_v, U_v)
    return (_flat_outer(g_q, Hs_dec), _flat_outer(g_k, Hs_enc), _flat_outer(g_v, Hs_enc), np.matmul(g_q, W_q),
            grad_enc)
