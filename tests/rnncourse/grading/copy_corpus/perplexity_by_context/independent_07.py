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


def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    ppl = np.zeros(ells.shape[0])
    for e, ell in enumerate(ells):
        state = state0
        O = np.zeros((N, L - 1, 0))
        for t in range(L - 1):
            if t % ell == 0:
                state = state0
            o, state = step(ids[:, t], state)
            if O.shape[2] == 0:
                O = np.zeros((N, L - 1, o.shape[1]))
            O[:, t] = o
        ppl[e] = perplexity(O, ids[:, 1:])
    return ppl
