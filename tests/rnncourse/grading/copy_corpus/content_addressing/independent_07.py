import numpy as np


def content_addressing(memory, q, beta):
    guard = 1e-16
    norms_sq = np.einsum("nsm,nsm->ns", memory, memory)
    q_sq = np.einsum("nm,nm->n", q, q)
    cos = memory @ q[..., None]
    cos = cos[..., 0] / np.sqrt((norms_sq + guard) * (q_sq[:, None] + guard))
    z = (cos.T * beta).T
    z = z - z.max(-1)[:, None]
    p = np.exp(z)
    return p / p.sum(-1)[:, None]
