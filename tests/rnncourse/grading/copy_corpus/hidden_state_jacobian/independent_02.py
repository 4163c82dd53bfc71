"""hidden_state_jacobian: diag(slope) @ W, one example at a time."""
import numpy as np


def hidden_state_jacobian(h_next, W):
    if h_next.ndim == 1:
        return np.diag(1.0 - h_next ** 2) @ W
    return np.stack([np.diag(1.0 - h ** 2) @ W for h in h_next])
