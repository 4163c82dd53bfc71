"""sequence_cross_entropy: a one-hot mask and a logsumexp helper."""
import numpy as np


def logsumexp(a):
    peak = a.max(axis=-1, keepdims=True)
    return (peak + np.log(np.exp(a - peak).sum(axis=-1, keepdims=True)))[..., 0]


def sequence_cross_entropy(O, Y):
    K = O.shape[-1]
    onehot = np.eye(K)[Y]
    target_logit = (onehot * O).sum(axis=-1)
    per_step = logsumexp(O) - target_logit
    return float(per_step.sum(axis=1).mean())
