import numpy as np


def rnn_step(x, h, p):
    return np.tanh(x @ p["U"].T + h @ p["W"].T + p["b"])


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    if cell != "rnn":
        raise ValueError("only the tanh cell is implemented here")
    N, T, D = X.shape
    forward_states = []
    h = h0_fwd
    for t in range(T):
        h = rnn_step(X[:, t], h, fwd)
        forward_states.append(h)
    backward_states = []
    h = h0_bwd
    for t in range(T - 1, -1, -1):
        h = rnn_step(X[:, t], h, bwd)
        backward_states.append(h)
    backward_states.reverse()  # back in time order
    Hf = np.stack(forward_states, axis=1)
    Hb = np.stack(backward_states, axis=1)
    return np.concatenate([Hf, Hb], axis=2)


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N = X.shape[0]
    if "fwd" in enc:
        H = enc["fwd"]["W"].shape[0]
        zeros = np.zeros((N, H))
        Hs_enc = birnn_forward(X, zeros, zeros, enc["fwd"], enc["bwd"], cell)
        m = np.concatenate([Hs_enc[:, -1, :H], Hs_enc[:, 0, H:]], axis=1)
    else:
        h = np.zeros((N, enc["W"].shape[0]))
        states = []
        for t in range(X.shape[1]):
            h = rnn_step(X[:, t], h, enc)
            states.append(h)
        Hs_enc = np.stack(states, axis=1)
        m = h.copy()
    return Hs_enc, m


def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    _, m = seq2seq_encoder_forward(X, enc, cell)
    K = dec["V"].shape[0]
    N, T_y = Y_in.shape
    h = m
    logits = []
    for t in range(T_y):
        x = np.zeros((N, K))
        x[np.arange(N), Y_in[:, t]] = 1
        h = rnn_step(x, h, dec)
        logits.append(h @ dec["V"].T + dec["c"])
    return np.stack(logits, axis=1)


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    if pad is None:
        pad = eos
    _, h = seq2seq_encoder_forward(X, enc, cell)
    N = X.shape[0]
    K = dec["V"].shape[0]
    prev = np.full(N, bos)
    finished = np.zeros(N, dtype=bool)
    out = []
    for _ in range(max_len):
        x = np.zeros((N, K))
        x[np.arange(N), prev] = 1
        h = rnn_step(x, h, dec)
        prev = np.argmax(h @ dec["V"].T + dec["c"], axis=1)
        out.append(np.where(finished, pad, prev))
        finished = finished | (prev == eos)
        if finished.all():
            break
    return np.array(out).T


def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    N, T_y = Y.shape
    tokens = greedy_decode(X, enc, dec, bos, eos, T_y, cell)
    right = np.zeros((N, T_y), dtype=bool)
    for n in range(N):
        for t in range(tokens.shape[1]):
            if eos in tokens[n, :t]:
                break
            right[n, t] = tokens[n, t] == Y[n, t]
    Y_in = np.concatenate([np.full((N, 1), bos), Y[:, :-1]], axis=1)
    O = seq2seq_forward(X, Y_in, enc, dec, cell)
    forced = O.argmax(axis=2) == Y
    return float(right.all(axis=1).mean()), float(right.mean()), float(forced.mean())
