"""sequence_cross_entropy: three nested loops and math.log/exp, one term at a time."""
import math


def sequence_cross_entropy(O, Y):
    N, T, K = O.shape
    total = 0.0
    for n in range(N):
        for t in range(T):
            row = O[n, t]
            m = max(row)
            s = 0.0
            for k in range(K):
                s += math.exp(row[k] - m)
            total += -(row[Y[n, t]] - m - math.log(s))
    return total / N
