import numpy as np


def gru_step_forward(x, h_prev, U, W, b):
    n_h = h_prev.shape[-1]
    parts_x = np.split(np.matmul(x, U.T), 3, axis=-1)
    parts_h = np.split(np.matmul(h_prev, W.T), 3, axis=-1)
    parts_b = np.split(b, 3)
    sig = lambda t: 1.0 / (1.0 + np.exp(-t))  # noqa: E731
    r_gate = sig(parts_x[0] + parts_h[0] + parts_b[0])
    z_gate = sig(parts_x[1] + parts_h[1] + parts_b[1])
    h_hat = np.tanh(parts_x[2] + parts_b[2] + r_gate * parts_h[2])
    assert h_hat.shape[-1] == n_h
    new_h = h_prev - z_gate * h_prev + z_gate * h_hat
    return new_h
