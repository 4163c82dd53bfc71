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
