"""esn_forecast: states as a list of column vectors, centred ridge for the readout."""
import numpy as np


def esn_forecast(x, U, W, b, gamma, n_train, washout, mu):
    H = W.shape[0]
    leak = np.ones(H) / np.asarray(gamma, dtype=float)
    h = np.zeros((H, 1))
    cols = []
    for value in x:
        pre = U * value + W @ h + b[:, None]
        h = (1 - leak[:, None]) * h + leak[:, None] * np.tanh(pre)
        cols.append(h[:, 0])
    S = np.array(cols)
    train_S = S[washout:n_train - 1]
    train_y = x[washout + 1:n_train]
    ms, my = train_S.mean(0), train_y.mean()
    A = train_S - ms
    v = np.linalg.solve(A.T @ A + mu * np.eye(H), A.T @ (train_y - my))
    c = my - ms @ v
    return S[n_train - 1:len(x) - 1] @ v + c
