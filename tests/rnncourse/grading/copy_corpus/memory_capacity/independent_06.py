"""memory_capacity with Python loops building the train and test sets."""
import math

import numpy as np


def memory_capacity(x, states, max_delay, mu=1e-06):
    T, H = states.shape
    steps = [t for t in range(max_delay, T)]
    n_train = len(steps) // 2
    mc_k = []
    for k in range(1, max_delay + 1):
        Z, y = [], []
        for t in steps[:n_train]:
            Z.append(list(states[t]) + [1.0])
            y.append(x[t - k])
        Z, y = np.array(Z), np.array(y)
        P = mu * np.eye(H + 1)
        P[H, H] = 0.0
        w = np.linalg.solve(Z.T @ Z + P, Z.T @ y)
        preds = [float(states[t] @ w[:H] + w[H]) for t in steps[n_train:]]
        goal = [x[t - k] for t in steps[n_train:]]
        mp, mg = sum(preds) / len(preds), sum(goal) / len(goal)
        sxy = sum((p - mp) * (g - mg) for p, g in zip(preds, goal))
        sxx = sum((p - mp) ** 2 for p in preds)
        syy = sum((g - mg) ** 2 for g in goal)
        mc_k.append(sxy * sxy / (sxx * syy) if sxx * syy > 0 else 0.0)
    mc_k = np.array(mc_k)
    return math.fsum(mc_k), mc_k
