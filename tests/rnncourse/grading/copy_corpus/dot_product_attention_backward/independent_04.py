import numpy as np


def dot_product_attention_backward(dMs, queries, keys, values, scaled=False, mask=None):
    d = keys.shape[2]
    factor = 1 / np.sqrt(d) if scaled else 1
    dq_all, dk_all, dv_all = [], [], []
    for n in range(keys.shape[0]):
        q = np.atleast_2d(queries[n])
        g = np.atleast_2d(dMs[n])
        e = factor * (q @ keys[n].T)
        if mask is not None:
            e[:, ~mask[n]] = -np.inf
        a = np.exp(e - e.max(axis=1, keepdims=True))
        a = a / a.sum(axis=1, keepdims=True)
        da = g @ values[n].T
        de = np.zeros_like(a)
        for t in range(a.shape[0]):
            jac = np.diag(a[t]) - np.outer(a[t], a[t])
            de[t] = jac @ da[t]
        dq_all.append(factor * de @ keys[n])
        dk_all.append(factor * de.T @ q)
        dv_all.append(a.T @ g)
    dq = np.array(dq_all)
    if queries.ndim == 2:
        dq = dq[:, 0]
    return dq, np.array(dk_all), np.array(dv_all)
