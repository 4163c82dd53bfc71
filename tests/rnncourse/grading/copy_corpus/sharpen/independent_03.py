import math

import numpy as np


def sharpen(w_tilde, xi):
    N, S = w_tilde.shape
    w = np.zeros((N, S))
    for n in range(N):
        logs = {i: xi[n] * math.log(w_tilde[n, i]) for i in range(S) if w_tilde[n, i] > 0}
        top = max(logs.values())
        total = sum(math.exp(v - top) for v in logs.values())
        for i, v in logs.items():
            w[n, i] = math.exp(v - top) / total
    return w
