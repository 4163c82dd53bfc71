import numpy as np


def _as_steps(a):
    """(N, T, ...) view of an array that may be a single step (N, ...); and whether it was one."""
    return (a[:, None], True) if a.ndim == 2 else (a, False)


def additive_attention_forward(queries, keys, W_a, U_a, V_a):
    Q, single = _as_steps(queries)
    scorer = {"query": Q @ W_a.T, "key": keys @ U_a.T, "out": V_a.reshape(-1)}
    pairs = scorer["query"][:, :, None, :] + scorer["key"][:, None, :, :]
    E = np.tanh(pairs) @ scorer["out"]
    return E[:, 0] if single else E


def attention_weights(E, mask=None):
    S, single = _as_steps(E)
    if mask is not None:
        big_negative = -1e30
        keep = mask[:, None, :].astype(S.dtype)
        S = S * keep + big_negative * (1.0 - keep)
    S = S - S.max(axis=2, keepdims=True)
    A = np.exp(S)
    A = A / A.sum(axis=2, keepdims=True)
    return A[:, 0] if single else A


def attention_context(alpha, values):
    A, single = _as_steps(alpha)
    M = np.einsum("nij,njh->nih", A, values)
    return M[:, 0] if single else M


def attention_decoder_step_forward(x, h_prev, Hs_enc, dec, cell="rnn", mask=None):
    p = dec
    e = additive_attention_forward(h_prev, Hs_enc, p["W_a"], p["U_a"], p["V_a"])
    out = {"alpha": attention_weights(e, mask)}
    out["m"] = attention_context(out["alpha"], Hs_enc)
    a = p["b"] + h_prev @ p["W"].T + x @ p["U"].T + out["m"] @ p["U_m"].T
    out["h_next"] = np.tanh(a)
    return out["h_next"], out["m"], out["alpha"]
