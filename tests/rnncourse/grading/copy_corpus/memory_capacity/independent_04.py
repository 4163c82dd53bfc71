"""memory_capacity with helpers for the fit, the prediction and the squared correlation."""
import numpy as np


def fit_readout(S, y, mu):
    Z = np.c_[S, np.ones(S.shape[0])]
    reg = np.diag(np.append(np.full(S.shape[1], mu), 0.0))
    return np.linalg.solve(Z.T @ Z + reg, Z.T @ y)


def predict(S, w):
    return S @ w[:-1] + w[-1]


def squared_correlation(a, b):
    a = a - a.mean()
    b = b - b.mean()
    denom = np.sum(a ** 2) * np.sum(b ** 2)
    return 0.0 if denom == 0 else float(np.sum(a * b) ** 2 / denom)


def memory_capacity(x, states, max_delay, mu=1e-06):
    idx = list(range(max_delay, len(x)))
    cut = len(idx) // 2
    tr, te = np.array(idx[:cut]), np.array(idx[cut:])
    mc_k = np.array([squared_correlation(predict(states[te], fit_readout(states[tr], x[tr - k], mu)),
                                         x[te - k]) for k in range(1, max_delay + 1)])
    return float(mc_k.sum()), mc_k
