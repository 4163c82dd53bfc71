import numpy as np


def lstm_step_forward(x, h_prev, C_prev, U, W, b):
    """One LSTM step, each gate with its own product."""
    hidden = W.shape[1]

    def block(k):
        rows = slice(k * hidden, (k + 1) * hidden)
        return np.dot(x, U[rows].T) + np.dot(h_prev, W[rows].T) + b[rows]

    input_gate = 1 / (1 + np.exp(-block(0)))
    forget_gate = 1 / (1 + np.exp(-block(1)))
    output_gate = 1 / (1 + np.exp(-block(2)))
    candidate = np.tanh(block(3))

    cell = forget_gate * C_prev + input_gate * candidate
    state = output_gate * np.tanh(cell)
    return state, cell
