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
