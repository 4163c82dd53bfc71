"""memory_capacity_by_radius: eigen-decomposition for the radius, centred ridge for each readout."""
import numpy as np


def drive(x, U, W, b):
    T, H = len(x), len(b)
    hs = np.zeros((T, H))
    prev = np.zeros(H)
    t = 0
    while t < T:
        prev = np.tanh(W.dot(prev) + U.dot(x[t:t + 1]) + b)
        hs[t] = prev
        t += 1
    return hs


def centred_ridge(S, y, mu):
    ms, my = S.mean(axis=0), y.mean()
    Sc = S - ms
    v = np.linalg.solve(Sc.T.dot(Sc) + mu * np.eye(S.shape[1]), Sc.T.dot(y - my))
    return v, my - ms.dot(v)


def memory_capacity_by_radius(x, U, W, b, rhos, max_delay, mu=1e-06):
    values, _ = np.linalg.eig(W)
    spectral = np.abs(values).max()
    total = []
    table = []
    for rho in rhos:
        hs = drive(x, U, W * (float(rho) / spectral), b)
        ts = np.arange(max_delay, len(x))
        half = len(ts) // 2
        r2s = []
        for k in range(1, max_delay + 1):
            v, c = centred_ridge(hs[ts[:half]], x[ts[:half] - k], mu)
            out = hs[ts[half:]].dot(v) + c
            tgt = x[ts[half:] - k]
            o, g = out - out.mean(), tgt - tgt.mean()
            denom = o.dot(o) * g.dot(g)
            r2s.append(o.dot(g) ** 2 / denom if denom > 0 else 0.0)
        table.append(r2s)
        total.append(np.sum(r2s))
    return np.asarray(total, dtype=float), np.asarray(table, dtype=float)
