import numpy as np


def temperature_softmax(o, temperature):
    shape = o.shape
    rows = o.reshape(-1, shape[-1])
    p = np.zeros_like(rows)
    for r in range(rows.shape[0]):
        row = rows[r]
        if temperature == 0:
            winners = np.flatnonzero(row == row.max())
            p[r, winners] = 1.0 / len(winners)
        else:
            z = (row - row.max()) / temperature     # shift first: the same softmax, no overflow
            e = np.exp(z)
            p[r] = e / e.sum()
    return p.reshape(shape)
