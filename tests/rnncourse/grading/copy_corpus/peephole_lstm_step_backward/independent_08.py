import numpy as np


def peephole_lstm_step_backward(dh_next, dC_next, x, h_prev, C_prev, U, W, b, pi_i, pi_f, pi_omega):
    """First the local derivatives of the step, then the chain rule from h_next and C_next back."""
    H = h_prev.shape[1]
    s = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    A = x @ U.T + h_prev @ W.T + b
    a_i, a_f, a_o, a_c = (A[:, k * H:(k + 1) * H] for k in range(4))
    i = s(a_i + pi_i * C_prev)
    f = s(a_f + pi_f * C_prev)
    c_tilde = np.tanh(a_c)
    C = f * C_prev + i * c_tilde
    o = s(a_o + pi_omega * C)
    th = np.tanh(C)

    # local slopes of each node with respect to its own pre-activation or argument
    slope_i, slope_f, slope_o = i * (1 - i), f * (1 - f), o * (1 - o)
    slope_c, slope_th = 1 - c_tilde ** 2, 1 - th ** 2

    # h_next = o * th: into the output gate's pre-activation and into the cell
    g_ao = dh_next * th * slope_o
    g_C = dC_next + dh_next * o * slope_th + g_ao * pi_omega
    # C = f * C_prev + i * c_tilde
    g_ai = g_C * c_tilde * slope_i
    g_af = g_C * C_prev * slope_f
    g_ac = g_C * i * slope_c
    g_A = np.hstack((g_ai, g_af, g_ao, g_ac))
    g_Cprev = g_C * f + g_ai * pi_i + g_af * pi_f

    return (g_A @ U, g_A @ W, g_Cprev, g_A.T @ x, g_A.T @ h_prev, g_A.sum(axis=0),
            (g_ai * C_prev).sum(axis=0), (g_af * C_prev).sum(axis=0), (g_ao * C).sum(axis=0))
