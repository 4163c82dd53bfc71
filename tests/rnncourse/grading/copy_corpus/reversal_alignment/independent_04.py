import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    step = queries.ndim == 2
    Q = queries.reshape(queries.shape[0], -1, queries.shape[-1])   # (N, T_y, H_q), T_y = 1 for a step
    proj_q = Q @ W_a.T
    proj_k = keys @ U_a.T
    hidden = np.tanh(proj_q[:, :, np.newaxis] + proj_k[:, np.newaxis])
    E = (hidden @ V_a.T)[..., 0]
    if step:
        E = E[:, 0]
    return E


def attention_weights(E, mask=None):
    top = np.max(E if mask is None else np.where(mask.reshape(mask.shape[0], *([1] * (E.ndim - 2)), -1),
                                                  E, -np.inf), axis=-1, keepdims=True)
    w = np.exp(E - top)
    if mask is not None:
        w = w * (mask[:, None, :] if E.ndim == 3 else mask)
    return w / w.sum(axis=-1, keepdims=True)


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return (alpha[:, None, :] @ values)[:, 0, :]
    return alpha @ values


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    W_a, U_a, V_a = dec["W_a"], dec["U_a"], dec["V_a"]
    alpha = attention_weights(additive_attention_forward(h_prev, Hs_enc, W_a, U_a, V_a), mask)
    m = attention_context(alpha, Hs_enc)
    if cell == "rnn":
        h_next = np.tanh(dec["b"] + h_prev @ dec["W"].T + x @ dec["U"].T + m @ dec["U_m"].T)
    elif cell == "gru":
        H = h_prev.shape[1]
        ax = x @ dec["U"].T + m @ dec["U_m"].T + dec["b"]
        ah = h_prev @ dec["W"].T
        r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
        z = 1 / (1 + np.exp(-(ax[:, H:2 * H] + ah[:, H:2 * H])))
        h_next = (1 - z) * h_prev + z * np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    else:
        raise ValueError(cell)
    return h_next, m, alpha


def reversal_alignment(Hs_enc, Y_in, dec, cell="rnn"):
    N, T_x = Hs_enc.shape[:2]
    K = dec["U"].shape[1]
    X_dec = (Y_in[:, :, None] == np.arange(K)[None, None, :]).astype(Hs_enc.dtype)
    h = np.zeros((N, dec["W"].shape[1]))
    alpha = np.empty((N, Y_in.shape[1], T_x))
    for t in range(Y_in.shape[1]):
        h, _, alpha[:, t] = attention_decoder_step_forward(X_dec[:, t], h, Hs_enc, dec, cell)
    anti = np.fliplr(np.eye(T_x, dtype=bool))        # anti[t, T_x - 1 - t] = True
    on_diag = alpha[:, :T_x][:, anti]                # (N, T_x), step t first
    mass = on_diag.mean(axis=0)
    best = alpha[:, :T_x].argmax(axis=-1)
    hit_rate = np.mean(best == np.arange(T_x)[::-1])
    return alpha, mass, float(hit_rate)
