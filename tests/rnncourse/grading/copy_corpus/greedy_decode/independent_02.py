import numpy as np


def birnn_forward(X, h0_fwd, h0_bwd, fwd, bwd, cell="rnn", C0_fwd=None, C0_bwd=None):
    """Both directions in one loop: step s of the forward pass and step T-1-s of the backward pass."""
    assert cell == "rnn", "this notebook only needs the tanh cell"
    N, T, _ = X.shape
    H = h0_fwd.shape[1]
    Hs = np.empty((N, T, 2 * H))
    hf, hb = h0_fwd, h0_bwd
    for s in range(T):
        r = T - 1 - s
        hf = np.tanh(fwd["b"] + hf @ fwd["W"].T + X[:, s] @ fwd["U"].T)
        hb = np.tanh(bwd["b"] + hb @ bwd["W"].T + X[:, r] @ bwd["U"].T)
        Hs[:, s, :H] = hf
        Hs[:, r, H:] = hb
    return Hs


def seq2seq_encoder_forward(X, enc, cell="rnn"):
    N, T, _ = X.shape
    if set(enc) == {"fwd", "bwd"}:
        H = enc["fwd"]["W"].shape[1]
        Hs_enc = birnn_forward(X, np.zeros((N, H)), np.zeros((N, H)), enc["fwd"], enc["bwd"], cell)
        m = np.empty((N, 2 * H))
        m[:, :H] = Hs_enc[:, T - 1, :H]
        m[:, H:] = Hs_enc[:, 0, H:]
        return Hs_enc, m
    H = enc["W"].shape[1]
    Hs_enc = np.empty((N, T, H))
    h = np.zeros((N, H))
    for t in range(T):
        h = np.tanh(enc["b"] + h @ enc["W"].T + X[:, t] @ enc["U"].T)
        Hs_enc[:, t] = h
    return Hs_enc, Hs_enc[:, -1].copy()


def greedy_decode(X, enc, dec, bos, eos, max_len, cell="rnn", pad=None):
    h = seq2seq_encoder_forward(X, enc, cell)[1]
    N = h.shape[0]
    pad_token = eos if pad is None else pad
    tokens = np.full((N, max_len), pad_token, dtype=np.int64)
    alive = np.ones(N, dtype=bool)
    y = np.full(N, bos, dtype=np.int64)
    steps = 0
    while steps < max_len and alive.any():
        h = np.tanh(dec["b"] + h @ dec["W"].T + dec["U"][:, y].T)
        y = np.argmax(h @ dec["V"].T + dec["c"], axis=1)
        tokens[alive, steps] = y[alive]
        alive &= y != eos
        steps += 1
    return tokens[:, :steps]
