import numpy as np


def circular_shift(w_g, s):
    S = w_g.shape[1]
    rows = []
    for w, shift in zip(w_g, s):
        # linear convolution of the weighting repeated twice; the middle S entries wrap around
        full = np.convolve(np.concatenate([w, w]), shift)
        rows.append(full[S:2 * S])
    return np.stack(rows)
