def attention_context_backward(dMs, alpha, values):
    step = alpha.ndim == 2
    A = alpha[:, None, :] if step else alpha
    G = dMs[:, None, :] if step else dMs
    dalpha = G @ values.transpose(0, 2, 1)
    dvalues = A.transpose(0, 2, 1) @ G
    return (dalpha[:, 0] if step else dalpha), dvalues
