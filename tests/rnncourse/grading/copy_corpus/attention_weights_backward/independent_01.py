import numpy as np


def attention_weights_backward(dalpha, alpha):
    inner = np.sum(alpha * dalpha, axis=-1, keepdims=True)
    return alpha * (dalpha - inner)
