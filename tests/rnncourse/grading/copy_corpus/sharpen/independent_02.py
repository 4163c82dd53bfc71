def sharpen(w_tilde, xi):
    """Divide by the largest weight first: the powers then lie in [0, 1] and the largest is 1."""
    ratio = w_tilde / w_tilde.max(axis=1, keepdims=True)
    powered = ratio ** xi[:, None]
    return powered / powered.sum(axis=1, keepdims=True)
