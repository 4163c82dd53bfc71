import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    N, H = h_prev.shape
    A = (np.einsum("gd,nd->ng", U, x) + np.einsum("gh,nh->ng", W, h_prev) + b).reshape(N, 4, H)
    G = np.empty_like(A)
    G[:, :3] = 1 / (1 + np.exp(-A[:, :3]))
    G[:, 3] = np.tanh(A[:, 3])
    i, f, om, ct = G[:, 0], G[:, 1], G[:, 2], G[:, 3]
    C = f * C_prev + i * ct
    th = np.tanh(C)

    dCt = dC_next + dh_next * om * (1 - th ** 2)
    dG = np.stack([dCt * ct, dCt * C_prev, dh_next * th, dCt * i], axis=1)
    slope = np.concatenate([G[:, :3] * (1 - G[:, :3]), (1 - G[:, 3:] ** 2)], axis=1)
    dA = (dG * slope).reshape(N, 4 * H)

    dx = np.einsum("ng,gd->nd", dA, U)
    dh_prev = np.einsum("ng,gh->nh", dA, W)
    dU = np.einsum("ng,nd->gd", dA, x)
    dW = np.einsum("ng,nh->gh", dA, h_prev)
    db = np.einsum("ng->g", dA)
    return dx, dh_prev, dCt * f, dU, dW, db
