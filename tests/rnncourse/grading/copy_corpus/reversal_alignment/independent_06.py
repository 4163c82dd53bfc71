import numpy as np


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    N = keys.shape[0]
    T_x = keys.shape[1]
    flat_q = queries.reshape(-1, queries.shape[-1]) @ W_a.T          # rows: (n, t) pairs
    flat_k = keys.reshape(-1, keys.shape[-1]) @ U_a.T                # rows: (n, j) pairs
    H_a = W_a.shape[0]
    q = flat_q.reshape(N, -1, 1, H_a)
    k = flat_k.reshape(N, 1, T_x, H_a)
    scores = (np.tanh(q + k).reshape(-1, H_a) @ V_a.T).reshape(N, -1, T_x)
    return scores.reshape(queries.shape[:-1] + (T_x,))


def attention_weights(E, mask=None):
    shape = E.shape
    flat = E.reshape(shape[0], -1, shape[-1]).copy()
    if mask is not None:
        flat[~np.broadcast_to(mask[:, None, :], flat.shape)] = -1e300
    flat -= flat.max(axis=2, keepdims=True)
    p = np.exp(flat)
    p /= p.sum(axis=2, keepdims=True)
    return p.reshape(shape)


def attention_context(alpha, values):
    return np.matmul(alpha, values) if alpha.ndim == 3 else np.matmul(alpha[:, None], values)[:, 0]


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    assert cell == "rnn"
    scores = additive_attention_forward(h_prev, Hs_enc, dec["W_a"], dec["U_a"], dec["V_a"])
    weights = attention_weights(scores, mask)
    ctx = attention_context(weights, Hs_enc)
    h_new = np.tanh(np.matmul(x, dec["U"].T) + np.matmul(ctx, dec["U_m"].T) + np.matmul(h_prev, dec["W"].T)
                    + dec["b"])
    return h_new, ctx, weights


def reversal_alignment(Hs_enc, Y_in, dec, cell="rnn"):
    N, T_x = Hs_enc.shape[0], Hs_enc.shape[1]
    T_y = Y_in.shape[1]
    identity = np.eye(dec["U"].shape[1])
    state = np.zeros((N, dec["W"].shape[1]))
    alpha = np.zeros((N, T_y, T_x))
    for t in range(T_y):
        x_t = identity[Y_in[:, t]]
        state, _, alpha[:, t, :] = attention_decoder_step_forward(x_t, state, Hs_enc, dec, cell)
    mass = np.empty(T_x)
    hit = np.empty((N, T_x), dtype=bool)
    for t in range(T_x):
        mass[t] = np.mean(alpha[:, t, T_x - 1 - t])
        hit[:, t] = np.argmax(alpha[:, t, :], axis=1) == T_x - 1 - t
    return alpha, mass, float(hit.mean())
