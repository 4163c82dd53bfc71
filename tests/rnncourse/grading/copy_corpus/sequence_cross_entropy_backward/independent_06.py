"""sequence_cross_entropy_backward one time step at a time with fancy indexing over the batch."""
import numpy as np


def sequence_cross_entropy_backward(O, Y):
    N, T, _ = O.shape
    grads = []
    for t in range(T):
        logits = O[:, t]
        probs = np.exp(logits - logits.max(1, keepdims=True))
        probs = probs / probs.sum(1, keepdims=True)
        probs[np.arange(N), Y[:, t]] -= 1
        grads.append(probs / N)
    return np.stack(grads, axis=1)
