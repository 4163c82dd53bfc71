import math

import numpy as np


def perplexity(O, Y):
    N, T, K = O.shape
    total = 0.0
    for n in range(N):
        for t in range(T):
            o = O[n, t]
            top = o.max()
            lse = top + math.log(np.exp(o - top).sum())
            total += lse - o[Y[n, t]]
    return math.exp(total / (N * T))
