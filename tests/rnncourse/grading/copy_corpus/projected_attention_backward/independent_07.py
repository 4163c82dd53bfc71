import numpy as np


def _forward_weights(q, k, s, mask):
    e = np.matmul(q, np.transpose(k, (0, 2, 1))) / s
    if mask is not None:
        e = np.where(mask[:, np.newaxis, :], e, -np.inf)
    e = np.exp(e - np.amax(e, axis=2, keepdims=True))
    return e / np.sum(e, axis=2, keepdims=True)


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    s = np.sqrt(W_q.shape[0]) if scaled else 1.0
    q = np.matmul(Hs_dec, W_q.T)
    k = np.matmul(Hs_enc, U_k.T)
    v = np.matmul(Hs_enc, U_v.T)
    alpha = _forward_weights(q, k, s, mask)
    d_alpha = np.matmul(dMs, np.transpose(v, (0, 2, 1)))
    d_v = np.matmul(np.transpose(alpha, (0, 2, 1)), dMs)
    centred = d_alpha - np.sum(alpha * d_alpha, axis=2, keepdims=True)
    d_e = alpha * centred / s
    d_q = np.matmul(d_e, k)
    d_k = np.matmul(np.transpose(d_e, (0, 2, 1)), q)
    d_Wq = sum(d_q[n].T @ Hs_dec[n] for n in range(len(Hs_dec)))
    d_Uk = sum(d_k[n].T @ Hs_enc[n] for n in range(len(Hs_enc)))
    d_Uv = sum(d_v[n].T @ Hs_enc[n] for n in range(len(Hs_enc)))
    from_keys = np.matmul(d_k, U_k)
    from_values = np.matmul(d_v, U_v)
    return d_Wq, d_Uk, d_Uv, np.matmul(d_q, W_q), from_keys + from_values
