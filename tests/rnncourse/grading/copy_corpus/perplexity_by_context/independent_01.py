import numpy as np


def perplexity(O, Y):
    m = O.max(axis=2, keepdims=True)
    log_probs = O - m - np.log(np.exp(O - m).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_probs, Y[:, :, None], axis=2)
    return float(np.exp(-picked.mean()))


def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    result = np.zeros(len(ells))
    for e, ell in enumerate(ells):
        state = state0
        logits = []
        for t in range(L - 1):
            if t % ell == 0:
                state = state0
            o, state = step(ids[:, t], state)
            logits.append(o)
        result[e] = perplexity(np.stack(logits, axis=1), ids[:, 1:])
    return result
