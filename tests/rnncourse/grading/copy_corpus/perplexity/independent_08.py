import math


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
