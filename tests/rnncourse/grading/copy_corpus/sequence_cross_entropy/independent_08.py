"""sequence_cross_entropy: per-sequence losses in a list, then their mean."""
import numpy as np


def _sequence_loss(logits, labels):
    # logits (T, K), labels (T,): the sum over the sequence's steps
    m = logits.max(axis=1)
    log_z = m + np.log(np.exp(logits - m[:, None]).sum(axis=1))
    return np.sum(log_z - logits[np.arange(len(labels)), labels])


def sequence_cross_entropy(O, Y):
    losses = [_sequence_loss(O[i], Y[i]) for i in range(O.shape[0])]
    return float(np.mean(losses))
