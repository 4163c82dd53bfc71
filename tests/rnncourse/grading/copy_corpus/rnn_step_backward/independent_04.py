"""rnn_step_backward: weight gradients first, written as transposed products (x^T g)^T."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    local = 1.0 - h ** 2  # tanh'(a) written with the output
    grad_a = local * dh
    dW = (h_prev.T @ grad_a).T
    dU = (x.T @ grad_a).T
    db = np.sum(grad_a, 0)
    dh_prev = grad_a.dot(W)
    dx = grad_a.dot(U)
    return dx, dh_prev, dU, dW, db
