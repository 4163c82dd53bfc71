import numpy as np


def temperature_softmax(o, temperature):
    tau = float(temperature)
    biggest = o.max(axis=-1, keepdims=True)
    if tau == 0.0:
        share = np.where(o == biggest, 1.0, 0.0)
        return share / share.sum(axis=-1, keepdims=True)
    unnormalised = np.exp((o - biggest) / tau)
    return unnormalised / unnormalised.sum(axis=-1, keepdims=True)


def sample_index(p, upsilon):
    # normalise the probabilities first, then invert the cumulative distribution
    q = p / p.sum(axis=1, keepdims=True)
    F = np.cumsum(q, axis=1)
    below = F <= upsilon.reshape(-1, 1)
    k = below.sum(axis=1)
    return np.minimum(k, p.shape[1] - 1).astype(np.int64)


def sample_sequence(step, state, x, upsilon, temperature):
    steps = upsilon.shape[1]
    history = {"ids": [], "state": state, "x": x}
    for t in range(steps):
        logits, history["state"] = step(history["x"], history["state"])
        p = temperature_softmax(logits, temperature)
        history["x"] = sample_index(p, upsilon[:, t])
        history["ids"].append(history["x"])
    return np.stack(history["ids"], axis=-1).astype(np.int64)
