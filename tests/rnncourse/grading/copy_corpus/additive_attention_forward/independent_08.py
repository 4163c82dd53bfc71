import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    keys_a = keys @ U_a.T                                   # (N, T_x, H_a)
    if queries.ndim == 2:
        q_a = queries @ W_a.T                               # (N, H_a)
        return np.tanh(keys_a + q_a[:, None]) @ V_a[0]
    q_a = queries @ W_a.T                                   # (N, T_y, H_a)
    T_y = queries.shape[1]
    return np.stack([np.tanh(keys_a + q_a[:, t:t + 1]) @ V_a[0] for t in range(T_y)], axis=1)
