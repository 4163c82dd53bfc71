"""rnn_step_backward: the gradient on the pre-activation first, then the five products."""
import numpy as np


def rnn_step_backward(dh, x, h_prev, h, U, W):
    da = dh * (1 - h * h)
    dx = da @ U
    dh_prev = da @ W
    dU = da.T @ x
    dW = da.T @ h_prev
    db = da.sum(axis=0)
    return dx, dh_prev, dU, dW, db
