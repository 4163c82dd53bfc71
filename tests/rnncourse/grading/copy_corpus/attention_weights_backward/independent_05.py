import numpy as np


def attention_weights_backward(dalpha, alpha):
    T_x = alpha.shape[-1]
    eye = np.eye(T_x)
    # J[..., i, j] = alpha_i (delta_ij - alpha_j), symmetric in effect when applied to dalpha
    J = alpha[..., :, None] * (eye - alpha[..., None, :])
    return np.sum(J * dalpha[..., None, :], axis=-1)
