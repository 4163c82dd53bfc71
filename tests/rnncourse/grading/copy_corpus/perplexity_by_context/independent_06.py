import numpy as np


def perplexity(O, Y):
    onehot = np.eye(O.shape[-1])[Y]
    top = O.max(axis=-1, keepdims=True)
    log_probs = O - top - np.log(np.exp(O - top).sum(axis=-1, keepdims=True))
    mean_nll = -(onehot * log_probs).sum() / Y.size
    return float(np.exp(mean_nll))


def perplexity_by_context(step, state0, ids, ells):
    N, L = ids.shape
    targets = ids[:, 1:]

    def logits_for(ell):
        state, rows = state0, []
        for t in range(L - 1):
            if not t % ell:
                state = state0
            o, state = step(ids[:, t], state)
            rows.append(o)
        return np.stack(rows, axis=1)

    return np.array([perplexity(logits_for(ell), targets) for ell in ells], dtype=float)
