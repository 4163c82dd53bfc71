import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    one_step = queries.ndim == 2
    if one_step:
        queries = queries[:, None, :]
    Qp = np.einsum("ntq,aq->nta", queries, W_a)
    Kp = np.einsum("njk,ak->nja", keys, U_a)
    Z = np.tanh(Qp[:, :, None, :] + Kp[:, None, :, :])      # (N, T_y, T_x, H_a)
    E = np.einsum("ntja,a->ntj", Z, V_a[0])
    return E[:, 0] if one_step else E
