import numpy as np


def _unit(x):
    n = np.sqrt((x * x).sum(axis=-1, keepdims=True))
    safe = np.where(n > 0, n, 1.0)      # a zero vector stays zero
    return x / safe


def content_addressing(memory, q, beta):
    similarity = np.sum(_unit(memory) * _unit(q)[:, np.newaxis, :], axis=2)
    energy = beta[:, np.newaxis] * similarity
    energy = energy - np.amax(energy, axis=1)[:, np.newaxis]
    weights = np.exp(energy)
    return weights / np.sum(weights, axis=1)[:, np.newaxis]
