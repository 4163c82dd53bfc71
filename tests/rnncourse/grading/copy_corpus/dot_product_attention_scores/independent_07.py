import numpy as np


def _as_steps(a):
    """(N, T, ...) view of an array that may be a single step (N, ...); and whether it was one."""
    return (a[:, None], True) if a.ndim == 2 else (a, False)


def dot_product_attention_scores(queries, keys, scaled=False):
    Q, single = _as_steps(queries)
    E = np.einsum("nid,njd->nij", Q, keys)
    if scaled:
        E *= 1.0 / np.sqrt(Q.shape[2])
    return E[:, 0] if single else E
