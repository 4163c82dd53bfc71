import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    N = keys.shape[0]
    T_x = keys.shape[1]
    flat_q = queries.reshape(-1, queries.shape[-1]) @ W_a.T          # rows: (n, t) pairs
    flat_k = keys.reshape(-1, keys.shape[-1]) @ U_a.T                # rows: (n, j) pairs
    H_a = W_a.shape[0]
    q = flat_q.reshape(N, -1, 1, H_a)
    k = flat_k.reshape(N, 1, T_x, H_a)
    scores = (np.tanh(q + k).reshape(-1, H_a) @ V_a.T).reshape(N, -1, T_x)
    return scores.reshape(queries.shape[:-1] + (T_x,))
