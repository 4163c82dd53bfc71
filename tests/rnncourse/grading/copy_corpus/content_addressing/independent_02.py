import numpy as np


def cosine(memory, q):
    """Cosine similarity of q with every slot; a zero vector gives 0."""
    num = (memory * q[:, None, :]).sum(axis=-1)
    slot_norms = np.maximum(np.linalg.norm(memory, axis=-1), 1e-8)
    den = slot_norms * np.maximum(np.linalg.norm(q, axis=-1), 1e-8)[:, None]
    return num / den


def softmax(z):
    z = z - np.max(z, axis=-1, keepdims=True)
    ez = np.exp(z)
    return ez / np.sum(ez, axis=-1, keepdims=True)


def content_addressing(memory, q, beta):
    return softmax(beta[:, None] * cosine(memory, q))
