def attention_context(alpha, values):
    if alpha.ndim == 2:
        return (alpha[:, None, :] @ values)[:, 0, :]
    return alpha @ values
