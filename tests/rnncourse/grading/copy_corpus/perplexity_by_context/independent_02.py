import numpy as np


def logsumexp(a, axis=-1, keepdims=False):
    top = np.max(a, axis=axis, keepdims=True)
    out = top + np.log(np.sum(np.exp(a - top), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def perplexity(O, Y):
    N, T, K = O.shape
    lse = logsumexp(O, axis=2)                                   # (N, T)
    target_logits = O[np.arange(N)[:, None], np.arange(T)[None, :], Y]
    nll = lse - target_logits
    return float(np.exp(nll.sum() / (N * T)))


def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    out = []
    for ell in ells:
        total_nll = 0.0
        state = state0
        for t in range(L - 1):
            if t % ell == 0:
                state = state0
            o, state = step(ids[:, t], state)
            lse = logsumexp(o, axis=1)
            total_nll += float(np.sum(lse - o[np.arange(N), ids[:, t + 1]]))
        out.append(np.exp(total_nll / (N * (L - 1))))
    return np.array(out)
