import math

import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    if queries.ndim == 2:
        return additive_attention_forward(queries[:, None, :], keys, W_a, U_a, V_a)[:, 0, :]
    N, T_y, _ = queries.shape
    T_x = keys.shape[1]
    v = V_a.ravel()
    E = np.empty((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            wq = W_a @ queries[n, t]
            for j in range(T_x):
                E[n, t, j] = v @ np.tanh(wq + U_a @ keys[n, j])
    return E


def attention_weights(E, mask=None):
    if E.ndim == 2:
        return attention_weights(E[:, None, :], mask)[:, 0, :]
    N, T_y, T_x = E.shape
    alpha = np.zeros((N, T_y, T_x))
    for n in range(N):
        for t in range(T_y):
            idx = [j for j in range(T_x) if mask is None or mask[n, j]]
            top = max(E[n, t, j] for j in idx)
            expd = {j: math.exp(E[n, t, j] - top) for j in idx}
            total = sum(expd.values())
            for j in idx:
                alpha[n, t, j] = expd[j] / total
    return alpha


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return attention_context(alpha[:, None, :], values)[:, 0, :]
    N, T_y, T_x = alpha.shape
    Ms = np.zeros((N, T_y, values.shape[2]))
    for n in range(N):
        for t in range(T_y):
            for j in range(T_x):
                Ms[n, t] += alpha[n, t, j] * values[n, j]
    return Ms


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    scores = additive_attention_forward(h_prev, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    weights = attention_weights(scores, mask)
    context = attention_context(weights, Hs_enc)
    # input weights [U U_m] applied to [x; m]
    U_full = np.hstack([dec["U"], dec["U_m"]])
    xm = np.hstack([x, context])
    h_next = np.tanh(dec["b"] + h_prev @ dec["W"].T + xm @ U_full.T)
    return h_next, context, weights
