"""sequence_cross_entropy: flatten batch and time into rows, fancy indexing on the rows."""
import numpy as np


def sequence_cross_entropy(O, Y):
    N = O.shape[0]
    logits = O.reshape(-1, O.shape[-1])
    targets = Y.reshape(-1)
    mx = np.max(logits, axis=1)
    lse = mx + np.log(np.sum(np.exp(logits - mx[:, None]), axis=1))
    correct = logits[np.arange(len(targets)), targets]
    return float(np.sum(lse - correct)) / N
