import math

import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    if queries.ndim == 2:
        return dot_product_attention_scores(queries[:, None, :], keys, scaled)[:, 0, :]
    N, T_y, H_a = queries.shape
    T_x = keys.shape[1]
    scale = 1.0 / math.sqrt(H_a) if scaled else 1.0
    E = np.empty((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            for j in range(T_x):
                E[n, t, j] = scale * float(np.dot(queries[n, t], keys[n, j]))
    return E
