import numpy as np


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _cell_step(cell, x, state, p):
    """One step of the given cell; the state is h, or (h, C) for the LSTM."""
    U, W, b = p["U"], p["W"], p["b"]
    if cell == "rnn":
        return np.tanh(x @ U.T + state @ W.T + b)
    H = W.shape[1]
    if cell == "gru":
        h = state
        ax, ah = x @ U.T + b, h @ W.T
        r = _sigmoid(ax[:, :H] + ah[:, :H])
        z = _sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
        cand = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
        return (1 - z) * h + z * cand
    if cell == "lstm":
        h, C = state
        a = x @ U.T + h @ W.T + b
        C = _sigmoid(a[:, H:2 * H]) * C + _sigmoid(a[:, :H]) * np.tanh(a[:, 3 * H:])
        return _sigmoid(a[:, 2 * H:3 * H]) * np.tanh(C), C
    raise ValueError(f"unknown cell {cell!r}")


def _direction(cell, X, state, p, times):
    hs, cs = {}, {}
    for t in times:
        state = _cell_step(cell, X[:, t], state, p)
        if cell == "lstm":
            hs[t], cs[t] = state
        else:
            hs[t] = state
    T = X.shape[1]
    H_out = np.stack([hs[t] for t in range(T)], axis=1)
    C_out = np.stack([cs[t] for t in range(T)], axis=1) if cell == "lstm" else None
    return H_out, C_out


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    T = X.shape[1]
    if cell == "lstm":
        C0_fwd = np.zeros_like(h0_fwd) if C0_fwd is None else C0_fwd
        C0_bwd = np.zeros_like(h0_bwd) if C0_bwd is None else C0_bwd
        start_f, start_b = (h0_fwd, C0_fwd), (h0_bwd, C0_bwd)
    else:
        if C0_fwd is not None or C0_bwd is not None:
            raise ValueError("initial cell states only make sense for the LSTM")
        start_f, start_b = h0_fwd, h0_bwd
    Hf, Cf = _direction(cell, X, start_f, fwd, range(T))
    Hb, Cb = _direction(cell, X, start_b, bwd, reversed(range(T)))
    Hs = np.concatenate([Hf, Hb], axis=2)
    if cell == "lstm":
        return Hs, np.concatenate([Cf, Cb], axis=2)
    return Hs


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    if cell not in ("rnn", "gru"):
        raise ValueError("the encoder runs an rnn or a gru")
    N, T, _ = X.shape
    if "fwd" in enc:
        H = enc["fwd"]["W"].shape[1]
        Hs_enc = birnn_forward(X, np.zeros((N, H)), np.zeros((N, H)), enc["fwd"], enc["bwd"], cell)
        m = np.concatenate([Hs_enc[:, T - 1, :H], Hs_enc[:, 0, H:]], axis=1)
    else:
        H = enc["W"].shape[1]
        Hs_enc, _ = _direction(cell, X, np.zeros((N, H)), enc, range(T))
        m = Hs_enc[:, T - 1].copy()
    return Hs_enc, m
