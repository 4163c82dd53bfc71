"""hidden_state_jacobian: the derivative of tanh in a helper, expand_dims for the rows."""
import numpy as np


def tanh_derivative(h):
    return (1.0 - h) * (1.0 + h)


def hidden_state_jacobian(h_next, W):
    return np.expand_dims(tanh_derivative(h_next), axis=-1) * W
