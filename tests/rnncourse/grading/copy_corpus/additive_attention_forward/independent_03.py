import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    if queries.ndim == 2:
        return additive_attention_forward(queries[:, None, :], keys, W_a, U_a, V_a)[:, 0, :]
    N, T_y, _ = queries.shape
    T_x = keys.shape[1]
    v = V_a.ravel()
    E = np.empty((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            wq = W_a @ queries[n, t]
            for j in range(T_x):
                E[n, t, j] = v @ np.tanh(wq + U_a @ keys[n, j])
    return E
