"""memory_capacity: slices instead of index arrays, centred ridge and the correlation by hand."""
import numpy as np


def memory_capacity(x, states, max_delay, mu=1e-06):
    T, H = states.shape
    usable = T - max_delay
    n_train = usable // 2
    start, mid = max_delay, max_delay + n_train
    scores = []
    for k in range(1, max_delay + 1):
        S_tr, y_tr = states[start:mid], x[start - k:mid - k]
        s_mean, y_mean = S_tr.mean(axis=0), y_tr.mean()
        Sc = S_tr - s_mean
        w = np.linalg.solve(Sc.T @ Sc + mu * np.eye(H), Sc.T @ (y_tr - y_mean))
        bias = y_mean - s_mean @ w
        pred = states[mid:] @ w + bias
        true = x[mid - k:T - k]
        a, b = pred - pred.mean(), true - true.mean()
        den = (a @ a) * (b @ b)
        scores.append((a @ b) ** 2 / den if den > 0 else 0.0)
    mc_k = np.array(scores)
    return float(mc_k.sum()), mc_k
