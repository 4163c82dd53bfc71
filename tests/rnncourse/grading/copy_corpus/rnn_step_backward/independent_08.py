"""rnn_step_backward: sums over the batch with tensordot, transposes with .T avoided."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    delta = dh - dh * h ** 2
    dU = np.tensordot(delta, x, axes=(0, 0))
    dW = np.tensordot(delta, h_prev, axes=(0, 0))
    db = np.add.reduce(delta, axis=0)
    dx = np.tensordot(delta, U, axes=(1, 0))
    dh_prev = np.tensordot(delta, W, axes=(1, 0))
    return dx, dh_prev, dU, dW, db
