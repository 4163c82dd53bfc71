import numpy as np


def content_addressing(memory, q, beta):
    dots = np.einsum("nsm,nm->ns", memory, q)
    mem_norm = np.sqrt(np.sum(memory ** 2, axis=2) + 1e-16)
    q_norm = np.sqrt(np.sum(q ** 2, axis=1) + 1e-16)
    cos = dots / (mem_norm * q_norm[:, None])
    z = beta[:, None] * cos
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
