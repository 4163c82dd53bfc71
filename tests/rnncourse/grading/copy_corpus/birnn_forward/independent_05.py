import numpy as np


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    N, T, D = X.shape
    H = h0_fwd.shape[1]
    Hs = np.zeros((N, T, 2 * H))
    for n in range(N):
        h = h0_fwd[n]
        for t in range(T):
            h = np.tanh(fwd["U"] @ X[n, t] + fwd["W"] @ h + fwd["b"])
            Hs[n, t, :H] = h
        h = h0_bwd[n]
        for t in reversed(range(T)):
            h = np.tanh(bwd["U"] @ X[n, t] + bwd["W"] @ h + bwd["b"])
            Hs[n, t, H:] = h
    return Hs
