import math

import numpy as np


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    if queries.ndim == 2:
        Ms, alpha = dot_product_attention(queries[:, None, :], keys, values, scaled, mask)
        return Ms[:, 0], alpha[:, 0]
    N, T_y, H_a = queries.shape
    T_x = keys.shape[1]
    divisor = math.sqrt(H_a) if scaled else 1.0
    alpha = np.zeros((N, T_y, T_x))
    Ms = np.zeros((N, T_y, values.shape[2]))
    for n in range(N):
        live = [j for j in range(T_x) if mask is None or mask[n, j]]
        for t in range(T_y):
            scores = [float(np.dot(queries[n, t], keys[n, j])) / divisor for j in live]
            biggest = max(scores)
            ex = [math.exp(s - biggest) for s in scores]
            total = sum(ex)
            for j, e in zip(live, ex):
                alpha[n, t, j] = e / total
                Ms[n, t] += alpha[n, t, j] * values[n, j]
    return Ms, alpha
