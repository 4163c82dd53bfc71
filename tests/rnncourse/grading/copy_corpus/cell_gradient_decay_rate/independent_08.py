import numpy as np


def cell_gradient_decay_rate(X, h0, C0, U, W, b):
    N, T, D = X.shape
    H = h0.shape[1]
    U4, W4, b4 = U.reshape(4, H, D), W.reshape(4, H, H), b.reshape(4, 1, H)

    gates = []
    prev_C = [C0]
    h, C = h0, C0
    for t in range(T):
        A = np.einsum("khd,nd->knh", U4, X[:, t]) + np.einsum("khj,nj->knh", W4, h) + b4
        ig, fg, og = 1 / (1 + np.exp(-A[:3]))
        cand = np.tanh(A[3])
        C = fg * C + ig * cand
        h = og * np.tanh(C)
        gates.append((ig, fg, og, cand, C))
        prev_C.append(C)

    dh = np.zeros((N, H))
    dC_carry = np.zeros((N, H))
    mean_logs = np.zeros(T)
    for lag in range(T):
        t = T - 1 - lag
        ig, fg, og, cand, C_t = gates[t]
        if lag == 0:
            dh = dh + 1.0
        tc = np.tanh(C_t)
        dC = dC_carry + dh * og * (1 - tc * tc)
        mean_logs[lag] = np.mean(np.log(np.linalg.norm(dC, axis=1)))
        dA = np.stack([dC * cand * ig * (1 - ig), dC * prev_C[t] * fg * (1 - fg),
                       dh * tc * og * (1 - og), dC * ig * (1 - cand * cand)])   # (4, N, H)
        dh = np.einsum("knh,khj->nj", dA, W4)
        dC_carry = dC * fg

    k = np.arange(T)
    kc = k - k.mean()
    measured = float(kc @ (mean_logs - mean_logs.mean()) / (kc @ kc))
    logs = np.stack([np.log(g[1]) for g in gates[1:]])
    return measured, float(logs.mean())
