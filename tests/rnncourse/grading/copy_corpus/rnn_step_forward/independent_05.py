"""rnn_step_forward: stack [x, h_prev] and [U, W] into one matrix product."""
import numpy as np


def rnn_step_forward(x, h_prev, U, W, b):
    joint_input = np.concatenate([x, h_prev], axis=1)
    joint_weights = np.concatenate([U, W], axis=1)
    return np.tanh(joint_input.dot(joint_weights.T) + b)
