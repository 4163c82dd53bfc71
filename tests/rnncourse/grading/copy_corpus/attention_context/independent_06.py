import numpy as np


def attention_context(alpha, values):
    return np.matmul(alpha, values) if alpha.ndim == 3 else np.matmul(alpha[:, None], values)[:, 0]
