import numpy as np


def perplexity(O, Y):
    log_Z = np.logaddexp.reduce(O, axis=-1)                      # (N, T)
    correct = np.take_along_axis(O, Y[..., None], axis=-1)[..., 0]
    return float(np.exp(np.mean(log_Z - correct)))


def perplexity_by_context(step, state0, ids, ells):
    L = ids.shape[1]
    values = []
    for ell in ells:
        state, since_reset, O = state0, 0, []
        for t in range(L - 1):
            if since_reset == ell:
                state, since_reset = state0, 0
            o, state = step(ids[:, t], state)
            since_reset += 1
            O.append(o)
        values.append(perplexity(np.stack(O, axis=1), ids[:, 1:]))
    return np.asarray(values, dtype=float)
