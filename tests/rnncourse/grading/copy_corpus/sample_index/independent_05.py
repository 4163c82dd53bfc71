import numpy as np


def sample_index(p, upsilon):
    # compare with upsilon scaled by the row sum instead of normalising the cumulative sums
    cumulative = np.cumsum(p, axis=1)
    threshold = upsilon * cumulative[:, -1]
    return (cumulative <= threshold[:, None]).sum(axis=1).astype(np.int64)
