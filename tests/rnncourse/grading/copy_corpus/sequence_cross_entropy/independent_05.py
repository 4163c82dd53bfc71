"""sequence_cross_entropy: loop over time; each step's batch loss with vectorised log-softmax."""
import numpy as np


def sequence_cross_entropy(O, Y):
    batch, steps, _ = O.shape
    loss = 0.0
    for t in range(steps):
        o_t = O[:, t, :]
        z = o_t - o_t.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss -= logp[np.arange(batch), Y[:, t]].sum()
    return float(loss / batch)
