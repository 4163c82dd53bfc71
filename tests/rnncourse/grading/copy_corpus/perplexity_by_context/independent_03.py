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


def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    ppl = np.empty(len(ells))
    for e in range(len(ells)):
        ell = int(ells[e])
        O = []
        for start in range(0, L - 1, ell):       # one block of at most ell characters per reset
            state = state0
            for t in range(start, min(start + ell, L - 1)):
                o, state = step(ids[:, t], state)
                O.append(o)
        ppl[e] = perplexity(np.stack(O, axis=1), ids[:, 1:])
    return ppl
