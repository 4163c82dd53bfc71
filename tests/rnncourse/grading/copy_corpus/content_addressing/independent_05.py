import numpy as np


def content_addressing(memory, q, beta):
    q_norm = np.linalg.norm(q, axis=1)
    m_norm = np.linalg.norm(memory, axis=2)
    denominator = q_norm[:, None] * m_norm
    similarity = np.divide(np.einsum("nm,nsm->ns", q, memory), denominator,
                           out=np.zeros_like(denominator), where=denominator > 0)
    scaled = np.einsum("n,ns->ns", beta, similarity)
    log_norm = scaled.max(axis=1, keepdims=True)
    log_norm = log_norm + np.log(np.exp(scaled - log_norm).sum(axis=1, keepdims=True))
    return np.exp(scaled - log_norm)
