"""softmax: flatten to rows, one list comprehension, stack and reshape back."""
import numpy as np


def softmax(o):
    flat = np.reshape(o, (-1, o.shape[-1]))

    def one(row):
        ex = np.exp(row - row.max())
        return ex / ex.sum()

    return np.stack([one(row) for row in flat]).reshape(o.shape)
