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


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N, T, D = X.shape
    if "fwd" in enc:
        H = enc["fwd"]["U"].shape[0]
        Hs = birnn_forward(X, np.zeros((N, H)), np.zeros((N, H)), enc["fwd"], enc["bwd"], cell)
        m = np.concatenate([Hs[:, T - 1, :H].T, Hs[:, 0, H:].T]).T
        return Hs, m
    H = enc["U"].shape[0]
    cols = np.zeros((H, T, N))
    h = np.zeros((H, N))
    for t in range(T):
        h = step_col(X[:, t].T, h, enc["U"], enc["W"], enc["b"])
        cols[:, t] = h
    return cols.transpose(2, 1, 0).copy(), h.T.copy()


def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    N, T_y = Y_in.shape
    K = dec["V"].shape[0]
    h = m.T
    O = np.zeros((K, T_y, N))
    for t in range(T_y):
        x = np.zeros((K, N))
        x[Y_in[:, t], np.arange(N)] = 1.0
        h = step_col(x, h, dec["U"], dec["W"], dec["b"])
        O[:, t] = dec["V"] @ h + dec["c"][:, None]
    return O.transpose(2, 1, 0).copy()


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    N = m.shape[0]
    K = dec["V"].shape[0]
    h = m.T
    y = np.full(N, bos)
    stopped = np.zeros(N, dtype=bool)
    result = np.zeros((N, 0), dtype=np.int64)
    for _ in range(max_len):
        x = np.zeros((K, N))
        x[y, np.arange(N)] = 1.0
        h = step_col(x, h, dec["U"], dec["W"], dec["b"])
        y = np.argmax(dec["V"] @ h + dec["c"][:, None], axis=0)
        written = np.where(stopped, eos if pad is None else pad, y)
        result = np.hstack([result, written[:, None]])
        stopped = stopped | (y == eos)
        if stopped.all():
            break
    return result


def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    N, T_y = Y.shape
    tok = greedy_decode(X, enc, dec, bos, eos, T_y, cell)
    ok = np.zeros((N, T_y), dtype=bool)
    still_going = np.ones(N, dtype=bool)
    for t in range(tok.shape[1]):
        ok[:, t] = still_going & (tok[:, t] == Y[:, t])
        still_going = still_going & (tok[:, t] != eos)
    first_inputs = np.full((N, 1), bos)
    O = seq2seq_forward(X, np.hstack([first_inputs, Y[:, :T_y - 1]]), enc, dec, cell)
    forced_ok = O.argmax(axis=2) == Y
    return float(np.mean(ok.all(axis=1))), float(ok.mean()), float(forced_ok.mean())
