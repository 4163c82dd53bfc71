import math

import numpy as np


def content_addressing(memory, q, beta):
    N, S, M = memory.shape
    out = np.empty((N, S))
    for n in range(N):
        k = [float(v) for v in q[n]]
        k_norm = math.sqrt(sum(v * v for v in k) + 1e-16)
        sims = []
        for i in range(S):
            row = [float(v) for v in memory[n, i]]
            dot = sum(a * c for a, c in zip(k, row))
            r_norm = math.sqrt(sum(v * v for v in row) + 1e-16)
            sims.append(float(beta[n]) * dot / (k_norm * r_norm))
        top = max(sims)
        ex = [math.exp(s - top) for s in sims]
        total = sum(ex)
        out[n] = [e / total for e in ex]
    return out
