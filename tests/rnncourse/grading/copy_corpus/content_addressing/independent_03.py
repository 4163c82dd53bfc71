import numpy as np


def content_addressing(memory, q, beta):
    N, S, M = memory.shape
    w_c = np.zeros((N, S))
    for n in range(N):
        qn = q[n]
        q_len = np.sqrt(qn @ qn)
        scores = np.zeros(S)
        for i in range(S):
            slot = memory[n, i]
            s_len = np.sqrt(slot @ slot)
            if q_len == 0 or s_len == 0:
                cos = 0.0
            else:
                cos = (qn @ slot) / (q_len * s_len)
            scores[i] = beta[n] * cos
        scores -= scores.max()
        w_c[n] = np.exp(scores) / np.exp(scores).sum()
    return w_c
