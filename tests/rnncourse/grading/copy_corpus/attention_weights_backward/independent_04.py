def attention_weights_backward(dalpha, alpha):
    weighted = (alpha * dalpha).sum(-1)[..., None]
    return alpha * dalpha - alpha * weighted
