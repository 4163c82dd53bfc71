import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    H_a = queries.shape[-1]
    if queries.ndim == 2:
        E = (keys @ queries[..., None]).squeeze(-1)
    else:
        E = queries @ np.transpose(keys, (0, 2, 1))
    return E / np.sqrt(H_a) if scaled else E.copy()
