import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    """Scores example by example."""
    single = queries.ndim == 2
    Q = queries[:, None] if single else queries
    N, T_y, _ = Q.shape
    T_x = keys.shape[1]
    E = np.zeros((N, T_y, T_x))
    for n in range(N):
        q_proj = Q[n] @ W_a.T          # (T_y, H_a)
        k_proj = keys[n] @ U_a.T       # (T_x, H_a)
        for t in range(T_y):
            E[n, t] = np.tanh(q_proj[t] + k_proj) @ V_a[0]
    return E[:, 0] if single else E


def attention_weights(E, mask=None):
    alpha = np.zeros_like(E)
    flat_E = E.reshape(E.shape[0], -1, E.shape[-1])
    flat_a = alpha.reshape(flat_E.shape)
    for n in range(flat_E.shape[0]):
        keep = np.ones(E.shape[-1], dtype=bool) if mask is None else mask[n]
        for t in range(flat_E.shape[1]):
            scores = flat_E[n, t, keep]
            w = np.exp(scores - scores.max())
            flat_a[n, t, keep] = w / w.sum()
    return alpha


def attention_context(alpha, values):
    return np.stack([alpha[n] @ values[n] for n in range(alpha.shape[0])])


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    E = additive_attention_forward(h_prev, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    alpha = attention_weights(E, mask)
    m = attention_context(alpha, Hs_enc)
    a = x @ dec["U"].T + m @ dec["U_m"].T + h_prev @ dec["W"].T + dec["b"]
    return np.tanh(a), m, alpha


def reversal_alignment(Hs_enc, Y_in, dec, cell="rnn"):
    N, T_x, _ = Hs_enc.shape
    N, T_y = Y_in.shape
    K = dec["U"].shape[1]
    H = dec["W"].shape[1]
    alpha = np.zeros((N, T_y, T_x))
    h = np.zeros((N, H))
    for t in range(T_y):
        x = np.zeros((N, K))
        x[np.arange(N), Y_in[:, t]] = 1
        h, m, alpha[:, t] = attention_decoder_step_forward(x, h, Hs_enc, dec, cell)
    mass = np.zeros(T_x)
    hits = 0
    for t in range(T_x):
        j = T_x - 1 - t
        mass[t] = alpha[:, t, j].mean()
        for n in range(N):
            hits += int(np.argmax(alpha[n, t]) == j)
    return alpha, mass, hits / (N * T_x)
