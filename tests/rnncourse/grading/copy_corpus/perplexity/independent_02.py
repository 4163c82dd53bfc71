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
