"""esn_forecast with a helper for the reservoir and one for the readout, lstsq on the stacked system."""
import numpy as np


def run_reservoir(x, U, W, b, gamma):
    g = np.asarray(gamma, dtype=float)
    state = np.zeros(W.shape[0])
    out = []
    for xt in x:
        state = state - state / g + np.tanh(W.dot(state) + U.dot([xt]) + b) / g
        out.append(state.copy())
    return np.vstack(out)


def train_readout(S, y, mu):
    n, H = S.shape
    A = np.vstack([np.hstack([S, np.ones((n, 1))]), np.hstack([np.sqrt(mu) * np.eye(H), np.zeros((H, 1))])])
    rhs = np.concatenate([y, np.zeros(H)])
    return np.linalg.lstsq(A, rhs, rcond=None)[0]


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    S = run_reservoir(x, U, W, b, gamma)
    w = train_readout(S[washout:n_train - 1], x[washout + 1:n_train], mu)
    held = S[n_train - 1:len(x) - 1]
    return held @ w[:-1] + w[-1]
