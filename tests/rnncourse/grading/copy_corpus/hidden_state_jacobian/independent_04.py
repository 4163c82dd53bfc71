"""hidden_state_jacobian with loops over i and j and a batch of one for a single state."""
import numpy as np


def hidden_state_jacobian(h_next, W):
    batch = np.atleast_2d(h_next)
    N, H = batch.shape
    J = np.zeros((N, H, H))
    for n in range(N):
        for i in range(H):
            d = 1.0 - batch[n, i] * batch[n, i]
            for j in range(H):
                J[n, i, j] = d * W[i, j]
    return J[0] if h_next.ndim == 1 else J
