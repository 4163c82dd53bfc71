import numpy as np


def content_addressing(memory, q, beta):
    # normalise first, then the cosine is a plain dot product of unit vectors
    eps = 1e-8
    unit_mem = memory / (np.linalg.norm(memory, axis=2, keepdims=True) + eps)
    unit_q = q / (np.linalg.norm(q, axis=1, keepdims=True) + eps)
    K = np.matmul(unit_mem, unit_q[:, :, None])[:, :, 0]
    logits = K * beta.reshape(-1, 1)
    logits -= logits.max(axis=1, keepdims=True)
    w = np.exp(logits)
    w /= w.sum(axis=1, keepdims=True)
    return w
