from itertools import accumulate

import numpy as np


def _tanh_rnn(p):
    """The step function h, x -> tanh(b + W h + U x) of one set of parameters."""
    return lambda h, x: np.tanh(p["b"] + h @ p["W"].T + x @ p["U"].T)


def _states(xs, h0, p):
    return list(accumulate(xs, _tanh_rnn(p), initial=h0))[1:]


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    xs = [X[:, t] for t in range(X.shape[1])]
    forward = _states(xs, h0_fwd, fwd)
    backward = _states(xs[::-1], h0_bwd, bwd)[::-1]
    return np.stack([np.concatenate(pair, axis=1) for pair in zip(forward, backward)], axis=1)


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N = len(X)
    if "fwd" not in enc:
        hs = _states(list(X.transpose(1, 0, 2)), np.zeros((N, len(enc["b"]))), enc)
        return np.stack(hs, axis=1), hs[-1].copy()
    H = len(enc["fwd"]["b"])
    both = birnn_forward(X, np.zeros((N, H)), np.zeros((N, H)), enc["fwd"], enc["bwd"], cell)
    return both, np.concatenate((both[:, -1, :H], both[:, 0, H:]), axis=-1)


def seq2seq_forward(X, Y_in, enc, dec, cell="rnn"):
    m = seq2seq_encoder_forward(X, enc, cell)[1]
    eye = np.eye(dec["U"].shape[1])
    hs = _states([eye[y] for y in Y_in.T], m, dec)
    return np.stack([h @ dec["V"].T + dec["c"] for h in hs], axis=1)


def _greedy_tokens(h, dec, bos, eos, max_len):
    """Yields the arg max tokens of every step, until all rows said eos or max_len steps."""
    step = _tanh_rnn(dec)
    eye = np.eye(dec["U"].shape[1])
    y = np.full(h.shape[0], bos)
    said_eos = np.zeros(h.shape[0], dtype=bool)
    for _ in range(max_len):
        h = step(h, eye[y])
        y = np.argmax(h @ dec["V"].T + dec["c"], axis=-1)
        yield y, said_eos.copy()
        said_eos |= y == eos
        if said_eos.all():
            return


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    fill = eos if pad is None else pad
    _, m = seq2seq_encoder_forward(X, enc, cell)
    cols = [np.where(over, fill, y) for y, over in _greedy_tokens(m, dec, bos, eos, max_len)]
    return np.stack(cols, axis=-1)


def decoding_accuracy(X, Y, enc, dec, bos, eos, cell="rnn"):
    N, T_y = Y.shape
    out = greedy_decode(X, enc, dec, bos, eos, T_y, cell)

    def right(n, t):
        return t < out.shape[1] and eos not in out[n, :t] and out[n, t] == Y[n, t]

    marks = np.array([[right(n, t) for t in range(T_y)] for n in range(N)])
    forced_in = np.concatenate([np.full((N, 1), bos), Y[:, :-1]], axis=1)
    forced = seq2seq_forward(X, forced_in, enc, dec, cell).argmax(-1) == Y
    return float(marks.all(1).mean()), float(marks.mean()), float(forced.mean())
