"""memory_capacity with a nested ridge function that returns (V, c) like the chapter's readout."""
import numpy as np


def memory_capacity(x, states, max_delay, mu=1e-06):
    def ridge(S, Y):
        Zm = np.hstack([S, np.ones((S.shape[0], 1))])
        pen = np.eye(Zm.shape[1]) * mu
        pen[-1, -1] = 0.0
        sol = np.linalg.solve(Zm.T.dot(Zm) + pen, Zm.T.dot(Y))
        return sol[:-1].T, sol[-1]

    t = np.arange(max_delay, x.shape[0])
    split = t.size // 2
    t_fit, t_eval = t[:split], t[split:]
    out = np.zeros(max_delay)
    for lag in range(1, max_delay + 1):
        V, c = ridge(states[t_fit], x[t_fit - lag][:, None])
        pred = (states[t_eval].dot(V.T) + c).ravel()
        ref = x[t_eval - lag]
        pm, rm = pred - pred.mean(), ref - ref.mean()
        d = pm.dot(pm) * rm.dot(rm)
        out[lag - 1] = pm.dot(rm) ** 2 / d if d > 0 else 0.0
    return float(out.sum()), out
