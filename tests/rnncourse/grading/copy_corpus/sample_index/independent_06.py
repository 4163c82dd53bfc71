import bisect

import numpy as np


def sample_index(p, upsilon):
    draws = []
    for row, u in zip(p, upsilon):
        cdf = np.cumsum(row)
        cdf = cdf / cdf[-1]
        draws.append(bisect.bisect_right(cdf.tolist(), float(u)))
    return np.array(draws, dtype=np.int64)
