import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    step = queries.ndim == 2
    Q = queries.reshape(queries.shape[0], -1, queries.shape[-1])   # (N, T_y, H_q), T_y = 1 for a step
    proj_q = Q @ W_a.T
    proj_k = keys @ U_a.T
    hidden = np.tanh(proj_q[:, :, np.newaxis] + proj_k[:, np.newaxis])
    E = (hidden @ V_a.T)[..., 0]
    if step:
        E = E[:, 0]
    return E
