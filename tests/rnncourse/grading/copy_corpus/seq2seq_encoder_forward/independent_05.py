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


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N, T, D = X.shape
    bidirectional = "fwd" in enc
    H = (enc["fwd"] if bidirectional else enc)["W"].shape[1]
    if bidirectional:
        Hs_enc = birnn_forward(X, np.zeros((N, H)), np.zeros((N, H)), enc["fwd"], enc["bwd"], cell)
        m = np.zeros((N, 2 * H))
        for n in range(N):
            m[n] = np.concatenate([Hs_enc[n, T - 1, :H], Hs_enc[n, 0, H:]])
        return Hs_enc, m
    Hs_enc = np.zeros((N, T, H))
    for n in range(N):
        h = np.zeros(H)
        for t in range(T):
            h = np.tanh(enc["U"] @ X[n, t] + enc["W"] @ h + enc["b"])
            Hs_enc[n, t] = h
    return Hs_enc, Hs_enc[:, T - 1, :].copy()
