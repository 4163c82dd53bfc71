import numpy as np


def sigma(v):
    return 1.0 / (1.0 + np.exp(-np.clip(v, -500.0, 500.0)))


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    H = h_prev.shape[-1]
    act = np.einsum("gd,nd->ng", U, x) + np.einsum("gh,nh->ng", W, h_prev) + b
    ig = sigma(act[:, 0:H] + pi_i[None, :] * C_prev)
    fg = sigma(act[:, H:2 * H] + pi_f[None, :] * C_prev)
    cc = np.tanh(act[:, 3 * H:4 * H])
    Cn = fg * C_prev + ig * cc
    og = sigma(act[:, 2 * H:3 * H] + pi_omega[None, :] * Cn)
    tC = np.tanh(Cn)

    d_og = dh_next * tC * og * (1 - og)
    d_Cn = dC_next + dh_next * og * (1 - tC * tC)
    d_Cn = d_Cn + d_og * pi_omega[None, :]
    d_ig = d_Cn * cc * ig * (1 - ig)
    d_fg = d_Cn * C_prev * fg * (1 - fg)
    d_cc = d_Cn * ig * (1 - cc * cc)
    d_act = np.hstack([d_ig, d_fg, d_og, d_cc])

    dU = np.einsum("ng,nd->gd", d_act, x)
    dW = np.einsum("ng,nh->gh", d_act, h_prev)
    db = np.einsum("ng->g", d_act)
    dx = np.einsum("ng,gd->nd", d_act, U)
    dh = np.einsum("ng,gh->nh", d_act, W)
    dC = d_Cn * fg + d_ig * pi_i[None, :] + d_fg * pi_f[None, :]
    return (dx, dh, dC, dU, dW, db, np.einsum("nh,nh->h", d_ig, C_prev), np.einsum("nh,nh->h", d_fg, C_prev),
            np.einsum("nh,nh->h", d_og, Cn))
