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


def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    K = dec["U"].shape[1]
    X_dec = np.eye(K)[Y_in]                        # (N, T_y, K) one-hot
    states = _run(_project(X_dec, dec), m, dec["W"], range(Y_in.shape[1]))
    return np.einsum("nth,kh->ntk", states, dec["V"]) + dec["c"]


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    _, h = seq2seq_encoder_forward(X, enc, cell)
    K = dec["U"].shape[1]
    eye = np.eye(K)
    N = X.shape[0]
    token = np.full(N, bos)
    ended = np.zeros(N, dtype=bool)
    columns = []
    for _ in range(max_len):
        a = np.einsum("nk,hk->nh", eye[token], dec["U"]) + np.einsum("nj,hj->nh", h, dec["W"]) + dec["b"]
        h = np.tanh(a)
        logits = np.einsum("nh,kh->nk", h, dec["V"]) + dec["c"]
        token = logits.argmax(axis=1)
        columns.append(np.where(ended, eos if pad is None else pad, token))
        ended = ended | (token == eos)
        if np.all(ended):
            break
    return np.column_stack(columns)


def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    N, T_y = Y.shape
    out = greedy_decode(X, enc, dec, bos, eos, T_y, cell)
    L = out.shape[1]
    correct = np.zeros((N, T_y), dtype=bool)
    correct[:, :L] = out == Y[:, :L]
    # a position is live while no eos came before it
    eos_so_far = np.maximum.accumulate(out == eos, axis=1)
    live = np.ones((N, T_y), dtype=bool)
    live[:, 1:L] = ~eos_so_far[:, :L - 1]
    live[:, L:] = False
    correct &= live
    teacher = np.hstack([np.full((N, 1), bos, dtype=Y.dtype), Y[:, :-1]])
    pred = seq2seq_forward(X, teacher, enc, dec, cell).argmax(-1)
    return (float(correct.all(axis=1).sum() / N), float(correct.sum() / (N * T_y)),
            float((pred == Y).sum() / (N * T_y)))
