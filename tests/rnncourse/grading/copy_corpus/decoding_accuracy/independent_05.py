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


def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    N, T_y = Y_in.shape
    K = dec["V"].shape[0]
    O = np.zeros((N, T_y, K))
    for n in range(N):
        h = m[n]
        for t in range(T_y):
            x = np.zeros(K)
            x[Y_in[n, t]] = 1.0
            h = np.tanh(dec["U"] @ x + dec["W"] @ h + dec["b"])
            O[n, t] = dec["V"] @ h + dec["c"]
    return O


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    N = m.shape[0]
    K = dec["V"].shape[0]
    rows = []
    for n in range(N):      # every sequence on its own, until its eos
        h, y, row = m[n], bos, []
        while len(row) < max_len:
            x = np.zeros(K)
            x[y] = 1.0
            h = np.tanh(dec["U"] @ x + dec["W"] @ h + dec["b"])
            y = int(np.argmax(dec["V"] @ h + dec["c"]))
            row.append(y)
            if y == eos:
                break
        rows.append(row)
    T = max(len(r) for r in rows)   # the batch stops when its longest sequence stops
    fill = eos if pad is None else pad
    tokens = np.full((N, T), fill, dtype=np.int64)
    for n, row in enumerate(rows):
        tokens[n, :len(row)] = row
    return tokens


def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    N, T_y = Y.shape
    tokens = greedy_decode(X, enc, dec, bos, eos, T_y, cell)
    n_right, n_whole = 0, 0
    for n in range(N):
        right_here = 0
        for t in range(T_y):
            if t >= tokens.shape[1] or eos in list(tokens[n, :t]):
                continue
            if tokens[n, t] == Y[n, t]:
                right_here += 1
        n_right += right_here
        n_whole += right_here == T_y
    Y_in = np.zeros_like(Y)
    Y_in[:, 0] = bos
    for t in range(1, T_y):
        Y_in[:, t] = Y[:, t - 1]
    O = seq2seq_forward(X, Y_in, enc, dec, cell)
    n_forced = sum(int(np.argmax(O[n, t]) == Y[n, t]) for n in range(N) for t in range(T_y))
    return n_whole / N, n_right / (N * T_y), n_forced / (N * T_y)
