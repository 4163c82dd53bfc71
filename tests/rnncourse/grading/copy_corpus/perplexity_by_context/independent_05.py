import numpy as np


def perplexity(O, Y):
    N, T, K = O.shape
    flat = O.reshape(N * T, K)
    y = Y.reshape(-1)
    shifted = flat - flat.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    nll = -log_softmax[np.arange(N * T), y]
    return float(np.exp(nll.mean()))


def _logits_with_resets(step, state0, ids, ell):
    state = state0
    collected = []
    for t in range(ids.shape[1] - 1):
        state = state0 if t % ell == 0 else state
        o, state = step(ids[:, t], state)
        collected.append(o)
    return np.stack(collected, axis=1)


def perplexity_by_context(step, state0, ids, ells):
    return np.array([perplexity(_logits_with_resets(step, state0, ids, ell), ids[:, 1:]) for ell in ells])
