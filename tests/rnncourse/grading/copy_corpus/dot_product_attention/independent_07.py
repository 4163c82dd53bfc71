import numpy as np


def softmax_last(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    y = np.exp(x)
    return y / y.sum(axis=-1, keepdims=True)


def dot_product_attention(queries, keys, values, scaled=False, mask=None):
    N, T_x, H_a = keys.shape
    Q = queries.reshape(N, -1, H_a)
    T_y = Q.shape[1]
    flat_scores = np.stack([Q[n] @ keys[n].T for n in range(N)])
    if scaled:
        flat_scores = flat_scores / np.sqrt(H_a)
    if mask is not None:
        penalty = np.where(mask, 0.0, -np.inf)
        flat_scores = flat_scores + penalty.reshape(N, 1, T_x)
    alpha = softmax_last(flat_scores)
    Ms = np.stack([alpha[n] @ values[n] for n in range(N)])
    out_shape = queries.shape[:-1]
    return Ms.reshape(out_shape + (values.shape[2],)), alpha.reshape(out_shape + (T_x,))
