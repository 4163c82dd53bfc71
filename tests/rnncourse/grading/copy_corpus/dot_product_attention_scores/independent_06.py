import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    factor = keys.shape[-1] ** -0.5 if scaled else 1.0
    if queries.ndim == 3:
        return factor * np.matmul(queries, np.swapaxes(keys, 1, 2))
    return factor * np.matmul(keys, queries[:, :, None])[:, :, 0]
