import numpy as np


def step_col(x_col, h_col, U, W, b):
    """Column form as in the book: x (D, N), h (H, N)."""
    return np.tanh(b[:, None] + W @ h_col + U @ x_col)


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    N, T, D = X.shape
    H = h0_fwd.shape[1]
    out = np.zeros((2 * H, T, N))
    h = h0_fwd.T
    for t in range(T):
        h = step_col(X[:, t].T, h, fwd["U"], fwd["W"], fwd["b"])
        out[:H, t] = h
    h = h0_bwd.T
    for t in range(T - 1, -1, -1):
        h = step_col(X[:, t].T, h, bwd["U"], bwd["W"], bwd["b"])
        out[H:, t] = h
    return out.transpose(2, 1, 0).copy()
