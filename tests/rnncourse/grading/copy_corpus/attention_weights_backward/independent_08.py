import numpy as np


def attention_weights_backward(dalpha, alpha):
    # dL/de_j = sum_i dalpha_i dalpha_i/de_j = sum_i dalpha_i alpha_i (delta_ij - alpha_j)
    expected = np.einsum("...j,...j->...", alpha, dalpha)
    return alpha * (dalpha - expected[..., None])
