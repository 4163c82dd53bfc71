import numpy as np


def temperature_softmax(o, temperature):
    tau = float(temperature)
    biggest = o.max(axis=-1, keepdims=True)
    if tau == 0.0:
        share = np.where(o == biggest, 1.0, 0.0)
        return share / share.sum(axis=-1, keepdims=True)
    unnormalised = np.exp((o - biggest) / tau)
    return unnormalised / unnormalised.sum(axis=-1, keepdims=True)
