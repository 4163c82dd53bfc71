import numpy as np


def logsumexp(z, axis=-1):
    top = np.max(z, axis=axis, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True))


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    keys_a = keys @ U_a.T                                   # (N, T_x, H_a)
    if queries.ndim == 2:
        q_a = queries @ W_a.T                               # (N, H_a)
        return np.tanh(keys_a + q_a[:, None]) @ V_a[0]
    q_a = queries @ W_a.T                                   # (N, T_y, H_a)
    T_y = queries.shape[1]
    return np.stack([np.tanh(keys_a + q_a[:, t:t + 1]) @ V_a[0] for t in range(T_y)], axis=1)


def attention_weights(E, mask=None):
    if mask is None:
        return np.exp(E - logsumexp(E))
    keep = np.broadcast_to(mask if E.ndim == 2 else mask[:, None, :], E.shape)
    masked_scores = np.where(keep, E, -np.inf)
    alpha = np.exp(masked_scores - logsumexp(masked_scores))
    return np.where(keep, alpha, 0.0)


def attention_context(alpha, values):
    T_x = values.shape[1]
    return sum(alpha[..., j, None] * (values[:, j] if alpha.ndim == 2 else values[:, None, j])
               for j in range(T_x))


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    if cell != "rnn":
        raise ValueError("cell must be 'rnn'")
    scores = additive_attention_forward(h_prev, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    alpha = attention_weights(scores, mask)
    m = attention_context(alpha, Hs_enc)
    W_in = np.concatenate([dec["U"], dec["U_m"]], axis=1)
    a = np.concatenate([x, m], axis=1) @ W_in.T + h_prev @ dec["W"].T + dec["b"]
    return np.tanh(a), m, alpha
