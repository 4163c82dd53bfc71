import numpy as np


def perplexity(O, Y):
    N, T, K = O.shape
    nll = np.zeros((N, T))
    for t in range(T):
        o_t = O[:, t, :]
        m = o_t.max(axis=1)
        log_sum = m + np.log(np.exp(o_t - m[:, None]).sum(axis=1))
        nll[:, t] = log_sum - o_t[np.arange(N), Y[:, t]]
    return float(np.exp(nll.mean()))
