import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    if queries.ndim == 2:
        E = np.einsum("na,nja->nj", queries, keys)
    else:
        E = np.einsum("nta,nja->ntj", queries, keys)
    if scaled:
        E = E / np.sqrt(keys.shape[-1])
    return E
