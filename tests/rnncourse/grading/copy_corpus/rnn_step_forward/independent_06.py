"""rnn_step_forward with named intermediate terms and np.dot."""
import numpy as np


def rnn_step_forward(x, h_prev, U, W, b):
    from_input = np.dot(x, U.T)
    from_state = np.dot(h_prev, W.T)
    activation = from_input + from_state
    activation = activation + b
    h_new = np.tanh(activation)
    return h_new
