import numpy as np


def lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b):
    N, H = h_prev.shape
    A = (np.einsum("nd,kd->nk", x, U) + np.einsum("nh,kh->nk", h_prev, W) + b).reshape(N, 4, H)
    S = 1 / (1 + np.exp(-A[:, :3]))
    i, f, o = S[:, 0], S[:, 1], S[:, 2]
    g = np.tanh(A[:, 3])
    th = np.tanh(f * C_prev + i * g)
    dC = dC_next + dh_next * o * (1 - th ** 2)
    dA = np.stack([dC * g * i * (1 - i), dC * C_prev * f * (1 - f),
                   dh_next * th * o * (1 - o), dC * i * (1 - g ** 2)], axis=1).reshape(N, 4 * H)
    return (np.einsum("nk,kd->nd", dA, U), np.einsum("nk,kh->nh", dA, W), dC * f,
            np.einsum("nk,nd->kd", dA, x), np.einsum("nk,nh->kh", dA, h_prev), dA.sum(0))


def lstm_gradient_norms_through_time(dHs, X, h0, C0, Hs, Cs, U, W, b):
    N, T, H = Hs.shape
    prev_h = np.concatenate([h0[:, None], Hs[:, :-1]], axis=1)
    prev_C = np.concatenate([C0[:, None], Cs[:, :-1]], axis=1)
    # output gates of every step at once
    out_gate = 1 / (1 + np.exp(-(np.einsum("ntd,hd->nth", X, U[2 * H:3 * H])
                                 + np.einsum("ntk,hk->nth", prev_h, W[2 * H:3 * H]) + b[2 * H:3 * H])))
    slope = out_gate * (1 - np.tanh(Cs) ** 2)
    hn, cn = [], []
    g_h, g_C = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        tot_h = dHs[:, t] + g_h
        tot_C = g_C + tot_h * slope[:, t]
        hn.append(np.linalg.norm(tot_h, axis=1))
        cn.append(np.linalg.norm(tot_C, axis=1))
        _, g_h, g_C, _, _, _ = lstm_step_backward(tot_h, g_C, X[:, t], prev_h[:, t], prev_C[:, t], U, W, b)
    return np.stack(hn[::-1], axis=1), np.stack(cn[::-1], axis=1)
