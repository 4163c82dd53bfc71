import numpy as np


def run_direction(X, h0, U, W, b):
    """Tanh RNN over the steps of X (N, T, D) from h0; returns the states (N, T, H)."""
    N, T, _ = X.shape
    states = np.zeros((N, T, h0.shape[1]))
    h = h0
    for t in range(T):
        a = b + np.dot(h, W.T) + np.dot(X[:, t, :], U.T)
        h = np.tanh(a)
        states[:, t, :] = h
    return states


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    if cell != "rnn":
        raise ValueError(f"cell {cell!r} is not supported, use 'rnn'")
    H_forward = run_direction(X, h0_fwd, fwd["U"], fwd["W"], fwd["b"])
    # read the sequence reversed, then flip the states back into time order
    H_backward = np.flip(run_direction(np.flip(X, axis=1), h0_bwd, bwd["U"], bwd["W"], bwd["b"]), axis=1)
    return np.dstack([H_forward, H_backward])


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N = X.shape[0]
    if "fwd" in enc.keys():
        f, bw = enc["fwd"], enc["bwd"]
        H = f["W"].shape[1]
        Hs_enc = birnn_forward(X, np.zeros((N, H)), np.zeros((N, H)), f, bw, cell)
        last_fwd = Hs_enc[:, -1, :H]
        last_bwd = Hs_enc[:, 0, H:]
        return Hs_enc, np.hstack([last_fwd, last_bwd])
    Hs_enc = run_direction(X, np.zeros((N, enc["W"].shape[1])), enc["U"], enc["W"], enc["b"])
    return Hs_enc, np.array(Hs_enc[:, -1, :])


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    Hs_enc, m = seq2seq_encoder_forward(X, enc, cell)
    U, W, b, V, c = dec["U"], dec["W"], dec["b"], dec["V"], dec["c"]
    K = V.shape[0]
    N = m.shape[0]
    if pad is None:
        pad = eos
    h = m
    prev = np.ones(N, dtype=np.int64) * bos
    has_ended = np.full(N, False)
    out = np.zeros((N, max_len), dtype=np.int64)
    T = 0
    for t in range(max_len):
        h = np.tanh(b + np.dot(h, W.T) + np.dot(np.eye(K)[prev], U.T))
        prev = np.argmax(np.dot(h, V.T) + c, axis=1)
        out[:, t] = prev
        out[has_ended, t] = pad
        has_ended = has_ended | (prev == eos)
        T = t + 1
        if np.all(has_ended):
            break
    return out[:, :T].copy()
