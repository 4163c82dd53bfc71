import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    one_step = queries.ndim == 2
    if one_step:
        queries = queries[:, None, :]
    Qp = np.einsum("ntq,aq->nta", queries, W_a)
    Kp = np.einsum("njk,ak->nja", keys, U_a)
    Z = np.tanh(Qp[:, :, None, :] + Kp[:, None, :, :])      # (N, T_y, T_x, H_a)
    E = np.einsum("ntja,a->ntj", Z, V_a[0])
    return E[:, 0] if one_step else E


def attention_weights(E, mask=None):
    if mask is not None:
        keep = mask if E.ndim == 2 else mask[:, None, :]
        E = np.where(keep, E, -np.inf)
    E = E - E.max(axis=-1, keepdims=True)
    e = np.exp(E)
    return e / e.sum(axis=-1, keepdims=True)


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return np.einsum("nj,njh->nh", alpha, values)
    return np.einsum("ntj,njh->nth", alpha, values)


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    if cell != "rnn":
        raise ValueError("only the tanh cell")
    E = additive_attention_forward(h_prev, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    alpha = attention_weights(E, mask)
    m = attention_context(alpha, Hs_enc)
    h_next = np.tanh(dec["b"] + h_prev @ dec["W"].T + x @ dec["U"].T + m @ dec["U_m"].T)
    return h_next, m, alpha


def reversal_alignment(Hs_enc, Y_in, dec, cell="rnn"):
    N, T_x, _ = Hs_enc.shape
    T_y = Y_in.shape[1]
    K = dec["U"].shape[1]
    h = np.zeros((N, dec["W"].shape[1]))
    alphas = []
    for t in range(T_y):
        x = np.eye(K)[Y_in[:, t]]
        h, _, a = attention_decoder_step_forward(x, h, Hs_enc, dec, cell)
        alphas.append(a)
    alpha = np.stack(alphas, axis=1)
    target = T_x - 1 - np.arange(T_x)
    mass = alpha[:, np.arange(T_x), target].mean(axis=0)
    hit_rate = float((alpha[:, :T_x].argmax(axis=2) == target).mean())
    return alpha, mass, hit_rate
