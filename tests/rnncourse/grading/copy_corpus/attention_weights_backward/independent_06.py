def attention_weights_backward(dalpha, alpha):
    g = alpha * dalpha
    return g - alpha * g.sum(axis=-1, keepdims=True)
