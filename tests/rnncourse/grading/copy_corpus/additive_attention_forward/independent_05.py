import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    q_part = np.tensordot(queries, W_a, axes=([-1], [1]))       # (N, [T_y,] H_a)
    k_part = np.tensordot(keys, U_a, axes=([-1], [1]))          # (N, T_x, H_a)
    if queries.ndim == 2:
        act = np.tanh(q_part[:, None, :] + k_part)              # (N, T_x, H_a)
    else:
        act = np.tanh(q_part[:, :, None, :] + k_part[:, None, :, :])
    return np.tensordot(act, V_a[0], axes=([-1], [0]))
