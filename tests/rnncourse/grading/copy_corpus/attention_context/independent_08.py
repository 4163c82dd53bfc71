def attention_context(alpha, values):
    T_x = values.shape[1]
    return sum(alpha[..., j, None] * (values[:, j] if alpha.ndim == 2 else values[:, None, j])
               for j in range(T_x))
