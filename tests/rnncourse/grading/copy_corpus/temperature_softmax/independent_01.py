import numpy as np


def temperature_softmax(o, temperature):
    if temperature == 0:
        top = (o == o.max(axis=-1, keepdims=True)).astype(float)
        return top / top.sum(axis=-1, keepdims=True)
    z = o / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
