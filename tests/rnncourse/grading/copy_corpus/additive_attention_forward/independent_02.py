import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    """Scores example by example."""
    single = queries.ndim == 2
    Q = queries[:, None] if single else queries
    N, T_y, _ = Q.shape
    T_x = keys.shape[1]
    E = np.zeros((N, T_y, T_x))
    for n in range(N):
        q_proj = Q[n] @ W_a.T          # (T_y, H_a)
        k_proj = keys[n] @ U_a.T       # (T_x, H_a)
        for t in range(T_y):
            E[n, t] = np.tanh(q_proj[t] + k_proj) @ V_a[0]
    return E[:, 0] if single else E
