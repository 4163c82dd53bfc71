import math

import numpy as np


def projected_attention_backward(dMs, Hs_dec, Hs_enc, W_q, U_k, U_v, scaled=False, mask=None):
    # one example and one target step at a time, with column vectors as on paper
    N, T_y, _ = Hs_dec.shape
    T_x = Hs_enc.shape[1]
    s = math.sqrt(W_q.shape[0]) if scaled else 1.0
    dW_q, dU_k, dU_v = np.zeros(W_q.shape), np.zeros(U_k.shape), np.zeros(U_v.shape)
    dHs_dec, dHs_enc = np.zeros(Hs_dec.shape), np.zeros(Hs_enc.shape)
    for n in range(N):
        keys = Hs_enc[n] @ U_k.T
        values = Hs_enc[n] @ U_v.T
        allowed = np.ones(T_x, dtype=bool) if mask is None else mask[n]
        d_keys = np.zeros(keys.shape)
        d_values = np.zeros(values.shape)
        for t in range(T_y):
            q = W_q @ Hs_dec[n, t]
            e = keys @ q / s
            e[~allowed] = -np.inf
            a = np.exp(e - e.max())
            a = a / a.sum()
            g = dMs[n, t]
            d_values += np.outer(a, g)
            da = values @ g
            de = a * (da - a @ da)
            dq = keys.T @ de / s
            d_keys += np.outer(de, q) / s
            dW_q += np.outer(dq, Hs_dec[n, t])
            dHs_dec[n, t] = W_q.T @ dq
        dU_k += d_keys.T @ Hs_enc[n]
        dU_v += d_values.T @ Hs_enc[n]
        dHs_enc[n] = d_keys @ U_k + d_values @ U_v
    return dW_q, dU_k, dU_v, dHs_dec, dHs_enc
