import numpy as np


def _run(P, h, W, order):
    """Tanh recurrence over the time steps in ``order``; P (N, T, H) holds U x_t + b for every t."""
    out = np.zeros_like(P)
    for t in order:
        h = np.tanh(P[:, t] + np.einsum("nk,hk->nh", h, W))
        out[:, t] = h
    return out


def _project(X, p):
    return np.einsum("ntd,hd->nth", X, p["U"]) + p["b"]


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    T = X.shape[1]
    Hf = _run(_project(X, fwd), h0_fwd, fwd["W"], range(T))
    Hb = _run(_project(X, bwd), h0_bwd, bwd["W"], range(T - 1, -1, -1))
    return np.concatenate((Hf, Hb), axis=-1)


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N, T, _ = X.shape
    if "fwd" in enc and "bwd" in enc:
        H = enc["fwd"]["b"].shape[0]
        h0 = np.zeros((N, H))
        states = birnn_forward(X, h0, h0, enc["fwd"], enc["bwd"], cell)
        context = np.hstack([states[:, -1, :H], states[:, 0, H:]])
    else:
        H = enc["b"].shape[0]
        states = _run(_project(X, enc), np.zeros((N, H)), enc["W"], range(T))
        context = states[:, -1].copy()
    return states, context
