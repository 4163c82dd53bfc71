import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    q_part = np.tensordot(queries, W_a, axes=([-1], [1]))       # (N, [T_y,] H_a)
    k_part = np.tensordot(keys, U_a, axes=([-1], [1]))          # (N, T_x, H_a)
    if queries.ndim == 2:
        act = np.tanh(q_part[:, None, :] + k_part)              # (N, T_x, H_a)
    else:
        act = np.tanh(q_part[:, :, None, :] + k_part[:, None, :, :])
    return np.tensordot(act, V_a[0], axes=([-1], [0]))


def attention_weights(E, mask=None):
    shifted = E - np.max(E, axis=-1, keepdims=True)
    if mask is not None:
        m = mask if E.ndim == 2 else mask[:, np.newaxis, :]
        # the largest kept score becomes 0: shift again with the maximum over kept positions only
        shifted = np.where(m, E, -np.inf)
        shifted = shifted - shifted.max(axis=-1, keepdims=True)
    unnorm = np.exp(shifted)
    return unnorm / np.sum(unnorm, axis=-1, keepdims=True)


def attention_context(alpha, values):
    if alpha.ndim == 2:
        return np.sum(alpha[:, :, None] * values, axis=1)
    return np.sum(alpha[:, :, :, None] * values[:, None, :, :], axis=2)


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    e = additive_attention_forward(h_prev, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    alpha = attention_weights(e, mask)
    m = attention_context(alpha, Hs_enc)
    pre = (np.tensordot(x, dec["U"], axes=([1], [1])) + np.tensordot(m, dec["U_m"], axes=([1], [1]))
           + np.tensordot(h_prev, dec["W"], axes=([1], [1])) + dec["b"])
    return np.tanh(pre), m, alpha
