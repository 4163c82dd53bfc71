"""step_size_errors: the loop over entries outside, the loop over steps inside."""
import numpy as np


def step_size_errors(f, x, grad, epsilons):
    E = len(epsilons)
    D_c = np.zeros((E,) + x.shape)
    D_o = np.zeros((E,) + x.shape)
    f_x = f(x.copy())
    for i in range(x.size):
        pos = np.unravel_index(i, x.shape)
        for j, eps in enumerate(epsilons):
            xp = x.copy()
            xm = x.copy()
            xp[pos] += eps
            xm[pos] -= eps
            f_p = f(xp)
            D_c[(j,) + pos] = (f_p - f(xm)) / (2 * eps)
            D_o[(j,) + pos] = (f_p - f_x) / eps
    g_norm = np.linalg.norm(grad)
    centred = np.array([np.linalg.norm(D_c[j] - grad) / (np.linalg.norm(D_c[j]) + g_norm)
                        for j in range(E)])
    one_sided = np.array([np.linalg.norm(D_o[j] - grad) / (np.linalg.norm(D_o[j]) + g_norm)
                          for j in range(E)])
    return centred, one_sided
