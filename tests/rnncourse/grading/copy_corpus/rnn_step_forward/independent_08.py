"""rnn_step_forward with matmul and tanh written through exp."""
import numpy as np


def _tanh(z):
    # tanh(z) = 1 - 2 / (exp(2z) + 1), which stays finite for large |z|
    return 1.0 - 2.0 / (np.exp(2.0 * z) + 1.0)


def rnn_step_forward(x, h_prev, U, W, b):
    z = np.matmul(h_prev, np.transpose(W)) + np.matmul(x, np.transpose(U)) + b
    return _tanh(z)
