import math

import numpy as np


def sharpen_backward(dw, w_tilde, xi):
    N, S = w_tilde.shape
    dw_tilde = np.zeros((N, S))
    dxi = np.zeros(N)
    for n in range(N):
        e = float(xi[n])
        logs = [math.log(v) if v > 0 else None for v in w_tilde[n]]
        scaled = [e * l for l in logs if l is not None]
        top = max(scaled)
        log_Z = top + math.log(sum(math.exp(s - top) for s in scaled))
        w = [math.exp(e * l - log_Z) if l is not None else 0.0 for l in logs]
        mean_dw = sum(wi * di for wi, di in zip(w, dw[n]))
        for i in range(S):
            g = dw[n, i] - mean_dw
            if logs[i] is not None:
                dxi[n] += w[i] * g * logs[i]
                ratio = math.exp((e - 1) * logs[i] - log_Z)
            else:
                ratio = math.exp(-log_Z) if e == 1 else 0.0
            dw_tilde[n, i] = e * ratio * g
    return dw_tilde, dxi
