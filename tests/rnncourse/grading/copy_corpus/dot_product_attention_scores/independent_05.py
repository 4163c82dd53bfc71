import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    if queries.ndim == 2:
        E = np.sum(queries[:, None, :] * keys, axis=-1)
    else:
        E = np.sum(queries[:, :, None, :] * keys[:, None, :, :], axis=-1)
    return E / np.sqrt(keys.shape[2]) if scaled else E
