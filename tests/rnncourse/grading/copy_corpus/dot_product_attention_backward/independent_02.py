import math

import numpy as np


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    if queries.ndim == 2:
        grads = dot_product_attention_backward(dMs[:, None, :], queries[:, None, :], keys, values,
                                               scaled, mask)
        return grads[0][:, 0], grads[1], grads[2]
    N, T_y, H_a = queries.shape
    T_x = keys.shape[1]
    s = 1.0 / math.sqrt(H_a) if scaled else 1.0
    dq = np.zeros(queries.shape)
    dk = np.zeros(keys.shape)
    dv = np.zeros(values.shape)
    for n in range(N):
        live = [j for j in range(T_x) if mask is None or mask[n, j]]
        for t in range(T_y):
            e = {j: s * float(queries[n, t] @ keys[n, j]) for j in live}
            top = max(e.values())
            z = sum(math.exp(x - top) for x in e.values())
            a = {j: math.exp(e[j] - top) / z for j in live}
            # the loss sees alpha_j through m_t = sum_j alpha_j v_j
            g = {j: float(dMs[n, t] @ values[n, j]) for j in live}
            mean_g = sum(a[j] * g[j] for j in live)
            for j in live:
                dv[n, j] += a[j] * dMs[n, t]
                de = a[j] * (g[j] - mean_g)
                dq[n, t] += s * de * keys[n, j]
                dk[n, j] += s * de * queries[n, t]
    return dq, dk, dv
