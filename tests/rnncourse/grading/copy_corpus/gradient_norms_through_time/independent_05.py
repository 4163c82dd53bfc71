"""gradient_norms_through_time with every loop written out."""
import math

import numpy as np


def gradient_norms_through_time(dHs, X, h0, Hs, U, W):
    N, T, H = dHs.shape
    result = np.zeros((N, T))
    for n in range(N):
        carry = [0.0] * H
        for t in range(T - 1, -1, -1):
            total = [dHs[n, t, i] + carry[i] for i in range(H)]
            result[n, t] = math.sqrt(sum(v * v for v in total))
            delta = [total[i] * (1.0 - Hs[n, t, i] ** 2) for i in range(H)]
            carry = [sum(delta[i] * W[i, j] for i in range(H)) for j in range(H)]
    return result
