import math

import numpy as np


def perplexity(O, Y):
    N, T, K = O.shape
    nll = []
    for n in range(N):
        for t in range(T):
            row = [float(v) for v in O[n, t]]
            top = max(row)
            lse = top + math.log(math.fsum(math.exp(v - top) for v in row))
            nll.append(lse - row[Y[n, t]])
    return math.exp(math.fsum(nll) / len(nll))


def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    answers = np.zeros(len(ells))
    for e, ell in enumerate(ells):
        state = state0
        logits = [None] * (L - 1)
        for t in range(L - 1):
            if t % ell == 0:
                state = state0
            logits[t], state = step(ids[:, t], state)
        answers[e] = perplexity(np.stack(logits, axis=1), ids[:, 1:])
    return answers
