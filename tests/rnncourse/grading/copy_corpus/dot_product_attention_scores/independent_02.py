import numpy as np


def dot_product_attention_scores(queries, keys, scaled=False):
    single = queries.ndim == 2
    Q = queries[:, None] if single else queries
    E = np.stack([Q[n] @ keys[n].T for n in range(Q.shape[0])])
    if scaled:
        E /= np.sqrt(Q.shape[-1])
    return E[:, 0] if single else E
