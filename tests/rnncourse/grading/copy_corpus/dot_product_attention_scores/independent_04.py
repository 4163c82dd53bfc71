import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    step = queries.ndim == 2
    Q = queries[:, np.newaxis] if step else queries
    E = Q @ keys.transpose(0, 2, 1)
    if scaled:
        E = E / np.sqrt(queries.shape[-1])
    return E[:, 0] if step else E
