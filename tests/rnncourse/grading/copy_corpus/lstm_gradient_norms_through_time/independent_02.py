import numpy as np


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    """Totals on every h_t and C_t, going back in time, written out without a step function."""
    N, T, H = Hs.shape
    H_before = np.concatenate([h0[:, None, :], Hs[:, :-1]], axis=1)   # h_{t-1} for every t
    C_before = np.concatenate([C0[:, None, :], Cs[:, :-1]], axis=1)
    A = X @ U.T + H_before @ W.T + b                                  # (N, T, 4H)
    I = 1 / (1 + np.exp(-A[..., :H]))
    F = 1 / (1 + np.exp(-A[..., H:2 * H]))
    O = 1 / (1 + np.exp(-A[..., 2 * H:3 * H]))
    G = np.tanh(A[..., 3 * H:])
    TC = np.tanh(Cs)

    h_norms = np.empty((N, T))
    C_norms = np.empty((N, T))
    carry_h = np.zeros((N, H))
    carry_C = np.zeros((N, H))
    for t in reversed(range(T)):
        dh = dHs[:, t] + carry_h
        dC = carry_C + dh * O[:, t] * (1 - TC[:, t] ** 2)
        h_norms[:, t] = np.sqrt((dh ** 2).sum(axis=1))
        C_norms[:, t] = np.sqrt((dC ** 2).sum(axis=1))
        da = np.concatenate([
            dC * G[:, t] * I[:, t] * (1 - I[:, t]),
            dC * C_before[:, t] * F[:, t] * (1 - F[:, t]),
            dh * TC[:, t] * O[:, t] * (1 - O[:, t]),
            dC * I[:, t] * (1 - G[:, t] ** 2),
        ], axis=1)
        carry_h = da @ W
        carry_C = dC * F[:, t]
    return h_norms, C_norms
