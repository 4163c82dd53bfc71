import numpy as np


def _softmax_row(row, tau):
    if tau == 0:
        top = row == row.max()
        return top / top.sum()
    z = row / tau
    z = np.exp(z - z.max())
    return z / z.sum()


def temperature_softmax(o, temperature):
    return np.apply_along_axis(_softmax_row, -1, o, temperature).astype(float)
